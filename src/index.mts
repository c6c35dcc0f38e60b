// The ES module entry: the same objects as the CommonJS entry (one implementation, so an error
// class is the same whichever way it was loaded), as a default export and named exports.
import cookieSession from './index.js'

export default cookieSession
export const {
  SessionError,
  SessionTooLargeError,
  SessionSerializeError,
  InsecureConnectionError,
  SessionOptionError,
  SessionWriteError,
  SessionStoreError,
  SessionCacheableError,
  SessionStoreConflictError,
  DEFAULT_MAX_SIZE
} = cookieSession
export { cookieSession }
export type {
  CookieSessionOptions,
  SessionOptions,
  CookieOptions,
  ErrorHandler,
  Session,
  SessionData,
  CookieSessionMiddleware,
  Key,
  KeygripLike,
  SessionWriteFailure,
  StoreLike
} from './index.js'

/* The error classes as types too, so `catch (e) { if (e instanceof SessionTooLargeError) ... }` types `e`. */
export type SessionError = cookieSession.SessionError
export type SessionTooLargeError = cookieSession.SessionTooLargeError
export type SessionSerializeError = cookieSession.SessionSerializeError
export type InsecureConnectionError = cookieSession.InsecureConnectionError
export type SessionOptionError = cookieSession.SessionOptionError
export type SessionWriteError = cookieSession.SessionWriteError
export type SessionStoreError = cookieSession.SessionStoreError
export type SessionCacheableError = cookieSession.SessionCacheableError
export type SessionStoreConflictError = cookieSession.SessionStoreConflictError
