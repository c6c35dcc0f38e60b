// `signed-cookie-session/fastify`: the plugin, its options, and `request.session` on Fastify.
import Fastify, { type FastifyPluginCallback, type FastifyReply, type FastifyRequest } from 'fastify'
import { describe, expectTypeOf, it } from 'vitest'
import type { Session, SessionOptions, SessionWriteFailure } from 'signed-cookie-session'
import { fastifySession, type FastifyErrorHandler, type FastifySession, type FastifySessionOptions } from 'signed-cookie-session/fastify'

describe('fastifySession', () => {
  it('is a Fastify plugin taking the options', async () => {
    expectTypeOf(fastifySession).toEqualTypeOf<FastifyPluginCallback<FastifySessionOptions>>()
    const app = Fastify()
    await app.register(fastifySession, { keys: ['k'], maxAge: 60_000, sameSite: 'lax' })
    // @ts-expect-error maxAge is a number
    await app.register(fastifySession, { keys: ['k'], maxAge: '1d' })
  })

  it('gives the hooks the request, and onError the request and reply', () => {
    const options: FastifySessionOptions = {
      keys: ['k'],
      validate: (session, request) => {
        expectTypeOf(session).toEqualTypeOf<Session>()
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
        return request.headers['user-agent'] === session.ua
      },
      onError: (err, request, reply) => {
        expectTypeOf(err).toEqualTypeOf<SessionWriteFailure>()
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
        expectTypeOf(reply).toEqualTypeOf<FastifyReply>()
      }
    }
    expectTypeOf(options.onError).toMatchTypeOf<FastifyErrorHandler | undefined>()
    // @ts-expect-error onError takes (err, request, reply), not a context
    const wrong: FastifySessionOptions = { keys: ['k'], onError: (err: SessionWriteFailure, ctx: { secure: boolean }) => [err, ctx] }
    expectTypeOf(wrong).not.toBeAny()
  })
})

describe('request.session', () => {
  it('is FastifySession | null, a Session with get/set/data, and accepts an object or null', () => {
    const app = Fastify()
    app.get('/', async (request) => {
      expectTypeOf(request.session).toEqualTypeOf<FastifySession | null>()
      expectTypeOf(request.sessionOptions).toEqualTypeOf<SessionOptions>()
      if (request.session) {
        expectTypeOf(request.session).toMatchTypeOf<Session>()
        request.session.views = (request.session.views ?? 0) + 1
        request.session.set('user', 'ann')
        expectTypeOf(request.session.get('user')).toBeAny()
        expectTypeOf(request.session.data()).toEqualTypeOf<Record<string, any>>()
        expectTypeOf(request.session.regenerate(['user'])).toEqualTypeOf<Promise<void>>()
        expectTypeOf(request.session.regenerate()).toEqualTypeOf<Promise<void>>()
        expectTypeOf(request.session.regenerate).toBeCallableWith((err: SessionWriteFailure | null) => { expectTypeOf(err).toEqualTypeOf<SessionWriteFailure | null>() })
        // @ts-expect-error isNew is read-only
        request.session.isNew = true
      }
      request.session = { views: 1 }
      request.session = null
      // @ts-expect-error a session is an object
      request.session = 'views=1'
      return null
    })
  })
})
