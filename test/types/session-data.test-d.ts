// Typed session data without a declaration of `SessionData`: `Session<Data>`, the adapters' `Data`
// type parameters, and the messages that data a session cannot hold turns into. (Declaring
// `SessionData` changes the whole compilation, so those tests are a program of their own:
// test/types/declared/, compiled by test/session-data.test.ts.)
import express from 'express'
import Fastify, { type FastifyRequest } from 'fastify'
import Koa from 'koa'
import { describe, expectTypeOf, it } from 'vitest'
import cookieSession, { type CookieSessionOptions, type Session, type SessionData } from 'signed-cookie-session'
import { fastifySession, type FastifySession, type FastifySessionOptions } from 'signed-cookie-session/fastify'
import { fetchSession, type FetchSession, type FetchSessionOptions, type FetchSessions } from 'signed-cookie-session/fetch'
import { koaSession, type KoaContextLike, type KoaSessionOptions } from 'signed-cookie-session/koa'

type Json = string | number | boolean | null | Json[] | { [key: string]: Json }
interface Cart { items: Array<{ sku: string, qty: number }>, coupon?: string | null }
interface AppData { userId: string, views?: number, cart?: Cart }

describe('without a declaration', () => {
  it('SessionData has no keys, and a session takes any key and value, as in cookie-session', () => {
    expectTypeOf<keyof SessionData>().toBeNever()
    const session = {} as Session
    expectTypeOf(session.userId).toBeAny()
    session.when = new Date()
    session.views = 'many'
    expectTypeOf(session.isNew).toBeBoolean()
    expectTypeOf(session.save()).toEqualTypeOf<Promise<void>>()
  })

  it('types the adapters\' sessions as before: Session, with no type parameter given', () => {
    expectTypeOf(fetchSession({ keys: ['k'] })).toEqualTypeOf<FetchSessions>()
    expectTypeOf<FetchSession['session']>().toEqualTypeOf<Session | null>()
    expectTypeOf<FetchSessionOptions>().toEqualTypeOf<FetchSessionOptions<Record<string, any>>>()
  })
})

describe('Session<Data>', () => {
  it('reads each key as its declared type', () => {
    const session = {} as Session<AppData>
    expectTypeOf(session.userId).toBeString()
    expectTypeOf(session.views).toEqualTypeOf<number | undefined>()
    expectTypeOf(session.cart?.items).toEqualTypeOf<Array<{ sku: string, qty: number }> | undefined>()
  })

  it('refuses a value of the wrong type and a key that is not declared', () => {
    const session = {} as Session<AppData>
    session.views = 2
    delete session.views
    // @ts-expect-error userId is a string
    session.userId = 42
    // @ts-expect-error views is a number
    session.views = '2'
    // @ts-expect-error an undeclared key
    session.userid = 'ann'
    // @ts-expect-error an undeclared key, read
    expectTypeOf(session.role).toBeAny()
  })

  it('keeps the flags read-only and the methods, which no data key can shadow', () => {
    const session = {} as Session<AppData>
    expectTypeOf(session.isNew).toBeBoolean()
    expectTypeOf(session.encodedChunks).toBeNumber()
    expectTypeOf(session.regenerate()).toEqualTypeOf<Promise<void>>()
    expectTypeOf(session.touch).parameters.toEqualTypeOf<[]>()
    // @ts-expect-error isNew is read-only
    session.isNew = false
  })
})

describe('fetchSession<Data>()', () => {
  it('types the scope\'s session and what may be assigned to it', async () => {
    const sessions = fetchSession<AppData>({ keys: ['k'] })
    expectTypeOf(sessions).toEqualTypeOf<FetchSessions<AppData>>()
    const scope = await sessions(new Request('http://x/'))
    expectTypeOf(scope).toEqualTypeOf<FetchSession<AppData>>()
    expectTypeOf(scope.session).toEqualTypeOf<Session<AppData> | null>()
    expectTypeOf((await sessions.load(new Request('http://x/'))).session).toEqualTypeOf<Session<AppData> | null>()
    if (scope.session) {
      scope.session.views = (scope.session.views ?? 0) + 1
      // @ts-expect-error views is a number
      scope.session.views = 'one'
      // @ts-expect-error an undeclared key
      scope.session.role = 'admin'
    }
    scope.session = { userId: 'ann' }
    scope.session = { userId: 'ann', cart: { items: [{ sku: 'a1', qty: 2 }] } }
    scope.session = null
    scope.session = undefined
    // @ts-expect-error userId is missing
    scope.session = { views: 1 }
    // @ts-expect-error an undeclared key
    scope.session = { userId: 'ann', role: 'admin' }
    // @ts-expect-error a session is an object
    scope.session = 'userId=ann'
  })

  it('gives the hooks the typed session', () => {
    fetchSession<AppData>({
      keys: ['k'],
      validate: (session, request) => {
        expectTypeOf(session).toEqualTypeOf<Session<AppData>>()
        expectTypeOf(request).toEqualTypeOf<Request>()
        return session.userId !== ''
      },
      beforeSave: (session) => {
        // @ts-expect-error views is a number
        session.views = 'one'
      }
    })
    // @ts-expect-error the hook reads a key AppData does not have
    fetchSession<AppData>({ keys: ['k'], validate: (session) => session.role === 'admin' })
  })

  it('refuses, at the call, data a session cannot hold', () => {
    // @ts-expect-error save is a session method
    fetchSession<{ save: string }>({ keys: ['k'] })
    // @ts-expect-error a Date does not come back from the cookie as one
    fetchSession<{ createdAt: Date }>({ keys: ['k'] })
    // @ts-expect-error nested too
    fetchSession<{ user: { tags: Set<string> } }>({ keys: ['k'] })
    expectTypeOf(fetchSession<{ user: { tags: string[] }, seen: Json }>).toBeCallableWith({ keys: ['k'] })
  })
})

