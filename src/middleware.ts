// The middleware for node:http, Connect and Express 4/5: attaches `req.session` and
// `req.sessionOptions` lazily, and writes the cookies just before the response's headers go out.
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { TLSSocket } from 'node:tls'
import { SessionContext } from './context.js'
import type { SessionOptions, Settings } from './options.js'
import { warnOnce } from './report.js'
import type { Session } from './session.js'

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
    let lines
    try {
      lines = this.commit()
    } catch (err) {
      this.report(err as Error, res)
      return
    }
    if (lines.length === 0) return
    const previous = res.getHeader('Set-Cookie')
    let headers: string[] = previous === undefined ? [] : Array.isArray(previous) ? previous.slice() : [String(previous)]
    for (const { name, line, overwrite } of lines) {
      if (overwrite) headers = headers.filter((header) => !header.startsWith(name + '='))
      headers.push(line)
    }
    res.setHeader('Set-Cookie', headers)
  }

  private report (err: Error, res: ServerResponse): void {
    const { onError } = this.settings
    if (onError === undefined) return warnOnce(err)
    try {
      onError(err as never, this.req, res)
    } catch (handlerError) {
      warnOnce(handlerError instanceof Error ? handlerError : new Error(String(handlerError)))
    }
  }
}

/** Builds the middleware for checked settings. */
export function createMiddleware (settings: Settings): CookieSessionMiddleware {
  // One symbol per middleware, so two session middlewares on one request keep their own state.
  const kContext = Symbol('signed-cookie-session')
  type Carrier = { [kContext]: NodeSessionContext }

  const session: PropertyDescriptor = {
    configurable: true,
    enumerable: true,
    get (this: Carrier) { return this[kContext].session },
    set (this: Carrier, value: unknown) { this[kContext].session = value }
  }
  const sessionOptions: PropertyDescriptor = {
    configurable: true,
    enumerable: true,
    get (this: Carrier) { return this[kContext].sessionOptions },
    set (this: Carrier, value: SessionOptions) { this[kContext].sessionOptions = value }
  }

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
