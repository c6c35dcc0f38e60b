// Koa, Fastify and the Fetch API with SessionData declared (session-data.ts): the declaration made
// through the main entry types their sessions too. (The Fetch entry's ES module types are a copy of
// their own, in dist/esm/, which the declaration reaches all the same.)
import Fastify from 'fastify'
import Koa from 'koa'
import { describe, expectTypeOf, it } from 'vitest'
import type { Session, SessionData } from 'signed-cookie-session'
import { fastifySession, type FastifySession } from 'signed-cookie-session/fastify'
import { fetchSession, type FetchSession, type Session as FetchEntrySession } from 'signed-cookie-session/fetch'
import { koaSession } from 'signed-cookie-session/koa'

describe('ctx.session on Koa', () => {
  it('has the declared keys, and what is assigned is checked', () => {
    new Koa().use(koaSession({ keys: ['k'], validate: (session) => session.userId !== '' })).use((ctx) => {
      expectTypeOf(ctx.session).toEqualTypeOf<Session | null>()
      if (ctx.session) {
        expectTypeOf(ctx.session.userId).toBeString()
        // @ts-expect-error views is a number
        ctx.session.views = '1'
        // @ts-expect-error an undeclared key
        ctx.session.role = 'admin'
      }
      ctx.session = { userId: 'ann' }
      // @ts-expect-error userId is missing
      ctx.session = { views: 1 }
    })
  })
})

describe('request.session on Fastify', () => {
  it('has the declared keys, and get, set and data know them', async () => {
    const app = Fastify()
    await app.register(fastifySession, { keys: ['k'], validate: (session) => session.userId !== '' })
    app.get('/', async (request) => {
      expectTypeOf(request.session).toEqualTypeOf<FastifySession | null>()
      if (request.session) {
        expectTypeOf(request.session.userId).toBeString()
        expectTypeOf(request.session.get('views')).toEqualTypeOf<number | undefined>()
        expectTypeOf(request.session.data()).toEqualTypeOf<SessionData>()
        request.session.set('views', 2)
        // @ts-expect-error views is a number
        request.session.set('views', '2')
        // @ts-expect-error an undeclared key
        request.session.get('role')
        // @ts-expect-error an undeclared key
        request.session.role = 'admin'
      }
      request.session = { userId: 'ann' }
      // @ts-expect-error an undeclared key
      request.session = { userId: 'ann', role: 'admin' }
      return null
    })
  })
})

describe('the Fetch API\'s session', () => {
  it('has the declared keys without a type parameter', async () => {
    const scope = await fetchSession({ keys: ['k'] })(new Request('http://x/'))
    expectTypeOf(scope).toEqualTypeOf<FetchSession>()
    expectTypeOf(scope.session).toEqualTypeOf<FetchEntrySession | null>()
    if (scope.session) {
      expectTypeOf(scope.session.userId).toBeString()
      // @ts-expect-error userId is a string
      scope.session.userId = 1
      // @ts-expect-error an undeclared key
      scope.session.role = 'admin'
    }
    scope.session = { userId: 'ann', cart: { items: [{ sku: 'a1', qty: 1 }] } }
    // @ts-expect-error userId is missing
    scope.session = { cart: { items: [] } }
  })

  it('takes a type parameter for a session of another shape (a second cookie)', async () => {
    const admin = fetchSession<{ adminId: string }>({ name: 'admin', keys: ['k'] })
    const scope = await admin(new Request('http://x/'))
    if (scope.session) {
      expectTypeOf(scope.session.adminId).toBeString()
      // @ts-expect-error the declared SessionData is not this session's
      scope.session.userId = 'ann'
    }
  })
})
