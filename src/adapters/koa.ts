// The adapter for Koa: `ctx.session` and `ctx.sessionOptions`, with the same options, cookies,
// limits and errors as the Express middleware. The cookies are written after the downstream
// middleware has run (also when it throws), as koa-session does.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type {} from 'koa'
import { RequestSession } from '../core/request.js'
import type { Session } from '../core/session.js'
import type { DefaultSessionData, SessionDataConstraint, SessionInput } from '../types.js'
import { SessionOptionError, type SessionWriteFailure } from '../errors.js'
import { settingsFrom, type BaseOptions, type SessionOptions, type Settings } from '../options/settings.js'
import { nodePlatform } from '../platform/node.js'
import { isKeygrip, type Key, type KeygripLike } from '../platform/types.js'
import { report } from '../report.js'
import { claim, claimKey, isHttps, sessionAccessors } from './shared.js'
import { commitTo } from './shared/node-response.js'

/** What the adapter needs of a Koa context (Koa 2 and 3). */
export interface KoaContextLike {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** Koa's `ctx.secure`: HTTPS, directly or through a proxy when `app.proxy` is set. */
  readonly secure: boolean
}

/**
 * Options of `koaSession(options)`: those of `cookieSession`, with the hooks and onError taking `ctx`.
 * `Data` is the session data type the hooks see.
 */
export type KoaSessionOptions<Ctx extends KoaContextLike = KoaContextLike, Data extends object = DefaultSessionData> = BaseOptions<Ctx, [ctx: Ctx], Data> & {
  /** koa-session's name for the cookie name (`name`), accepted so `key: 'koa.sess'` keeps everyone logged in. */
  key?: string | undefined
}

/** Called when the session cookie cannot be written; the response goes out without it. */
export type KoaErrorHandler = (err: SessionWriteFailure, ctx: KoaContextLike) => void

export type KoaSessionMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void>

declare module 'koa' {
  interface ExtendableContext {
    /** The session; set to `null` to destroy it, or to an object to replace it. */
    get session (): Session | null
    set session (value: SessionInput | null | undefined)
    /** This request's cookie options: a copy of the middleware's, changeable per response. */
    sessionOptions: SessionOptions
  }
}

// Koa's ctx.cookies would write Set-Cookie at once; the core measures each line before it is sent,
// so the cookies are read from ctx.req and written through its own `cookies` instance instead.
class KoaRequestSession extends RequestSession {
  private readonly ctx: KoaContextLike

  constructor (settings: Settings, ctx: KoaContextLike) {
    super(settings, ctx, ctx.req)
    this.ctx = ctx
  }

  isSecure (): boolean {
    return isHttps(this.ctx.secure, this.settings, this.ctx.req.headers['x-forwarded-proto'])
  }

  reportError (err: unknown): void {
    report(this.settings, err, this.ctx)
  }
}

/** What a Koa application offers that the adapter uses: the prototype of every `ctx`. */
export interface KoaAppLike {
  readonly context: object
  use (...args: never[]): unknown
}

function isApp (value: unknown): value is KoaAppLike {
  return typeof value === 'object' && value !== null && typeof (value as KoaAppLike).use === 'function' &&
    typeof (value as KoaAppLike).context === 'object'
}

/** koa-session's option names: `key` means `name`; the others have no meaning here. */
const KOA_NAMES: ReadonlySet<string> = new Set(['key', 'autoCommit'])

function fromKoaSession (options: Record<string, unknown>): Record<string, unknown> {
  if (options.key === undefined && options.autoCommit === undefined && options.valid === undefined) return options
  const { key, autoCommit, valid, ...rest } = options
  if (autoCommit === false) {
    throw new SessionOptionError('option "autoCommit: false" is not supported: the cookie is always written after the downstream middleware ' +
      '(there is no ctx.session.manuallyCommit())')
  }
  if (valid !== undefined) {
    throw new SessionOptionError('option "valid" is koa-session\'s: here it is "validate(session, ctx)", with the arguments the other way round')
  }
  if (key !== undefined) {
    if (rest.name !== undefined && rest.name !== key) {
      throw new SessionOptionError('options "key" (koa-session\'s name for the cookie name) and "name" disagree: give one of them')
    }
    rest.name = key
  }
  return rest
}

