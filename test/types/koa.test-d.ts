// `signed-cookie-session/koa`: the middleware, its options (koa-session's), and `ctx.session` on Koa.
import Koa from 'koa'
import { describe, expectTypeOf, it } from 'vitest'
import type { SessionOptions, SessionWriteFailure } from 'signed-cookie-session'
import { koaSession, type KoaContextLike, type KoaSession, type KoaSessionMiddleware, type KoaSessionOptions } from 'signed-cookie-session/koa'

describe('koaSession()', () => {
  it('returns a Koa middleware for options (with the app, as koa-session takes it) or a list of keys', () => {
    const app = new Koa()
    expectTypeOf(koaSession({ keys: ['k'] })).toEqualTypeOf<KoaSessionMiddleware>()
    expectTypeOf(koaSession({}, app)).toEqualTypeOf<KoaSessionMiddleware>()
    expectTypeOf(koaSession(app, { maxAge: 'session' })).toEqualTypeOf<KoaSessionMiddleware>()
    expectTypeOf(koaSession(['new', 'old'])).toEqualTypeOf<KoaSessionMiddleware>()
    expectTypeOf(app.use).toBeCallableWith(koaSession({ keys: ['k'] }))
  })

  it('gives koa-session\'s hooks ctx first, and onError the context', () => {
    const options: KoaSessionOptions = {
      keys: ['k'],
      key: 'koa.sess',
      maxAge: 'session',
      autoCommit: false,
      valid: (ctx, session) => {
        expectTypeOf(session).toEqualTypeOf<KoaSession>()
        expectTypeOf(ctx).toEqualTypeOf<KoaContextLike>()
        return ctx.secure
      },
      beforeSave: (ctx, session) => { session.by = ctx.secure },
      onError: (err, ctx) => {
        expectTypeOf(err).toEqualTypeOf<SessionWriteFailure>()
        expectTypeOf(ctx.secure).toBeBoolean()
      }
    }
    expectTypeOf(koaSession).toBeCallableWith(options)
    // With Koa's own context type, the hooks get all of it.
    new Koa().use(koaSession<Koa.Context>({ keys: ['k'], valid: (ctx, session) => ctx.get('user-agent') === session.ua }))
    // @ts-expect-error validate is the other adapters' hook: on Koa it is valid(ctx, session)
    koaSession({ keys: ['k'], validate: () => true })
    // @ts-expect-error onError takes (err, ctx), not (err, req, res)
    koaSession({ keys: ['k'], onError: (err: SessionWriteFailure, ctx: KoaContextLike, res: unknown) => [err, ctx, res] })
    // @ts-expect-error maxAge is a number or 'session'
    koaSession({ keys: ['k'], maxAge: '1d' })
  })
})

describe('ctx.session', () => {
  it('is KoaSession | null, with koa-session\'s API, and accepts an object or null', () => {
    const app = new Koa()
    app.use(async (ctx) => {
      expectTypeOf(ctx.session).toEqualTypeOf<KoaSession | null>()
      expectTypeOf(ctx.sessionOptions).toEqualTypeOf<SessionOptions>()
      if (ctx.session) {
        ctx.session.views = 1
        ctx.session.maxAge = 'session'
        ctx.session.maxAge = 60_000
        expectTypeOf(ctx.session.populated).toBeBoolean()
        expectTypeOf(ctx.session.length).toBeNumber()
        expectTypeOf(ctx.session.save()).toEqualTypeOf<Promise<void>>()
        expectTypeOf(ctx.session.regenerate()).toEqualTypeOf<Promise<void>>()
        expectTypeOf(ctx.session.manuallyCommit()).toEqualTypeOf<Promise<void>>()
        expectTypeOf(ctx.session.externalKey).toEqualTypeOf<string | undefined>()
        await ctx.session.save()
        // @ts-expect-error isNew is read-only
        ctx.session.isNew = true
      }
      ctx.session = { views: 1 }
      ctx.session = null
      // @ts-expect-error a session is an object
      ctx.session = 'views=1'
    })
  })
})
