// The CommonJS entry: `require('signed-cookie-session')` is the factory itself, as with
// cookie-session, with the rest of the API as its properties (and `.default` for interop).
import { cookieSession as factory } from './factory.js'
import * as errors from './errors.js'
import * as options from './options.js'
import type * as cookie from './cookie.js'
import type * as middleware from './middleware.js'
import type * as signer from './signer.js'
import type * as session from './session.js'

/**
 * Creates the session middleware. `options` may also be just the list of keys (or a Keygrip).
 * Throws a `TypeError` (`SessionOptionError`) naming any invalid option.
 */
function cookieSession (options?: middleware.CookieSessionOptions | readonly signer.Key[] | signer.KeygripLike): middleware.CookieSessionMiddleware {
  return factory(options)
}

// eslint-disable-next-line @typescript-eslint/no-namespace
namespace cookieSession {
  export type CookieSessionOptions = middleware.CookieSessionOptions
  export type SessionOptions = options.SessionOptions
  export type CookieOptions = cookie.CookieOptions
  export type ErrorHandler = middleware.ErrorHandler
  export type Session = session.Session
  export type CookieSessionMiddleware = middleware.CookieSessionMiddleware
  export type Key = signer.Key
  export type KeygripLike = signer.KeygripLike
  export import SessionError = errors.SessionError
  export import SessionTooLargeError = errors.SessionTooLargeError
  export import SessionSerializeError = errors.SessionSerializeError
  export import InsecureConnectionError = errors.InsecureConnectionError
  export import SessionOptionError = errors.SessionOptionError
  export import SessionWriteError = errors.SessionWriteError
  export type SessionWriteFailure = errors.SessionWriteFailure
  export const DEFAULT_MAX_SIZE = options.DEFAULT_MAX_SIZE
  /** The factory itself, for `import { cookieSession } from` and `require(...).cookieSession` (set below). */
  export declare const cookieSession: Factory
}
type Factory = typeof cookieSession

Object.defineProperties(cookieSession, {
  default: { value: cookieSession, enumerable: false },
  cookieSession: { value: cookieSession, enumerable: true }
})

export = cookieSession
