// The adapter for Koa, a drop-in for koa-session: `ctx.session` with koa-session's API and expiry
// (koa-request.ts, koa-session-api.ts, koa-expiry.ts), its options (koa-options.ts), and the same
// limits, encryption, chunking and errors as the other adapters. The cookies are written after the
// downstream middleware has run (also when it throws), as koa-session does, or when the app commits
// (`autoCommit: false`).
import type {} from 'koa'
import type { DefaultSessionData, SessionDataConstraint, SessionInput } from '../types.js'
import { SessionOptionError, type SessionWriteFailure } from '../errors.js'
import type { SessionOptions } from '../options/settings.js'
import { nodePlatform } from '../platform/node.js'
import type { Key, KeygripLike } from '../platform/types.js'
import { koaSettings, type KoaSessionOptions } from './koa-options.js'
import { KoaRequestSession, type KoaContextLike } from './koa-request.js'
import type { KoaSession, KoaSessionBase } from './koa-session-api.js'
import { claim, claimKey, sessionAccessors } from './shared.js'
import { commitTo, guardTo } from './shared/node-response.js'

export type { KoaContextLike } from './koa-request.js'
export type { KoaOptions, KoaSessionOptions } from './koa-options.js'
export type { KoaSession, KoaSessionBase, KoaSessionCallback, UntypedKoaSession } from './koa-session-api.js'

/** Called when the session cookie cannot be written; the response goes out without it. */
export type KoaErrorHandler = (err: SessionWriteFailure, ctx: KoaContextLike) => void

export type KoaSessionMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void>

declare module 'koa' {
  interface ExtendableContext {
    /** The session (koa-session's API on it); set to `null` to destroy it, or to an object to replace it. */
    get session (): KoaSession | null
    set session (value: SessionInput<DefaultSessionData, KoaSessionBase> | null | undefined)
    /** This request's cookie options: a copy of the middleware's, changeable per response. */
    sessionOptions: SessionOptions
  }
}

/** What a Koa application offers that the adapter uses: the prototype of every `ctx`, and its keys. */
export interface KoaAppLike {
  readonly context: object
  readonly keys?: unknown
  use (...args: never[]): unknown
}

function isApp (value: unknown): value is KoaAppLike {
  return typeof value === 'object' && value !== null && typeof (value as KoaAppLike).use === 'function' &&
    typeof (value as KoaAppLike).context === 'object'
}

/**
 * Creates the Koa middleware, as koa-session's `session(options, app)` (or `(app, options)`):
 * `app.use(koaSession(options, app))`. koa-session's options and defaults (cookie `koa.sess`, a
 * day kept by the server, app.keys when no `keys` are given), and every option of `cookieSession`;
 * throws a `TypeError` naming any invalid option. With `app`, `ctx.session` works in middleware
 * that runs before this one too (the cookies are still written when this one finishes).
 * `Ctx` is the context type the hooks and onError get, `Data` the session data type of the hooks
 * (`ctx.session` itself is typed by declaring `SessionData`, since Koa's context type is global).
 * @example
 * app.keys = process.env.SESSION_KEYS.split(',')
 * app.use(koaSession({ maxAge: 86400000 }, app))
 */
export function koaSession<Ctx extends KoaContextLike = KoaContextLike, Data extends SessionDataConstraint<Data, KoaSessionBase> = DefaultSessionData> (
  options?: KoaSessionOptions<Ctx, Data> | readonly Key[] | KeygripLike | KoaAppLike,
  app?: KoaAppLike | KoaSessionOptions<Ctx, Data>
): KoaSessionMiddleware
/** `koaSession<Data>(options)`: the same, with the session data type of the hooks given alone. */
export function koaSession<Data extends SessionDataConstraint<Data, KoaSessionBase>> (
  options?: KoaSessionOptions<KoaContextLike, Data> | readonly Key[] | KeygripLike | KoaAppLike,
  app?: KoaAppLike | KoaSessionOptions<KoaContextLike, Data>
): KoaSessionMiddleware
export function koaSession<Ctx extends KoaContextLike = KoaContextLike> (
  options?: KoaSessionOptions<Ctx> | readonly Key[] | KeygripLike | KoaAppLike,
  app?: KoaAppLike | KoaSessionOptions<Ctx>
): KoaSessionMiddleware {
  // koa-session also takes (app, options).
  if (isApp(options)) [options, app] = [app as KoaSessionOptions<Ctx> | undefined, options]
  if (app !== undefined && !isApp(app)) {
    throw new SessionOptionError('koaSession(options, app): "app" must be the Koa application')
  }
  const { settings, koa } = koaSettings(options, app, nodePlatform)
  // One symbol per middleware, so two session middlewares keep their own state.
  const kContext = Symbol('signed-cookie-session koa')
  const kServed = Symbol('served')
  const kClaim = claimKey(settings.name)
  type Carrier = KoaContextLike & { [kContext]?: KoaRequestSession, [kServed]?: true }
  const contextOf = (ctx: object): KoaRequestSession => {
    const carrier = ctx as Carrier
    if (carrier[kContext] === undefined) {
      claim(carrier, kClaim, kContext, settings.name)
      carrier[kContext] = new KoaRequestSession(settings, koa, carrier)
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
    // koa-session's autoCommit: false: the app commits (ctx.session.manuallyCommit()), or nothing is written.
    if (!koa.autoCommit) {
      try {
        await next()
      } finally {
        guardTo(context, ctx.res, context.committed)
      }
      return
    }
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
      commitTo(context, ctx.res, context.committed)
    }
  }
}