describe('koaSession<Data>()', () => {
  it('takes the data type alone, or after the context type, and types the hooks with it', () => {
    new Koa().use(koaSession<AppData>({
      keys: ['k'],
      validate: (session, ctx) => {
        expectTypeOf(session).toEqualTypeOf<Session<AppData>>()
        expectTypeOf(ctx).toEqualTypeOf<KoaContextLike>()
        return session.userId !== ''
      }
    }))
    new Koa().use(koaSession<Koa.Context, AppData>({
      keys: ['k'],
      beforeSave: (session, ctx) => {
        expectTypeOf(session).toEqualTypeOf<Session<AppData>>()
        expectTypeOf(ctx).toEqualTypeOf<Koa.Context>()
        session.views = ctx.status
      }
    }))
    // The context type alone, as before.
    new Koa().use(koaSession<Koa.Context>({ keys: ['k'], validate: (session, ctx) => ctx.get('user-agent') === session.ua }))
    expectTypeOf<KoaSessionOptions<Koa.Context, AppData>['validate']>().toEqualTypeOf<((session: Session<AppData>, ctx: Koa.Context) => boolean) | undefined>()
  })

  it('refuses a hook that misuses the data, and data a session cannot hold', () => {
    // @ts-expect-error userId is a string
    koaSession<AppData>({ keys: ['k'], beforeSave: (session) => { session.userId = 1 } })
    // @ts-expect-error isNew is a session property
    koaSession<{ isNew: boolean }>({ keys: ['k'] })
    // @ts-expect-error a function does not survive JSON
    koaSession<Koa.Context, { onLogin: () => void }>({ keys: ['k'] })
  })
})

describe('cookieSession<Data>()', () => {
  it('types the hooks (req.session itself follows the declared SessionData)', () => {
    express().use(cookieSession<AppData>({
      keys: ['k'],
      validate (session) {
        expectTypeOf(session).toEqualTypeOf<Session<AppData>>()
        return session.userId !== ''
      }
    }))
    const options: CookieSessionOptions<AppData> = { keys: ['k'], beforeSave: (session) => { session.views = 1 } }
    expectTypeOf(cookieSession<AppData>).toBeCallableWith(options)
    // @ts-expect-error views is a number
    cookieSession<AppData>({ keys: ['k'], beforeSave: (session) => { session.views = 'one' } })
    // @ts-expect-error a bigint cannot be written as JSON
    cookieSession<{ balance: bigint }>({ keys: ['k'] })
  })
})

describe('FastifySessionOptions<Data> and FastifySession<Data>', () => {
  it('types the hooks, and the plugin takes such options', async () => {
    const options: FastifySessionOptions<AppData> = {
      keys: ['k'],
      validate: (session, request) => {
        // As on the other adapters (and as before), the hooks get a Session.
        expectTypeOf(session).toEqualTypeOf<Session<AppData>>()
        expectTypeOf(request).toEqualTypeOf<FastifyRequest>()
        return session.userId !== ''
      }
    }
    await Fastify().register(fastifySession, options)
    // @ts-expect-error views is a number
    const wrong: FastifySessionOptions<AppData> = { keys: ['k'], beforeSave: (session) => { session.views = 'one' } }
    expectTypeOf(wrong).not.toBeAny()
  })

  it('types get, set, data and regenerate(fields) by the data', () => {
    const session = {} as FastifySession<AppData>
    expectTypeOf(session.get('views')).toEqualTypeOf<number | undefined>()
    session.set('userId', 'ann')
    session.set('views', undefined)
    expectTypeOf(session.data()).toEqualTypeOf<AppData>()
    expectTypeOf(session.regenerate(['userId'])).toEqualTypeOf<Promise<void>>()
    // @ts-expect-error an undeclared key
    session.get('role')
    // @ts-expect-error userId is a string
    session.set('userId', 1)
    // @ts-expect-error regenerate keeps declared keys
    session.regenerate(['role'])
  })

  it('refuses keys named like the Fastify session\'s own methods', () => {
    expectTypeOf<FastifySession<{ get: string }>>().toEqualTypeOf<'SessionData key \'get\' collides with the session method get(); rename it'>()
    expectTypeOf<Session<{ get: string }>['get']>().toBeString()
  })
})

