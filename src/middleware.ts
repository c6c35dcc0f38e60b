// The adapter for node:http, Connect and Express 4/5: attaches `req.session` and
// `req.sessionOptions` lazily, and writes the cookies just before the response's headers go out.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { SessionContext, sessionAccessors } from './context.js'
import { mergeSetCookies, type SetCookie } from './cookie.js'
import type { SessionError, SessionOptionError } from './errors.js'
import type { BaseOptions, SessionOptions, Settings } from './options.js'
import { report } from './report.js'
import type { Session } from './session.js'

/** Options of `cookieSession(options)`: every option of cookie-session 2.x, and more. */
export type CookieSessionOptions = BaseOptions<IncomingMessage, [req: IncomingMessage, res: ServerResponse]>

/** Called when the session cookie cannot be written; the response goes out without it. */
export type ErrorHandler = (err: SessionError | SessionOptionError, req: IncomingMessage, res: ServerResponse) => void

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The session; set to `null` to destroy it, or to an object to replace it. */
      session?: Session | null | undefined
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
    // Express's req.protocol honours "trust proxy"; plain node:http only knows the socket.
    return (this.req as { protocol?: string }).protocol === 'https' ||
      (this.req.socket as TLSSocket | undefined)?.encrypted === true
  }

  /** Adds this session's Set-Cookie lines to the response, or reports why it cannot. */
  commitTo (res: ServerResponse): void {
    this.committed = true
    try {
      addSetCookies(res, this.setCookies())
    } catch (err) {
      report(this.settings.onError, err, this.req, res)
    }
  }
}

/** Adds Set-Cookie lines to a node:http response, merged with those it already has. */
export function addSetCookies (res: ServerResponse, lines: readonly SetCookie[]): void {
  if (lines.length === 0) return
  const previous = res.getHeader('Set-Cookie')
  const existing = previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)]
  res.setHeader('Set-Cookie', mergeSetCookies(existing, lines))
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
      applyHeaderObject(this, args)
      context.commitTo(this)
    }
    return (context.writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
  }

  return function cookieSession (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void): void {
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
 * `res.writeHead(status, [message,] headers)` with a headers object: set them on the response
 * first, so a Set-Cookie passed there and ours are merged instead of one replacing the other.
 */
function applyHeaderObject (res: ServerResponse, args: unknown[]): void {
  const index = typeof args[1] === 'string' ? 2 : 1
  const headers = args[index]
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) return
  for (const [name, value] of Object.entries(headers as OutgoingHttpHeaders)) {
    if (value !== undefined) res.setHeader(name, value)
  }
  args.length = index
}
