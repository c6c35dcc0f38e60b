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

  constructor (settings: Settings, req: IncomingMessage, res: ServerResponse) {
    super(settings, req, req)
    this.req = req
    this.res = res
  }

  reportError (err: unknown): void {
    report(this.settings, err, this.req, this.res)
  }

  isSecure (): boolean {
    // Express's req.protocol honours its "trust proxy"; plain node:http and Connect know the socket,
    // and X-Forwarded-Proto when trustProxy is set.
    const direct = (this.req as { protocol?: string }).protocol === 'https' || (this.req.socket as TLSSocket | undefined)?.encrypted === true
    return isHttps(direct, this.settings, this.req.headers['x-forwarded-proto'])
  }
}

/** Builds the middleware for checked settings. */
export function createMiddleware (settings: Settings): CookieSessionMiddleware {
  // One symbol per middleware, so two session middlewares on one request keep their own state.
  const kContext = Symbol('signed-cookie-session')
  const kClaim = claimKey(settings.name)
  type Carrier = { [kContext]: NodeRequestSession }

  const { session, sessionOptions } = sessionAccessors((req) => (req as Carrier)[kContext])

  function beforeHeaders (this: ServerResponse & Carrier): void {
    const context = this[kContext]
    if (context.accessed) commitTo(context, this)
  }

  return function cookieSession (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void {
    // Mounted twice on one request (app.use and router.use): the first one already serves it.
    if ((req as unknown as Carrier)[kContext] !== undefined) {
      if (next !== undefined) next()
      return
    }
    try {
      claim(req, kClaim, kContext, settings.name)
    } catch (err) {
      if (next === undefined) throw err
      return next(err)
    }
    const context = new NodeRequestSession(settings, req, res)
    ;(req as unknown as Carrier)[kContext] = context
    ;(res as unknown as Carrier)[kContext] = context
    Object.defineProperty(req, 'session', session)
    Object.defineProperty(req, 'sessionOptions', sessionOptions)
    onHeaders(res, beforeHeaders)
    const loading = context.load()
    if (context.savesBeforeEnd) endAfterSave(context, res, next)
    if (loading instanceof Promise) return nextWhenLoaded(loading, next)
    if (next !== undefined) next()
  }
}
