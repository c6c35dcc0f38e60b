// The `signed-cookie-session/next` entry: the session through a framework's cookie store (Next's
// `await cookies()`, proxy.ts, SvelteKit, Astro). Portable (Web APIs only), built as an ES module
// and as CommonJS like ./fetch; the error classes are here too, so an app imports everything from
// one entry.
export { getSession } from './adapters/next.js'
export type { NextErrorHandler, NextSessionOptions } from './adapters/next.js'
export type { NextSession } from './adapters/next-session.js'
export type { CookieStoreLike, CookieStoreOptions } from './adapters/next-cookie-store.js'
export { proxyCookies } from './adapters/next-proxy.js'
export type { ProxyRequestLike, ProxyResponseLike } from './adapters/next-proxy.js'
export {
  InsecureConnectionError, SessionCacheableError, SessionError, SessionOptionError, SessionSerializeError, SessionStoreConflictError, SessionStoreError,
  SessionTooLargeError, SessionWriteError, type SessionWriteFailure
} from './errors.js'
export type { Session } from './types.js'
