// The adapter for node:http, Connect and Express 4/5: attaches `req.session` and
// `req.sessionOptions` lazily, and writes the cookies just before the response's headers go out.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { forwardedHttps, sessionAccessors } from './adapter.js'
import { SessionContext } from './context.js'
import { mergeSetCookies, type SetCookie } from './cookie.js'
import type { SessionWriteFailure } from './errors.js'
import type { BaseOptions, SessionOptions, Settings } from './options.js'
import { report } from './report.js'
import type { Session } from './session.js'

/** Options of `cookieSession(options)`: every option of cookie-session 2.x, and more. */
export type CookieSessionOptions = BaseOptions<IncomingMessage, [req: IncomingMessage, res: ServerResponse]>

/** Called when the session cookie cannot be written; the response goes out without it. */
export type ErrorHandler = (err: SessionWriteFailure, req: IncomingMessage, res: ServerResponse) => void

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The session; set to `null` to destroy it, or to an object to replace it. */
      get session (): Session | null | undefined
      set session (value: object | null | undefined)
      /** This request's cookie options: a copy of the middleware's, changeable per response. */
      sessionOptions: SessionOptions
    }
  }
}

/** Middleware for node:http, Connect and Express: `mw(req, res, next)`. */
export type CookieSessionMiddleware = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void

type WriteHead = ServerResponse['writeHead']

class NodeSessionContext extends SessionContext {
  readonly req: IncomingMessage
  readonly writeHead: WriteHead
  committed = false

  constructor (settings: Settings, req: IncomingMessage, res: ServerResponse) {
    super(settings, req)
    this.req = req
    this.writeHead = res.writeHead
  }

  protected cookieHeader (): string | undefined {
    return this.req.headers.cookie
  }

  protected isSecure (): boolean {
    // Express's req.protocol honours its "trust proxy"; plain node:http and Connect know the socket,
    // and X-Forwarded-Proto when trustProxy is set.
    return (this.req as { protocol?: string }).protocol === 'https' ||
      (this.req.socket as TLSSocket | undefined)?.encrypted === true ||
      (this.settings.trustProxy && forwardedHttps(this.req.headers['x-forwarded-proto']))
  }

  /** Adds this session's Set-Cookie lines to the response, or reports why it cannot. */
  commitTo (res: ServerResponse): void {
    try {
      addSetCookies(res, this.setCookies())
    } catch (err) {
      report(this.settings.onError, err, this.req, res)
    }
  }
}

/** The Set-Cookie lines a node:http response holds so far. */
function setCookiesOf (res: ServerResponse): string[] {
  const previous = res.getHeader('Set-Cookie')
  return previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)]
}

/** Adds Set-Cookie lines to a node:http response, merged with those it already has. */
export function addSetCookies (res: ServerResponse, lines: readonly SetCookie[]): void {
  if (lines.length > 0) res.setHeader('Set-Cookie', mergeSetCookies(setCookiesOf(res), lines))
}

/** Builds the middleware for checked settings. */
export function createMiddleware (settings: Settings): CookieSessionMiddleware {
  // One symbol per middleware, so two session middlewares on one request keep their own state.
  const kContext = Symbol('signed-cookie-session')
  type Carrier = { [kContext]: NodeSessionContext }

  const { session, sessionOptions } = sessionAccessors(kContext)

  function writeHead (this: ServerResponse & Carrier, ...args: unknown[]): ServerResponse {
    const context = this[kContext]
    if (!context.committed) {
      context.committed = true
      if (context.accessed) {
        applyHeaderObject(this, args)
        context.commitTo(this)
      }
    }
    return (context.writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
  }

  return function cookieSession (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void {
    // Mounted twice on one request (app.use and router.use): the first one already serves it.
    if ((req as unknown as Carrier)[kContext] !== undefined) {
      if (next !== undefined) next()
      return
    }
    const context = new NodeSessionContext(settings, req, res)
    ;(req as unknown as Carrier)[kContext] = context
    ;(res as unknown as Carrier)[kContext] = context
    Object.defineProperty(req, 'session', session)
    Object.defineProperty(req, 'sessionOptions', sessionOptions)
    res.writeHead = writeHead as WriteHead
    if (next !== undefined) next()
  }
}

/**
 * `res.writeHead(status, [message,] headers)` with headers: set them on the response first, so that
 * a Set-Cookie passed there and ours are merged instead of one replacing the other (Node lets the
 * headers argument win). An object is applied whole; from a flat `[name, value, ...]` array only the
 * Set-Cookie entries are taken out and kept.
 */
function applyHeaderObject (res: ServerResponse, args: unknown[]): void {
  const index = typeof args[1] === 'string' ? 2 : 1
  const headers = args[index]
  if (headers === null || typeof headers !== 'object') return
  if (!Array.isArray(headers)) {
    for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
      if (value !== undefined) res.setHeader(name, value)
    }
    args.length = index
    return
  }
  const pairs = Array.from({ length: headers.length >> 1 }, (_, i): [unknown, unknown] => [headers[2 * i], headers[2 * i + 1]])
  const isSetCookie = ([name]: [unknown, unknown]) => typeof name === 'string' && name.toLowerCase() === 'set-cookie'
  const cookies = pairs.filter(isSetCookie).flatMap(([, value]) => value as string | string[])
  if (cookies.length === 0) return
  res.setHeader('Set-Cookie', [...setCookiesOf(res), ...cookies])
  const rest = pairs.filter((pair) => !isSetCookie(pair))
  args[index] = rest.flat()
}
