// The express-session methods that passport >= 0.6 and other middleware call on req.session, with
// the meaning they can honestly have when the whole session is the cookie.
import { SessionWriteError, type SessionWriteFailure } from '../errors.js'
import type { SessionCallback, SessionMethods } from '../types.js'
import type { MaybePromise } from '../platform/maybe.js'

/** What the methods need from the request a session belongs to (request.ts). */
export interface SessionHost {
  /**
   * Replace the session with a new empty one (or, with `keep`, one holding only those fields).
   * (These four return a promise where they wait: a store.)
   */
  regenerate (keep?: readonly string[]): MaybePromise<void>
  destroy (): MaybePromise<void>
  /** End every session of this session's user, this one included. */
  destroyAll (): MaybePromise<void>
  /** Read the session again, dropping this request's changes. */
  reload (): MaybePromise<void>
  /** Throw the error that writing the cookie now would meet, if any (store mode: write the store now). */
  saveNow (): MaybePromise<void>
  /** Send the cookie with this response even if unchanged (its expiry starts again). */
  touch (): void
  /** Calls `fn(arg)` soon, after the current operation (the callbacks' tick). */
  defer<A> (fn: (arg: A) => void, arg: A): void
}

export type MethodName = keyof SessionMethods

/** How the methods find their request from the session object they are called on. */
export const kHost = Symbol('signed-cookie-session host')

/** What each method does; it throws (or, in store mode, rejects with) the failure its callback or promise hands on. */
const actions: Record<MethodName, (host: SessionHost) => MaybePromise<void>> = {
  regenerate: (host) => host.regenerate(),
  save: (host) => host.saveNow(),
  destroy: (host) => host.destroy(),
  destroyAll: (host) => host.destroyAll(),
  reload: (host) => host.reload(),
  touch: (host) => host.touch()
}

export const METHOD_NAMES = Object.keys(actions) as MethodName[]

const noop = (): void => {}

/** Runs a method for `host`: a callback is called asynchronously and exactly once; without one, a promise. */
function run (name: MethodName, host: SessionHost | undefined, callback: unknown): Promise<void> | undefined {
  if (host === undefined) throw new TypeError(`req.session.${name}() must be called on a session`)
  if (callback !== undefined && typeof callback !== 'function') {
    throw new TypeError(`req.session.${name}(callback): callback must be a function`)
  }
  let failure: SessionWriteFailure | null = null
  let pending: Promise<void> | undefined
  try {
    pending = actions[name](host) as Promise<void> | undefined
  } catch (err) {
    // save() and destroyAll() fail in ways the app must hear of through its callback or promise
    // (a cookie too large, a destroyAll() this configuration cannot do); the others only throw
    // for a programming error.
    if (name !== 'save' && name !== 'destroyAll') throw err
    failure = SessionWriteError.from(err)
  }
  if (name === 'touch') return undefined
  if (pending !== undefined) return settle(host, pending, callback as SessionCallback | undefined)
  if (callback !== undefined) {
    host.defer(callback as SessionCallback, failure)
    return undefined
  }
  const promise = failure === null ? Promise.resolve() : Promise.reject(failure)
  // A save() nobody awaits must not become an unhandled rejection: the failure is reported to
  // onError when the response is written anyway. Awaiting the promise still sees it.
  promise.catch(noop)
  return promise
}

/** A store operation (store mode): the callback runs after it settled, on its own tick, never inside the store's. */
function settle (host: SessionHost, pending: Promise<void>, callback: SessionCallback | undefined): Promise<void> | undefined {
  const outcome = pending.then(() => null, (err: unknown) => SessionWriteError.from(err))
  if (callback !== undefined) {
    outcome.then((failure) => host.defer(callback, failure), noop)
    return undefined
  }
  const promise = outcome.then((failure) => { if (failure !== null) throw failure })
  promise.catch(noop)
  return promise
}

type Target = { readonly [kHost]?: SessionHost }

// Method definitions, so each has its name and `.length === 1`, as express-session's have.
const methods = {
  regenerate (this: Target, callback?: unknown) { return run('regenerate', this[kHost], callback) },
  save (this: Target, callback?: unknown) { return run('save', this[kHost], callback) },
  destroy (this: Target, callback?: unknown) { return run('destroy', this[kHost], callback) },
  destroyAll (this: Target, callback?: unknown) { return run('destroyAll', this[kHost], callback) },
  reload (this: Target, callback?: unknown) { return run('reload', this[kHost], callback) },
  touch (this: Target): void { run('touch', this[kHost], undefined) }
}

/**
 * The prototype of every session object, as express-session's `Session.prototype`: code that
 * inspects it (`Object.getPrototypeOf(req.session).save.length`) finds the methods, and code that
 * patches it changes sessions only. The methods are not enumerable, so they are never data.
 */
export const SessionPrototype: SessionMethods = Object.create(Object.prototype, Object.fromEntries(
  Object.entries(methods).map(([name, value]) => [name, { value, writable: true, configurable: true, enumerable: false }])
)) as SessionMethods

/** The methods of one session, bound to its request, so `const { save } = req.session` works too. */
export function bindMethods (host: SessionHost): SessionMethods {
  const target: Target = { [kHost]: host }
  return Object.fromEntries(METHOD_NAMES.map((name) => [name, methods[name].bind(target)])) as unknown as SessionMethods
}
