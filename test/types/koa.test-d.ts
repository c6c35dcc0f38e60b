// `signed-cookie-session/koa`: the middleware, its options, and `ctx.session` on Koa.
import Koa from 'koa'
import { describe, expectTypeOf, it } from 'vitest'
import type { Session, SessionOptions, SessionWriteFailure } from 'signed-cookie-session'
import { koaSession, type KoaContextLike, type KoaSessionMiddleware, type KoaSessionOptions } from 'signed-cookie-session/koa'

describe('koaSession()', () => {
  it('returns a Koa middleware for options or a list of keys', () => {
    expectTypeOf(koaSession({ keys: ['k'] })).toEqualTypeOf<KoaSessionMiddleware>()
    expectTypeOf(koaSession(['new', 'old'])).toEqualTypeOf<KoaSessionMiddleware>()
    expectTypeOf(new Koa().use).toBeCallableWith(koaSession({ keys: ['k'] }))
  })

  it('gives the hooks and onError the context', () => {
    const options: KoaSessionOptions = {
      keys: ['k'],
      validate: (session, ctx) => {
        expectTypeOf(session).toEqualTypeOf<Session>()
        expectTypeOf(ctx).toEqualTypeOf<KoaContextLike>()
        return ctx.secure
      },
      onError: (err, ctx) => {
        expectTypeOf(err).toEqualTypeOf<SessionWriteFailure>()
        expectTypeOf(ctx.secure).toBeBoolean()
      }
    }
    expectTypeOf(koaSession).toBeCallableWith(options)
    // With Koa's own context type, the hooks get all of it.
    new Koa().use(koaSession<Koa.Context>({ keys: ['k'], validate: (session, ctx) => ctx.get('user-agent') === session.ua }))
    // @ts-expect-error onError takes (err, ctx), not (err, req, res)
    koaSession({ keys: ['k'], onError: (err: SessionWriteFailure, ctx: KoaContextLike, res: unknown) => [err, ctx, res] })
    // @ts-expect-error maxAge is a number
    koaSession({ keys: ['k'], maxAge: '1d' })
  })
})

describe('ctx.session', () => {
  it('is Session | null, and accepts an object or null', () => {
    const app = new Koa()
    app.use((ctx) => {
      expectTypeOf(ctx.session).toEqualTypeOf<Session | null>()
      expectTypeOf(ctx.sessionOptions).toEqualTypeOf<SessionOptions>()
      if (ctx.session) ctx.session.views = 1
      ctx.session = { views: 1 }
      ctx.session = null
      // @ts-expect-error a session is an object
      ctx.session = 'views=1'
      // @ts-expect-error isNew is read-only
      if (ctx.session) ctx.session.isNew = true
    })
  })
})
