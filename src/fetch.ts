// The `signed-cookie-session/fetch` entry: portable (Web APIs only), built as an ES module and as
// CommonJS. The error classes are here too, so an app on Workers or the edge imports everything
// from one entry; `instanceof` also holds across the two builds (errors.ts).
export { fetchSession } from './adapters/fetch.js'
export type { FetchErrorHandler, FetchSession, FetchSessionOptions, FetchSessions, FetchStoreSession, FetchStoreSessions } from './adapters/fetch.js'
export {
  InsecureConnectionError, SessionCacheableError, SessionError, SessionOptionError, SessionSerializeError, SessionStoreConflictError, SessionStoreError,
  SessionTooLargeError, SessionWriteError, type SessionWriteFailure
} from './errors.js'
export type { Session, SessionData } from './types.js'
export type { SessionOptions } from './options/settings.js'
