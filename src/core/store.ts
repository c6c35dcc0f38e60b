// Any express-session Store (express-mysql-session, connect-redis, memorystore, ...) behind promises.
// Stores call back in their own ways: some call a callback twice (connect-redis and
// express-mysql-session call it again with the error when the first call throws), some throw
// instead of calling back. So each call settles a promise once, and everything that follows runs
// after it settled, never inside the store's callback.
import { SessionStoreError } from '../errors.js'
import type { StoreLike } from '../options/store.js'

type Callback = (err?: unknown, value?: unknown) => void

/** What express-session stores read from a record to set its lifetime; ours adds the expiry stamp. */
export interface RecordCookie {
  originalMaxAge: number | null
  expires: Date | null
  /** When the session was created and last written, in Unix ms (only with timeouts or renew). */
  created?: number
  written?: number
}

/** An id is 32 random bytes (platform.newId()): 256 bits, far above the 128 it needs; base64url, 43 characters. */
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/

/**
 * Whether a cookie's text is a session id. A cookie-mode value is padded base64 (its length a
 * multiple of 4) or sealed JSON, so it can never take this shape.
 */
export function isId (text: string): boolean {
  return ID_SHAPE.test(text)
}

/** The store's methods as promises; every failure is a `SessionStoreError`. */
export class SessionStore {
  private readonly store: StoreLike

  constructor (store: StoreLike) {
    this.store = store
  }

  get (id: string): Promise<unknown> {
    return this.call('get', (done) => this.store.get(id, done))
  }

  async set (id: string, record: object): Promise<void> {
    await this.call('set', (done) => this.store.set(id, record, done))
  }

  /** Extends the record's lifetime; stores without `touch` get the whole record again. */
  async touch (id: string, record: object): Promise<void> {
    const { store } = this
    if (typeof store.touch !== 'function') return await this.set(id, record)
    await this.call('touch', (done) => (store.touch as NonNullable<StoreLike['touch']>)(id, record, done))
  }

  async destroy (id: string): Promise<void> {
    await this.call('destroy', (done) => this.store.destroy(id, done))
  }

  private call (operation: string, start: (done: Callback) => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let settled = false
      const done: Callback = (err, value) => {
        if (settled) return
        settled = true
        if (err !== undefined && err !== null) reject(new SessionStoreError(operation, err))
        else resolve(value)
      }
      try {
        start(done)
      } catch (err) {
        done(err ?? new Error('the store threw'))
      }
    })
  }
}

const wrappers = new WeakMap<StoreLike, SessionStore>()

/** The promise wrapper of a store, made once per store. */
export function sessionStoreFor (store: StoreLike): SessionStore {
  let wrapper = wrappers.get(store)
  if (wrapper === undefined) wrappers.set(store, wrapper = new SessionStore(store))
  return wrapper
}
