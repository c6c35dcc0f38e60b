// What express-session does on node:http, Connect and Express besides the session itself, for
// store mode: `req.sessionID` and `req.sessionStore`; with express-session's options, a request
// that already has a session (or lies outside the cookie's path) is left alone, `cookie` given as
// a function sets each request's cookie, and `delete req.session` unsets the session.
import type { IncomingMessage } from 'node:http'
import type { RequestSession } from '../core/request.js'
import { cookieSettings } from '../options/express-session.js'
import type { Settings } from '../options/settings.js'

/** The path of the request as the app was asked for it (before any router stripped a mount path). */
export function requestPath (req: IncomingMessage): string {
  const url = (req as { originalUrl?: string }).originalUrl ?? req.url ?? ''
  let path = url
  if (!url.startsWith('/')) {
    try {
      path = new URL(url).pathname
    } catch {
      path = ''
    }
  }
  const end = path.search(/[?#]/)
  if (end !== -1) path = path.slice(0, end)
  return path === '' ? '/' : path
}

/** RFC 6265 §5.1.4: whether a request for `path` carries a cookie whose Path is `cookiePath`. */
export function pathMatches (cookiePath: string, path: string): boolean {
  if (cookiePath === '' || cookiePath === path) return true
  return path.startsWith(cookiePath) && (cookiePath.endsWith('/') || path[cookiePath.length] === '/')
}

/**
 * With express-session's options: whether this middleware leaves the request alone, as
 * express-session does: another middleware already put a session on it, or its path is outside
 * the cookie's (whose browser would never send the cookie back there).
 */
export function passesBy (req: IncomingMessage, settings: Settings, cookiePath: string | undefined): boolean {
  const own = Object.getOwnPropertyDescriptor(req, 'session')
  if (own !== undefined && 'value' in own && own.value !== undefined && own.value !== null) return true
  return !pathMatches(cookiePath ?? settings.attributes.path, requestPath(req))
}

/** express-session's `cookie` function: this request's cookie settings, turned into cookie options. Throws `SessionOptionError`. */
export function cookieOptionsFor (req: IncomingMessage, settings: Settings): { path: string | undefined, apply: (context: RequestSession) => void } | undefined {
  const { cookieOf } = settings.expressSession
  if (cookieOf === undefined) return undefined
  const { options, sameSiteAuto } = cookieSettings(cookieOf(req), 'cookie(req)', undefined)
  const path = options.path === undefined ? undefined : options.path === null ? '' : String(options.path)
  return { path, apply: (context) => { context.useCookieOptions(options, sameSiteAuto) } }
}

/** Property descriptors for `req.sessionID` and `req.sessionStore` (store mode), made once per middleware. */
export function storeAccessors (contextOf: (carrier: object) => RequestSession, settings: Settings): { sessionID: PropertyDescriptor, sessionStore: PropertyDescriptor } {
  return {
    sessionID: {
      configurable: true,
      enumerable: true,
      get (this: object) { return contextOf(this).sessionId() },
      set () {
        throw new TypeError('req.sessionID is read-only, as express-session documents it: it is the key of the session in the store; ' +
          'req.session.regenerate() gives the session a new one')
      }
    },
    sessionStore: { configurable: true, enumerable: true, writable: false, value: settings.store }
  }
}

/**
 * Whether the store is connected, as it says through express-session's store events: a store may
 * emit 'disconnect' and 'connect' (an EventEmitter, as express-session's Store class is). While it
 * is disconnected, express-session serves requests without a session, and so does this middleware
 * with express-session's options. Stores that emit nothing (connect-redis 9, express-mysql-session)
 * are always connected; their failures fail the request with a SessionStoreError.
 */
export function storeReadiness (store: unknown): { readonly ready: boolean } {
  const state = { ready: true }
  const on = (store as { on?: unknown } | null)?.on
  if (typeof on === 'function') {
    on.call(store, 'disconnect', () => { state.ready = false })
    on.call(store, 'connect', () => { state.ready = true })
  }
  return state
}

/**
 * Where the session cookie is read: the Cookie header, or, as express-session reads it, the value
 * cookie-parser left in `req.cookies` when something before it removed the header's (an unsigned
 * parse: the value is still verified here).
 */
export function cookieSource (req: IncomingMessage, settings: Settings): IncomingMessage | { headers: { cookie: string } } {
  const parsed = (req as { cookies?: unknown }).cookies
  if (parsed === null || typeof parsed !== 'object') return req
  const header = req.headers.cookie ?? ''
  for (const name of [settings.name, settings.expressSession.foreignName]) {
    if (name === undefined) continue
    const value = (parsed as Record<string, unknown>)[name]
    if (typeof value !== 'string' || !value.startsWith('s:') || new RegExp(`(?:^|;\\s*)${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=`).test(header)) continue
    return { headers: { cookie: `${header === '' ? '' : header + '; '}${name}=${encodeURIComponent(value)}` } }
  }
  return req
}
