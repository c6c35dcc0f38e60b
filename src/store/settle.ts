// One store call, settled once. Stores answer in their own ways: some call back twice
// (connect-redis and express-mysql-session call the callback again with the error when the first
// call threw), some throw instead of calling back, some call back and return a promise too, some
// never answer. Whichever comes first of the callback, the returned promise, the throw and the
// timeout decides; the rest is ignored. What follows runs after the promise settled (a
// microtask later), never inside the store's callback.
import { storeFailure, storeTimeout, type StoreOperation } from './errors.js'

/** A Node-style callback, as express-session stores call it. */
export type StoreCallback = (err?: unknown, value?: unknown) => void

export interface SettleOptions {
  /**
   * Whether an error with `code: 'ENOENT'` means "no such session" (resolves MISSING), as
   * express-session takes it when loading a session. A falsy error value is never a failure.
   */
  readonly missingOk: boolean
  /**
   * How the store answers: 'callback' (an express-session store: wait for the callback, or for a
   * promise if it returns one) or 'return' (a promise store, or a client: its return value is the
   * answer, a promise or not).
   */
  readonly answer: 'callback' | 'return'
}

/** What a call settles with when the store said "no such session" with an ENOENT error. */
export const MISSING: unique symbol = Symbol('no such session')

/**
 * Runs `start`, which calls the store with `callback` and may return what the store returned; the
 * promise settles once, with the store's value or a SessionStoreError for `operation`.
 */
export async function settle (operation: StoreOperation, timeout: number, options: SettleOptions,
  start: (callback: StoreCallback) => unknown): Promise<unknown> {
  return await new Promise((resolve, reject) => {
    let settled = false
    const timer = setTimeout(() => finish(storeTimeout(operation, timeout)), timeout)
    const finish = (error: unknown, value?: unknown): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      if (error === undefined) resolve(value)
      else reject(error)
    }
    const failed = (err: unknown): void => {
      if (options.missingOk && isMissing(err)) finish(undefined, MISSING)
      else finish(storeFailure(operation, err))
    }
    // express-session tests `if (err)`: a falsy error value is no error.
    const callback: StoreCallback = (err, value) => { if (err) failed(err); else finish(undefined, value) }
    let returned: unknown
    try {
      returned = start(callback)
    } catch (err) {
      failed(err)
      return
    }
    if (!isThenable(returned)) {
      if (options.answer === 'return') finish(undefined, returned)
      return
    }
    try {
      // A rejection is a failure even with a falsy reason: nothing else says what happened.
      returned.then((value) => finish(undefined, value), (err: unknown) => failed(err))
    } catch (err) {
      failed(err)
    }
  })
}

/** `promise` (a client's command) with the same timeout and wording as a store call. */
export async function within<T> (operation: StoreOperation, timeout: number, promise: () => PromiseLike<T>): Promise<T> {
  return await (settle(operation, timeout, { missingOk: false, answer: 'return' }, () => promise()) as Promise<T>)
}

function isMissing (err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'ENOENT'
}

function isThenable (value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
}
