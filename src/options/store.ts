// The `store` option and the options that go with it, checked when the middleware is created: any
// express-session Store (callbacks) or koa-session store (promises), and the driver that calls it
// (src/store/: atomic for connect-redis and express-mysql-session, the strongest the API allows for
// any other).
import { SessionOptionError } from '../errors.js'
import { driverFor } from '../store/driver.js'
import type { StoreDriver } from '../store/types.js'
import type { StoreKind } from '../store/kind.js'
import { fail } from './check.js'

/** An express-session Store (callbacks) or a koa-session store (promises): get, set and destroy, optionally touch. */
export interface StoreLike {
  get (sid: string, ...rest: any[]): unknown
  set (sid: string, session: any, ...rest: any[]): unknown
  destroy (sid: string, ...rest: any[]): unknown
  touch? (sid: string, session: any, ...rest: any[]): unknown
}

/** The store options as the user gives them. */
export interface StoreOptions {
  store?: StoreLike | undefined
  storeKind?: StoreKind | undefined
  storeTimeout?: number | undefined
  userKey?: string | undefined
}

/** Where a session's key travels instead of the id cookie: koa-session's `externalKey` (a header, say). */
export interface KeyCarrier {
  /** The key the request brought, if any. */
  get (request: unknown): unknown
  /** Hands the response the session's key. */
  set (request: unknown, key: string): void
}

/** The store settings: the store as given (for `req.sessionStore`), its driver, and the user key for destroyAll(). */
export interface StoreSettings {
  readonly store: StoreLike | undefined
  readonly storeDriver: StoreDriver | undefined
  /** The path of `userKey` in the session data (`passport.user` → ['passport', 'user']). */
  readonly userKey: readonly string[] | undefined
  /** Makes a new session's key from the request, where an adapter's options say how (koa-session's genid, prefix). */
  readonly newKey?: ((request: unknown) => string) | undefined
  /** Whether a verified cookie value is a key, where the adapter's keys take other shapes than ours (koa-session's UUIDs). */
  readonly isKey?: ((text: string) => boolean) | undefined
  /** Where the key travels instead of the id cookie (koa-session's externalKey). */
  readonly keyCarrier?: KeyCarrier | undefined
}

export const DEFAULT_STORE_TIMEOUT = 5000

const NO_STORE: StoreSettings = Object.freeze({ store: undefined, storeDriver: undefined, userKey: undefined })

/** Checks the store options; throws `SessionOptionError`. */
export function checkStoreOptions (options: StoreOptions): StoreSettings {
  const { store, storeKind, storeTimeout, userKey } = options
  if (store === undefined || store === null) {
    for (const name of ['storeKind', 'storeTimeout', 'userKey'] as const) {
      if (options[name] !== undefined) throw new SessionOptionError(`option "${name}" is only used with "store"`)
    }
    return NO_STORE
  }
  if (typeof store !== 'object' && typeof store !== 'function') {
    throw new SessionOptionError(`option "store" must be an express-session Store or a koa-session store (an object with get, set and destroy methods), got ${typeof store}`)
  }
  if (storeKind !== undefined && storeKind !== 'callback' && storeKind !== 'promise') fail('storeKind', '"callback" (express-session) or "promise" (koa-session)', storeKind)
  const timeout = storeTimeout ?? DEFAULT_STORE_TIMEOUT
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) fail('storeTimeout', 'a positive number of milliseconds', storeTimeout)
  if (userKey !== undefined && (typeof userKey !== 'string' || !/^[^.]+(\.[^.]+)*$/.test(userKey))) {
    fail('userKey', 'a key of the session data, or a dotted path such as "passport.user"', userKey)
  }
  const path = userKey?.split('.')
  const storeDriver = driverFor(store, { timeout, kind: storeKind, ...(path === undefined ? {} : { index: path }) })
  return Object.freeze({ store, storeDriver, userKey: path })
}
