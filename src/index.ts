// The CommonJS entry: `require('signed-cookie-session')` is the factory itself, as with
// cookie-session, with the rest of the API as its properties (and `.default` for interop).
import { createMiddleware, type CookieSessionMiddleware as Middleware, type CookieSessionOptions as Options, type ErrorHandler as Handler } from './adapters/node.js'
import type * as session from './core/session.js'
import * as errors from './errors.js'
import type * as cookie from './options/cookie.js'
import * as settings from './options/settings.js'
import type * as store from './options/store.js'
import { nodePlatform } from './platform/node.js'
import type * as signer from './platform/types.js'
import type * as types from './types.js'

/**
 * Creates the session middleware for Express 4/5, Connect and node:http. `options` may also be
 * just the list of keys (or a Keygrip). Throws a `TypeError` (`SessionOptionError`) naming any
 * invalid option. `Data` types the session in the `validate` and `beforeSave` hooks; `req.session`
 * itself is typed by declaring `SessionData` (Express's request type is global).
 * @example
 * app.use(cookieSession({ keys: process.env.SESSION_KEYS.split(','), maxAge: 24 * 60 * 60 * 1000 }))
 */
function cookieSession<Data extends types.SessionDataConstraint<Data> = types.DefaultSessionData> (
  options?: Options<Data> | readonly signer.Key[] | signer.KeygripLike
): Middleware {
  return createMiddleware(settings.settingsFrom(options as Options | readonly signer.Key[] | signer.KeygripLike | undefined, nodePlatform))
}

// The types and classes as properties of the function, so `require()` and `import =` see them.
// (TypeScript needs them listed here for `export =`; index.mts re-exports this same object.)

namespace cookieSession {
  export type CookieSessionOptions<Data extends object = types.DefaultSessionData> = Options<Data>
  export type SessionOptions = settings.SessionOptions
  export type CookieOptions = cookie.CookieOptions
  export type ErrorHandler = Handler
  export type Session<Data extends object = types.DefaultSessionData> = session.Session<Data>
  export type CookieSessionMiddleware = Middleware
  export type Key = signer.Key
  export type KeygripLike = signer.KeygripLike
  export import SessionError = errors.SessionError
  export import SessionTooLargeError = errors.SessionTooLargeError
  export import SessionSerializeError = errors.SessionSerializeError
  export import InsecureConnectionError = errors.InsecureConnectionError
  export import SessionOptionError = errors.SessionOptionError
  export import SessionWriteError = errors.SessionWriteError
  export import SessionStoreError = errors.SessionStoreError
  export import SessionCacheableError = errors.SessionCacheableError
  export import SessionStoreConflictError = errors.SessionStoreConflictError
  export type StoreLike = store.StoreLike
  export type SessionWriteFailure = errors.SessionWriteFailure
  export const DEFAULT_MAX_SIZE = settings.DEFAULT_MAX_SIZE
  /** The factory itself, for `import { cookieSession } from` and `require(...).cookieSession` (set below). */
  export declare const cookieSession: Factory
}
type Factory = typeof cookieSession

// SessionData, for `declare module 'signed-cookie-session' { interface SessionData { ... } }`: an alias
// of the global interface that every copy of the types reads (types.ts). In an ambient block, so that
// nothing is emitted for it by compilers that see one file at a time (it is a type, not a value).
declare namespace cookieSession {
  export import SessionData = SignedCookieSession.SessionData
}

Object.defineProperties(cookieSession, {
  default: { value: cookieSession, enumerable: false },
  cookieSession: { value: cookieSession, enumerable: true }
})

export = cookieSession