/**
 * Creates the Koa middleware: `app.use(koaSession({ keys }, app))`. Same options as `cookieSession`
 * (an array of keys alone works too), and koa-session's `key` for the cookie name; throws a
 * `TypeError` naming any invalid option. With `app`, `ctx.session` works in middleware that runs
 * before this one too (the cookies are still written when this one finishes). `Ctx` is the context
 * type the hooks and onError get, `Data` the session data type of the hooks (`ctx.session` itself
 * is typed by declaring `SessionData`, since Koa's context type is global).
 * @example
 * app.use(koaSession({ keys: process.env.SESSION_KEYS.split(','), maxAge: 86400000 }, app))
 */
export function koaSession<Ctx extends KoaContextLike = KoaContextLike, Data extends SessionDataConstraint<Data> = DefaultSessionData> (
  options?: KoaSessionOptions<Ctx, Data> | readonly Key[] | KeygripLike | KoaAppLike,
  app?: KoaAppLike | KoaSessionOptions<Ctx, Data>
): KoaSessionMiddleware
/** `koaSession<Data>(options)`: the same, with the session data type of the hooks given alone. */
export function koaSession<Data extends SessionDataConstraint<Data>> (
  options?: KoaSessionOptions<KoaContextLike, Data> | readonly Key[] | KeygripLike | KoaAppLike,
  app?: KoaAppLike | KoaSessionOptions<KoaContextLike, Data>
): KoaSessionMiddleware
export function koaSession<Ctx extends KoaContextLike = KoaContextLike> (
  options?: KoaSessionOptions<Ctx> | readonly Key[] | KeygripLike | KoaAppLike,
  app?: KoaAppLike | KoaSessionOptions<Ctx>
): KoaSessionMiddleware {
  // koa-session also takes (app, options).
  if (isApp(options)) [options, app] = [app as KoaSessionOptions<Ctx> | undefined, options]
  const plain = options !== undefined && options !== null && typeof options === 'object' && !Array.isArray(options) && !isKeygrip(options)
  const settings = settingsFrom((plain ? fromKoaSession(options as Record<string, unknown>) : options) as never, nodePlatform, KOA_NAMES)
  if (app !== undefined && !isApp(app)) {
    throw new SessionOptionError('koaSession(options, app): "app" must be the Koa application')
  }
  // One symbol per middleware, so two session middlewares keep their own state.
  const kContext = Symbol('signed-cookie-session koa')
  const kServed = Symbol('served')
  const kClaim = claimKey(settings.name)
  type Carrier = KoaContextLike & { [kContext]?: KoaRequestSession, [kServed]?: true }
  const contextOf = (ctx: object): KoaRequestSession => {
    const carrier = ctx as Carrier
    if (carrier[kContext] === undefined) {
      claim(carrier, kClaim, kContext, settings.name)
      carrier[kContext] = new KoaRequestSession(settings, carrier)
    }
    return carrier[kContext]
  }
  const { session: sessionDescriptor, sessionOptions: sessionOptionsDescriptor } = sessionAccessors(contextOf)
  if (app !== undefined) {
    Object.defineProperty(app.context, 'session', sessionDescriptor)
    Object.defineProperty(app.context, 'sessionOptions', sessionOptionsDescriptor)
  }
  return async function session (ctx: KoaContextLike, next: () => Promise<unknown>): Promise<void> {
    const carrier = ctx as Carrier
    // Mounted twice on one request (app-level and router-level): the outer one serves it and commits last.
    if (carrier[kServed] === true) {
      await next()
      return
    }
    carrier[kServed] = true
    const context = contextOf(ctx)
    // With `app`, every ctx inherits the accessors from app.context; defining them on each ctx
    // would cost a hidden-class change per request.
    if (app === undefined) {
      Object.defineProperty(ctx, 'session', sessionDescriptor)
      Object.defineProperty(ctx, 'sessionOptions', sessionOptionsDescriptor)
    }
    // Read before the app runs where that has to wait (a store), written before the response (a
    // failure is thrown); in cookie mode neither waits, and no await is paid for.
    const loading = context.load()
    if (loading instanceof Promise) await loading
    try {
      try {
        await next()
      } catch (err) {
        // The app's own error goes on; a write that fails on top of it is reported, not thrown over it.
        const saving = context.save()
        if (saving instanceof Promise) await saving.catch((saveErr: unknown) => context.reportError(saveErr))
        throw err
      }
      const saving = context.save()
      if (saving instanceof Promise) await saving
    } finally {
      commitTo(context, ctx.res)
    }
  }
}
