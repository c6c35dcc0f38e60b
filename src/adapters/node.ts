// The adapter for node:http, Connect and Express 4/5: attaches `req.session` and
// `req.sessionOptions` lazily, and writes the cookies just before the response's headers go out
// (on-headers, as cookie-session and express-session do).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import onHeaders from 'on-headers'
import { RequestSession } from '../core/request.js'
import type { Session } from '../core/session.js'
import type { DefaultSessionData, SessionInput } from '../types.js'
import type { SessionWriteFailure } from '../errors.js'
import type { BaseOptions, SessionOptions, Settings } from '../options/settings.js'
import { report } from '../report.js'
import { cookieOptionsFor, cookieSource, passesBy, storeAccessors, storeReadiness } from './node-express-session.js'
import { endAfterSave, nextWhenLoaded } from './node-save.js'
import { claim, claimKey, isHttps, sessionAccessors } from './shared.js'
import { commitTo } from './shared/node-response.js'

/**
 * Options of `cookieSession(options)`: every option of cookie-session 2.x, and more. `Data` is the
 * session data type the hooks see.
 * @typeParam Data - the session data type of the hooks; by default the declared `SessionData`
 */
export type CookieSessionOptions<Data extends object = DefaultSessionData> = BaseOptions<IncomingMessage, [req: IncomingMessage, res: ServerResponse], Data>

/** Called when the session cookie cannot be written; the response goes out without it. */
export type ErrorHandler = (err: SessionWriteFailure, req: IncomingMessage, res: ServerResponse) => void

declare global {

  namespace Express {
    interface Request {
      /** The session; set to `null` to destroy it, or to an object to replace it. */
      get session (): Session | null | undefined
      set session (value: SessionInput | null | undefined)
      /** This request's cookie options: a copy of the middleware's, changeable per response. */
      sessionOptions: SessionOptions
    }
  }
}

/** Middleware for node:http, Connect and Express: `mw(req, res, next)`. */
export type CookieSessionMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void

class NodeRequestSession extends RequestSession {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** The getter of this middleware's `req.session`: with express-session's options, `delete req.session` unsets the session. */
  private readonly getter: (() => unknown) | undefined

  constructor (settings: Settings, req: IncomingMessage, res: ServerResponse, getter: (() => unknown) | undefined) {
    super(settings, req, getter === undefined ? req : cookieSource(req, settings))
    this.req = req
    this.res = res
    this.getter = getter
  }

  /** With express-session's options, a `delete req.session` counts as `req.session = null` (unset). */
  noteUnset (): void {
    if (this.getter === undefined || this.state === undefined || this.state === null) return
    if (Object.getOwnPropertyDescriptor(this.req, 'session')?.get !== this.getter) this.session = null
  }

  override save (): ReturnType<RequestSession['save']> {
    this.noteUnset()
    return super.save()
  }

  reportError (err: unknown): void {
    report(this.settings, err, this.req, this.res)
  }

  isSecure (): boolean {
    // Express's req.protocol honours its "trust proxy"; plain node:http and Connect know the socket,
    // and X-Forwarded-Proto when trustProxy is set.
    const encrypted = (this.req.socket as TLSSocket | undefined)?.encrypted === true
    // express-session's proxy: false counts only a TLS connection to this server.
    if (this.settings.expressSession.proxy === false) return encrypted
    // In store mode, as express-session, a req.secure set by earlier middleware counts too.
    const direct = (this.req as { protocol?: string }).protocol === 'https' || encrypted ||
      (this.settings.store !== undefined && (this.req as { secure?: unknown }).secure === true)
    return isHttps(direct, this.settings, this.req.headers['x-forwarded-proto'])
  }
}

/** Builds the middleware for checked settings. */
export function createMiddleware (settings: Settings): CookieSessionMiddleware {
  // One symbol per middleware, so two session middlewares on one request keep their own state.
  const kContext = Symbol('signed-cookie-session')
  const kClaim = claimKey(settings.name)
  type Carrier = { [kContext]: NodeRequestSession }

  const contextOf = (req: object): NodeRequestSession => (req as Carrier)[kContext]
  const { session, sessionOptions } = sessionAccessors(contextOf)
  // With express-session's options, req.session is undefined after destroy(), as there.
  const style = settings.expressSession.style
  if (style) session.get = function (this: object) { return contextOf(this).visibleSession }
  const stored = settings.store === undefined ? undefined : storeAccessors(contextOf, settings)
  const readiness = style ? storeReadiness(settings.store) : undefined

  function beforeHeaders (this: ServerResponse & Carrier): void {
    const context = this[kContext]
    context.noteUnset()
    if (context.accessed) commitTo(context, this)
  }

  return function cookieSession (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void {
    // Mounted twice on one request (app.use and router.use): the first one already serves it.
    if ((req as unknown as Carrier)[kContext] !== undefined) {
      if (next !== undefined) next()
      return
    }
    // As express-session: while the store says it is disconnected, requests go on without a session.
    if (readiness !== undefined && !readiness.ready) {
      if (next !== undefined) next()
      return
    }
    let cookie: ReturnType<typeof cookieOptionsFor>
    try {
      cookie = cookieOptionsFor(req, settings)
      // As express-session: a request that has a session already, or lies outside the cookie's path, is left alone.
      if (style && passesBy(req, settings, cookie?.path)) {
        if (next !== undefined) next()
        return
      }
      claim(req, kClaim, kContext, settings.name)
    } catch (err) {
      if (next === undefined) throw err
      return next(err)
    }
    const context = new NodeRequestSession(settings, req, res, style ? session.get : undefined)
    cookie?.apply(context)
    ;(req as unknown as Carrier)[kContext] = context
    ;(res as unknown as Carrier)[kContext] = context
    Object.defineProperty(req, 'session', session)
    Object.defineProperty(req, 'sessionOptions', sessionOptions)
    if (stored !== undefined) {
      Object.defineProperty(req, 'sessionID', stored.sessionID)
      Object.defineProperty(req, 'sessionStore', stored.sessionStore)
    }
    onHeaders(res, beforeHeaders)
    const loading = context.load()
    if (context.savesBeforeEnd) endAfterSave(context, res, next)
    if (loading instanceof Promise) return nextWhenLoaded(loading, next)
    if (next !== undefined) next()
  }
}