describe('data a session cannot hold', () => {
  it('turns the session type into a message naming a key that collides with a flag or method', () => {
    expectTypeOf<Session<{ save: string }>>().toEqualTypeOf<'SessionData key \'save\' collides with the session method save(); rename it'>()
    expectTypeOf<Session<{ destroyAll?: boolean }>>().toEqualTypeOf<'SessionData key \'destroyAll\' collides with the session method destroyAll(); rename it'>()
    expectTypeOf<Session<{ isNew: boolean }>>().toEqualTypeOf<'SessionData key \'isNew\' collides with the session property isNew; rename it'>()
    expectTypeOf<Session<{ encodedSize: number }>>().toEqualTypeOf<'SessionData key \'encodedSize\' collides with the session property encodedSize; rename it'>()
    const session = {} as Session<{ userId: string, save: string }>
    // @ts-expect-error the session is the message, which has no userId
    expectTypeOf(session.userId).toBeString()
  })

  it('names each value JSON cannot carry, by its path', () => {
    expectTypeOf<Session<{ createdAt: Date }>>().toEqualTypeOf<'SessionData.createdAt is a Date, which comes back from the cookie as a string; store date.getTime() or date.toISOString()'>()
    expectTypeOf<Session<{ roles: Map<string, boolean> }>>().toEqualTypeOf<'SessionData.roles is a Map, which JSON turns into {}; store Object.fromEntries(map) or [...map]'>()
    expectTypeOf<Session<{ seen: Set<string> }>>().toEqualTypeOf<'SessionData.seen is a Set, which JSON turns into {}; store [...set]'>()
    expectTypeOf<Session<{ next: () => string }>>().toEqualTypeOf<'SessionData.next is a function, which JSON leaves out'>()
    expectTypeOf<Session<{ balance: bigint }>>().toEqualTypeOf<'SessionData.balance is a bigint, which JSON.stringify cannot write; store it as a string'>()
    expectTypeOf<Session<{ tag: symbol }>>().toEqualTypeOf<'SessionData.tag is a symbol, which JSON leaves out'>()
    expectTypeOf<Session<{ gone: undefined }>>().toEqualTypeOf<'SessionData.gone is only ever undefined, which JSON leaves out; declare it optional, or null'>()
    expectTypeOf<Session<{ avatar: Uint8Array }>>().toEqualTypeOf<'SessionData.avatar is a Uint8Array or Buffer, which does not come back from JSON as one; store it as a base64 string'>()
    class User {
      name = 'ann'
      greet (): string { return `hello ${this.name}` }
    }
    expectTypeOf<Session<{ user: User }>>().toEqualTypeOf<'SessionData.user has methods (is it a class instance?), which do not come back from JSON; store plain data'>()
    expectTypeOf<Session<{ user?: { visits: Array<{ at: Date }> } }>>()
      .toEqualTypeOf<'SessionData.user.visits[number].at is a Date, which comes back from the cookie as a string; store date.getTime() or date.toISOString()'>()
    expectTypeOf<Session<{ byDay: Record<string, Date | null> }>>()
      .toEqualTypeOf<'SessionData.byDay[string] is a Date, which comes back from the cookie as a string; store date.getTime() or date.toISOString()'>()
    expectTypeOf<Session<{ when: string | Date }>>().toEqualTypeOf<'SessionData.when is a Date, which comes back from the cookie as a string; store date.getTime() or date.toISOString()'>()
  })

  it('lists every problem', () => {
    expectTypeOf<Session<{ save: string, createdAt: Date }>>().toEqualTypeOf<
      | 'SessionData key \'save\' collides with the session method save(); rename it'
      | 'SessionData.createdAt is a Date, which comes back from the cookie as a string; store date.getTime() or date.toISOString()'
    >()
  })

  it('accepts what JSON carries: nested plain objects, arrays, tuples, null, optional keys, unknown, recursive JSON types', () => {
    interface Fine {
      name: string
      age?: number
      admin: boolean
      nothing: null
      maybe: string | undefined
      tags: readonly string[]
      pair: [string, number]
      cart: Cart
      scores: Record<string, number>
      raw: unknown
      anything: any
      json: Json
      kind: 'user' | 'admin'
    }
    expectTypeOf<Session<Fine>>().toExtend<Fine>()
    expectTypeOf<Session<Fine>['cart']>().toEqualTypeOf<Cart>()
  })

  it('makes a hook that uses such a session fail with the message', () => {
    // @ts-expect-error the session is 'SessionData.createdAt is a Date, ...'
    fetchSession<{ createdAt: Date }>({ keys: ['k'], validate: (session) => session.createdAt.getTime() > 0 })
  })
})
