// The adapter for Koa: `ctx.session` and `ctx.sessionOptions`, with the same options, cookies,
// limits and errors as the Express middleware. The cookies are written after the downstream
// middleware has run (also when it throws), as koa-session does.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type {} from 'koa'
import { SessionContext } from '../core/context.js'
import type { Session } from '../core/session.js'
import type { SessionWriteFailure } from '../errors.js'
import { settingsFrom, type BaseOptions, type SessionOptions, type Settings } from '../options/settings.js'
import type { Key, KeygripLike } from '../wire/signer.js'
import { commitTo, isHttps, sessionAccessors } from './shared.js'

/** What the adapter needs of a Koa context (Koa 2 and 3). */
export interface KoaContextLike {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** Koa's `ctx.secure`: HTTPS, directly or through a proxy when `app.proxy` is set. */
  readonly secure: boolean
}

/** Options of `koaSession(options)`: those of `cookieSession`, with the hooks and onError taking `ctx`. */
export type KoaSessionOptions<Ctx extends KoaContextLike = KoaContextLike> = BaseOptions<Ctx, [ctx: Ctx]>

/** Called when the session cookie cannot be written; the response goes out without it. */
export type KoaErrorHandler = (err: SessionWriteFailure, ctx: KoaContextLike) => void

export type KoaSessionMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void>

declare module 'koa' {
  interface ExtendableContext {
    /** The session; set to `null` to destroy it, or to an object to replace it. */
    get session (): Session | null
    set session (value: object | null | undefined)
    /** This request's cookie options: a copy of the middleware's, changeable per response. */
    sessionOptions: SessionOptions
  }
}

// Koa's ctx.cookies would write Set-Cookie at once; the core measures each line before it is sent,
// so the cookies are read from ctx.req and written through its own `cookies` instance instead.
class KoaSessionContext extends SessionContext {
  private readonly ctx: KoaContextLike

  constructor (settings: Settings, ctx: KoaContextLike) {
    super(settings, ctx, ctx.req)
    this.ctx = ctx
  }

  protected isSecure (): boolean {
    return isHttps(this.ctx.secure, this.settings, this.ctx.req.headers['x-forwarded-proto'])
  }
}

const kContext = Symbol('signed-cookie-session koa')
type Carrier = KoaContextLike & { [kContext]: KoaSessionContext }

const { session: sessionDescriptor, sessionOptions: sessionOptionsDescriptor } = sessionAccessors(kContext)

/**
 * Creates the Koa middleware: `app.use(koaSession({ keys }))`. Same options as `cookieSession`
 * (an array of keys alone works too); throws a `TypeError` naming any invalid option.
 */
export function koaSession<Ctx extends KoaContextLike = KoaContextLike> (
  options?: KoaSessionOptions<Ctx> | readonly Key[] | KeygripLike
): KoaSessionMiddleware {
  const settings = settingsFrom(options as never)
  return async function session (ctx: KoaContextLike, next: () => Promise<unknown>): Promise<void> {
    const context = new KoaSessionContext(settings, ctx)
    ;(ctx as Carrier)[kContext] = context
    Object.defineProperty(ctx, 'session', sessionDescriptor)
    Object.defineProperty(ctx, 'sessionOptions', sessionOptionsDescriptor)
    try {
      await next()
    } finally {
      commitTo(context, ctx.res, ctx)
    }
  }
}
