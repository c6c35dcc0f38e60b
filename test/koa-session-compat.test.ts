// The Koa adapter as a drop-in for koa-session 7: what koa-session's users rely on, checked on Koa 2
// and Koa 3 in our own words (koa-session's own cookie.test.ts runs unchanged through
// `npm run test:upstream` where its file is at hand). Then, over real HTTP, koa-session 7 itself
// beside us: its cookies read here with their expiry honoured, ours read back by it.
import http from 'node:http'
import Keygrip from 'keygrip'
import Koa3 from 'koa'
import Koa2 from 'koa2'
import koaSessionPackage from 'koa-session'
import request from 'supertest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionOptionError, type SessionTooLargeError } from '../src/index.js'
import { koaSession } from '../src/koa.js'
import { serve } from './helpers/apps.js'
import { KoaStyleStore } from './helpers/koa-store.js'

type KoaClass = typeof Koa3
type Ctx = Koa3.Context
type Route = (ctx: Ctx, next: Koa3.Next) => unknown

const APP_KEYS = ['a', 'b']
const DAY = 86_400_000
const T0 = Date.UTC(2030, 0, 1)
const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'
const INSPECT = Symbol.for('nodejs.util.inspect.custom')

const b64 = (text: string) => Buffer.from(text).toString('base64')
const sigOf = (name: string, value: string, keys = APP_KEYS) => new Keygrip(keys).sign(`${name}=${value}`)

interface Answer { status: number, text: string, body: any, setCookie: string[], headers: Record<string, unknown> }

/** Sends one request to `app` over HTTP. */
async function send (app: Koa3, { cookie, method = 'GET', path = '/', headers = {} }: { cookie?: string, method?: string, path?: string, headers?: Record<string, string> } = {}): Promise<Answer> {
  const req = request(http.createServer(app.callback()))[method.toLowerCase() as 'get'](path)
  if (cookie !== undefined) req.set('Cookie', cookie)
  for (const [name, value] of Object.entries(headers)) req.set(name, value)
  const res = await req
  const lines = res.headers['set-cookie'] as unknown as string[] | undefined
  return { status: res.status, text: res.text, body: res.body, setCookie: lines ?? [], headers: res.headers }
}

/** The Cookie header a browser sends back after `setCookie` (expired cookies left out). */
function cookieFrom (setCookie: string[]): string {
  return setCookie.filter((line) => !line.includes(EPOCH)).map((line) => line.split(';')[0]).join('; ')
}

/** The JSON a session cookie line carries. */
function jsonOf (line: string | undefined): unknown {
  const value = /^[^=]+=([^;]*)/.exec(line ?? '')?.[1] ?? ''
  return JSON.parse(Buffer.from(value, 'base64').toString('utf8'))
}

afterEach(() => { vi.useRealTimers() })

function atT0 (): void {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(T0)
}

describe.each([['Koa 2', Koa2 as unknown as KoaClass], ['Koa 3', Koa3]])('koaSession on %s, as koa-session is used', (_, Koa) => {
  /** An app signed by app.keys, koaSession(options, app) mounted, then `routes`. */
  function appWith (options: object, ...routes: Route[]): Koa3 {
    const app = new Koa()
    app.keys = APP_KEYS
    app.use(koaSession(options as never, app))
    for (const route of routes) app.use(route)
    return app
  }

  describe('keys and mounting', () => {
    it('signs with app.keys, read when a request comes (set after the middleware was made)', async () => {
      atT0()
      const app = new Koa()
      app.use(koaSession({}, app))
      app.use((ctx) => { ctx.session!.user = 'ann'; ctx.body = 'ok' })
      app.keys = ['later', 'older']
      const res = await send(app)
      const value = b64(`{"user":"ann","_expire":${T0 + DAY},"_maxAge":${DAY}}`)
      expect(res.setCookie).toEqual([
        `koa.sess=${value}; path=/; httponly`,
        `koa.sess.sig=${sigOf('koa.sess', value, ['later', 'older'])}; path=/; httponly`
      ])
    })

    it('fails the request when nothing can sign: no keys and no app.keys', async () => {
      const app = new Koa()
      const errors: Error[] = []
      app.on('error', (err: Error) => { errors.push(err) })
      app.use(koaSession(app as never))
      app.use((ctx) => { ctx.session!.user = 'ann'; ctx.body = 'ok' })
      const res = await send(app)
      expect(res.status).toBe(500)
      expect(res.setCookie).toEqual([])
      expect(errors[0]).toBeInstanceOf(SessionOptionError)
      expect(errors[0]?.message).toBe('app.keys required for signed cookies: set app.keys (an array of secret keys, newest first), or give option "keys"')
    })

    it('throws at creation without the app and without keys, naming what is missing', () => {
      for (const create of [() => (koaSession as () => unknown)(), () => koaSession({})]) {
        expect(create).toThrow(SessionOptionError)
        expect(create).toThrow('app instance required: `session(opts, app)`: koaSession signs with app.keys; pass the Koa app, or give option "keys"')
      }
      expect(typeof koaSession({ keys: ['k'] })).toBe('function')
      expect(typeof koaSession({ signed: false })).toBe('function')
    })

    it('writes an unsigned cookie, with no keys anywhere, when signed is false', async () => {
      atT0()
      const app = new Koa()
      app.use(koaSession({ signed: false }, app))
      app.use((ctx) => { ctx.session!.user = 'ann'; ctx.body = ctx.session })
      const res = await send(app)
      expect(res.status).toBe(200)
      expect(res.setCookie).toEqual([`koa.sess=${b64(`{"user":"ann","_expire":${T0 + DAY},"_maxAge":${DAY}}`)}; path=/; httponly`])
    })

    it('lets middleware before it use ctx.session when given the app, and still saves it', async () => {
      const app = new Koa()
      app.keys = APP_KEYS
      app.use(async (ctx, next) => { ctx.session!.visits = (ctx.session!.visits ?? 0) + 1; await next() })
      app.use(koaSession({}, app))
      app.use((ctx) => { ctx.body = String(ctx.session!.visits) })
      const first = await send(app)
      const second = await send(app, { cookie: cookieFrom(first.setCookie) })
      expect([first.text, second.text]).toEqual(['1', '2'])
    })

    it('can be made twice for one app', () => {
      const app = new Koa()
      expect([typeof koaSession({}, app), typeof koaSession({}, app)]).toEqual(['function', 'function'])
    })
  })

  describe('when the cookie is sent', () => {
    it('sends nothing for a new session left alone, read, or shown empty', async () => {
      for (const route of [(ctx: Ctx) => { ctx.body = 'hi' }, (ctx: Ctx) => { ctx.body = String(ctx.session!.isNew) }, (ctx: Ctx) => { ctx.body = ctx.session }]) {
        const res = await send(appWith({}, route))
        expect(res.setCookie).toEqual([])
      }
    })

    it('writes a new session holding data, with koa-session\'s _expire and _maxAge of a day, as a browser-session cookie', async () => {
      atT0()
      const res = await send(appWith({}, (ctx) => { ctx.session!.message = 'hello'; ctx.body = '' }))
      const value = b64(`{"message":"hello","_expire":${T0 + DAY},"_maxAge":${DAY}}`)
      expect(res.setCookie).toEqual([`koa.sess=${value}; path=/; httponly`, `koa.sess.sig=${sigOf('koa.sess', value)}; path=/; httponly`])
    })

    it('reads a saved session back without its bookkeeping, and sends nothing unless it changes', async () => {
      const written = await send(appWith({}, (ctx) => { ctx.session!.message = 'hello'; ctx.body = '' }))
      const cookie = cookieFrom(written.setCookie)
      const untouched = await send(appWith({}, (ctx) => { ctx.body = 'x' }), { cookie })
      const read = await send(appWith({}, (ctx) => { ctx.body = { keys: Object.keys(ctx.session!), message: ctx.session!.message } }), { cookie })
      const changed = await send(appWith({}, (ctx) => { ctx.session!.money = '$$$'; ctx.body = '' }), { cookie })
      expect(untouched.setCookie).toEqual([])
      expect(read.body).toEqual({ keys: ['message'], message: 'hello' })
      expect(read.setCookie).toEqual([])
      expect(changed.setCookie.map((line) => line.split('=')[0])).toEqual(['koa.sess', 'koa.sess.sig'])
      expect(jsonOf(changed.setCookie[0])).toMatchObject({ message: 'hello', money: '$$$' })
      expect(changed.setCookie.join('|')).not.toContain('samesite')
    })

    it('keeps a value holding a semicolon intact', async () => {
      const app = appWith({}, (ctx) => {
        if (ctx.method === 'POST') {
          ctx.session!.text = 'a;b'
          ctx.status = 204
        } else {
          ctx.body = ctx.session!.text
        }
      })
      const posted = await send(app, { method: 'POST' })
      expect((await send(app, { cookie: cookieFrom(posted.setCookie) })).text).toBe('a;b')
    })

    it('saves a session changed before an error that an outer middleware answers', async () => {
      const app = new Koa()
      app.keys = APP_KEYS
      app.use(async (ctx, next) => {
        try {
          await next()
        } catch (err) {
          ctx.status = (err as { status: number }).status
          ctx.body = 'handled'
        }
      })
      app.use(koaSession(app as never))
      app.use((ctx) => {
        ctx.session!.name = 'funny'
        ctx.throw(401)
      })
      const res = await send(app)
      expect(res.status).toBe(401)
      expect((jsonOf(res.setCookie[0]) as { name: string }).name).toBe('funny')
    })
  })

  describe('ctx.session = ...', () => {
    it('null expires both cookies, and ctx.session reads null afterwards', async () => {
      const res = await send(appWith({}, (ctx) => {
        ctx.session!.hello = {}
        ctx.session = null
        ctx.body = String(ctx.session === null)
      }))
      expect(res.text).toBe('true')
      expect(res.setCookie).toEqual([`koa.sess=; path=/; ${EPOCH}; httponly`, `koa.sess.sig=${sigOf('koa.sess', '')}; path=/; ${EPOCH}; httponly`])
    })

    it('null expires the one cookie of an unsigned session', async () => {
      const res = await send(appWith({ signed: false }, (ctx) => { ctx.session = null; ctx.body = '' }))
      expect(res.setCookie).toEqual([`koa.sess=; path=/; ${EPOCH}; httponly`])
    })

    it('an empty object on a new request sends nothing; an object with data is a session', async () => {
      expect((await send(appWith({}, (ctx) => { ctx.session = {}; ctx.body = '' }))).setCookie).toEqual([])
      const res = await send(appWith({}, (ctx) => { ctx.session = { message: 'hello' }; ctx.body = ctx.session }))
      expect(res.body).toEqual({ message: 'hello' })
      expect(jsonOf(res.setCookie[0])).toMatchObject({ message: 'hello' })
    })

    it.each([['a string', 'asdf'], ['undefined', undefined], ['a number', 1]])('%s fails the request with a TypeError', async (_, value) => {
      const errors: Error[] = []
      const app = appWith({}, (ctx) => { (ctx as { session: unknown }).session = value })
      app.on('error', (err: Error) => { errors.push(err) })
      const res = await send(app)
      expect(res.status).toBe(500)
      expect(res.text).toBe('Internal Server Error')
      expect(errors[0]).toBeInstanceOf(TypeError)
      expect(errors[0]?.message).toBe('ctx.session can only be set as null or an object')
    })
  })

  describe('koa-session\'s session API', () => {
    it('length and populated count the data', async () => {
      const res = await send(appWith({}, (ctx) => {
        const before = [ctx.session!.length, ctx.session!.populated]
        ctx.session!.foo = 'bar'
        ctx.body = [...before, ctx.session!.length, ctx.session!.populated]
      }))
      expect(res.body).toEqual([0, false, 1, true])
    })

    it('toJSON() and util.inspect.custom give the plain data', async () => {
      const res = await send(appWith({}, (ctx) => {
        ctx.session!.foo = 'bar'
        const session = ctx.session as unknown as Record<string | symbol, () => unknown>
        ctx.body = { inspected: session[INSPECT]!(), json: session.toJSON!(), stringified: JSON.stringify(ctx.session) }
      }))
      expect(res.body).toEqual({ inspected: { foo: 'bar' }, json: { foo: 'bar' }, stringified: '{"foo":"bar"}' })
      expect(res.setCookie).toHaveLength(2)
    })

    it('save() writes even a new empty session, without being awaited', async () => {
      atT0()
      const res = await send(appWith({}, (ctx) => { ctx.session!.save().catch(() => {}); ctx.body = 'hello' }))
      const value = b64(`{"_expire":${T0 + DAY},"_maxAge":${DAY}}`)
      expect(res.setCookie).toEqual([`koa.sess=${value}; path=/; httponly`, `koa.sess.sig=${sigOf('koa.sess', value)}; path=/; httponly`])
    })

    it('save(callback) and regenerate(callback) call back once the cookie is set', async () => {
      const res = await send(appWith({}, async (ctx) => {
        ctx.session!.a = 1
        const saved = await new Promise((resolve) => ctx.session!.save((err?: unknown) => resolve(err ?? null)))
        const regenerated = await new Promise((resolve) => ctx.session!.regenerate((err?: unknown) => resolve(err ?? null)))
        ctx.body = [saved, regenerated, ctx.response.get('Set-Cookie').length > 0]
      }))
      expect(res.body).toEqual([null, null, true])
    })

    it('regenerate() keeps the content and sends a new cookie for it', async () => {
      vi.useFakeTimers({ toFake: ['Date'] })
      vi.setSystemTime(T0)
      const first = await send(appWith({}, (ctx) => { ctx.session!.message = 'hi'; ctx.body = '' }))
      vi.setSystemTime(T0 + 1000)
      const app = appWith({}, async (ctx, next) => {
        await ctx.session!.regenerate()
        await next()
      }, (ctx) => { ctx.body = ctx.session!.message })
      const second = await send(app, { cookie: cookieFrom(first.setCookie) })
      expect(second.text).toBe('hi')
      expect(jsonOf(second.setCookie[0])).toEqual({ message: 'hi', _expire: T0 + 1000 + DAY, _maxAge: DAY })
      expect(cookieFrom(second.setCookie)).not.toBe(cookieFrom(first.setCookie))
    })

    it('its names are not data, and only Koa sessions have them', async () => {
      const res = await send(appWith({}, (ctx) => {
        ctx.session!.a = 1
        ctx.body = { keys: Object.keys(ctx.session!), has: ['length', 'populated', 'maxAge', 'save'].map((name) => name in ctx.session!) }
      }))
      expect(res.body).toEqual({ keys: ['a'], has: [false, false, false, false] })
      const express = await serve(cookieSession({ keys: ['k'] }), (req) => {
        req.session.populated = 'data'
        return [req.session.populated, typeof req.session.manuallyCommit, typeof req.session.toJSON, req.session.save.length]
      }).get()
      expect(express.body).toEqual(['data', 'undefined', 'undefined', 1])
    })
  })

  describe('maxAge, kept by the server as koa-session keeps it', () => {
    it('reads a session until its maxAge has passed, then refuses it and clears the cookie', async () => {
      atT0()
      const app = appWith({ maxAge: 100 }, (ctx) => {
        if (ctx.method === 'POST') ctx.session!.message = 'hi'
        ctx.body = ctx.session!.message ?? ''
      })
      const posted = await send(app, { method: 'POST' })
      const value = b64(`{"message":"hi","_expire":${T0 + 100},"_maxAge":100}`)
      expect(posted.setCookie[0]).toBe(`koa.sess=${value}; path=/; expires=Tue, 01 Jan 2030 00:00:00 GMT; httponly`)
      const cookie = cookieFrom(posted.setCookie)
      vi.setSystemTime(T0 + 100)
      expect((await send(app, { cookie })).text).toBe('hi')
      vi.setSystemTime(T0 + 101)
      const late = await send(app, { cookie })
      expect(late.text).toBe('')
      expect(late.setCookie[0]).toBe(`koa.sess=; path=/; ${EPOCH}; httponly`)
    })

    it('ctx.session.maxAge reads the option (unset: undefined, as in koa-session)', async () => {
      expect((await send(appWith({ maxAge: 100 }, (ctx) => { ctx.body = String(ctx.session!.maxAge) }))).text).toBe('100')
      expect((await send(appWith({}, (ctx) => { ctx.body = String(ctx.session!.maxAge) }))).text).toBe('undefined')
    })

    it.each([
      ['set on a session with data', (ctx: Ctx) => { ctx.session!.foo = 'bar'; ctx.session!.maxAge = 100 }, { foo: 'bar' }],
      ['set on an empty new session', (ctx: Ctx) => { ctx.session!.maxAge = 100 }, {}],
      ['given in an assigned object', (ctx: Ctx) => { ctx.session = { maxAge: 100 } }, {}]
    ])('ctx.session.maxAge %s writes the cookie with that lifetime', async (_, route, data) => {
      atT0()
      const res = await send(appWith({}, (ctx) => { route(ctx); ctx.body = '' }))
      expect(res.setCookie[0]).toMatch(/; path=\/; expires=Tue, 01 Jan 2030 00:00:00 GMT; httponly$/)
      expect(jsonOf(res.setCookie[0])).toEqual({ ...data, _expire: T0 + 100, _maxAge: 100 })
    })

    it('a cookie\'s own _maxAge is the session\'s lifetime on later writes (remember me)', async () => {
      atT0()
      const remember = await send(appWith({}, (ctx) => { ctx.session!.user = 'ann'; ctx.session!.maxAge = 30 * DAY; ctx.body = '' }))
      vi.setSystemTime(T0 + DAY)
      const later = await send(appWith({}, (ctx) => { ctx.session!.visits = 1; ctx.body = String(ctx.session!.maxAge) }), { cookie: cookieFrom(remember.setCookie) })
      expect(later.text).toBe(String(30 * DAY))
      expect(jsonOf(later.setCookie[0])).toEqual({ user: 'ann', visits: 1, _expire: T0 + 31 * DAY, _maxAge: 30 * DAY })
      expect(later.setCookie[0]).toContain('; expires=Fri, 01 Feb 2030 00:00:00 GMT;')
    })

    it('ignores a _maxAge that no cookie date can carry: a hostile cookie is never a 500', async () => {
      const value = b64(`{"user":"ann","_expire":${Date.now() + 60_000},"_maxAge":1e300}`)
      const app = appWith({ signed: false, maxAge: 5000 }, (ctx) => { ctx.session!.visits = 1; ctx.body = [ctx.session!.user, ctx.session!.maxAge] })
      const res = await send(app, { cookie: `koa.sess=${value}` })
      expect([res.status, res.body]).toEqual([200, ['ann', 5000]])
      expect(jsonOf(res.setCookie[0])).toMatchObject({ user: 'ann', visits: 1, _maxAge: 5000 })
    })

    it('maxAge: "session" writes a browser-session cookie marked _session, which no clock ends', async () => {
      atT0()
      const app = appWith({ maxAge: 'session' }, (ctx) => {
        if (ctx.method === 'POST') ctx.session!.user = 'ann'
        ctx.body = [ctx.session!.user ?? null, ctx.session!.maxAge]
      })
      const posted = await send(app, { method: 'POST' })
      expect(posted.setCookie[0]).toBe(`koa.sess=${b64('{"user":"ann","_session":true}')}; path=/; httponly`)
      vi.setSystemTime(T0 + 365 * DAY)
      expect((await send(app, { cookie: cookieFrom(posted.setCookie) })).body).toEqual(['ann', 'session'])
    })

    it('re-signs a cookie from an older key as it is: key rotation does not move its _expire', async () => {
      atT0()
      const value = b64(`{"user":"ann","_expire":${T0 + 5000},"_maxAge":5000}`)
      vi.setSystemTime(T0 + 1000)
      const app = new Koa()
      app.keys = ['new', ...APP_KEYS]
      app.use(koaSession({}, app))
      app.use((ctx) => { ctx.body = ctx.session!.user })
      const res = await send(app, { cookie: `koa.sess=${value}; koa.sess.sig=${sigOf('koa.sess', value)}` })
      expect(res.text).toBe('ann')
      expect(res.setCookie).toEqual([
        `koa.sess=${value}; path=/; expires=Tue, 01 Jan 2030 00:00:06 GMT; httponly`,
        `koa.sess.sig=${sigOf('koa.sess', value, ['new'])}; path=/; expires=Tue, 01 Jan 2030 00:00:06 GMT; httponly`
      ])
    })

    it('rolling re-sends an unchanged session, and nothing for a new empty one', async () => {
      const app = appWith({ rolling: true }, (ctx) => {
        if (ctx.path === '/set') ctx.session = { foo: 'bar' }
        ctx.body = ctx.session
      })
      expect((await send(app)).setCookie).toEqual([])
      const set = await send(app, { path: '/set' })
      const again = await send(app, { cookie: cookieFrom(set.setCookie) })
      expect(again.body).toEqual({ foo: 'bar' })
      expect(again.setCookie.map((line) => line.split('=')[0])).toEqual(['koa.sess', 'koa.sess.sig'])
    })

    it('renew re-sends an unchanged session once less than half of its maxAge is left', async () => {
      atT0()
      const app = appWith({ maxAge: 1000, renew: true }, (ctx) => {
        if (ctx.method === 'POST') ctx.session!.user = 'ann'
        ctx.body = ctx.session!.user
      })
      const cookie = cookieFrom((await send(app, { method: 'POST' })).setCookie)
      vi.setSystemTime(T0 + 500)
      expect((await send(app, { cookie })).setCookie).toEqual([])
      vi.setSystemTime(T0 + 501)
      const renewed = await send(app, { cookie })
      expect(jsonOf(renewed.setCookie[0])).toEqual({ user: 'ann', _expire: T0 + 1501, _maxAge: 1000 })
    })
  })

  describe('options as koa-session takes them', () => {
    it('sameSite is written as given, "none" too over plain http (as koa-session does)', async () => {
      for (const sameSite of ['none', 'lax']) {
        const res = await send(appWith({ sameSite }, (ctx) => { ctx.session = { foo: 'bar' }; ctx.body = ctx.session!.foo }))
        expect(res.text).toBe('bar')
        expect(res.setCookie.join('|')).toContain(`path=/; samesite=${sameSite}; httponly`)
      }
    })

    it('valid(ctx, session) and beforeSave(ctx, session) take ctx first', async () => {
      const app = appWith({
        valid: (ctx: Ctx, session: Record<string, unknown>) => ctx.get('x-uid') === session.uid,
        beforeSave: (ctx: Ctx, session: Record<string, unknown>) => { session.uid = ctx.get('x-uid') }
      }, (ctx) => {
        ctx.session!.since ??= ctx.get('x-uid') + '@' + ctx.get('x-at')
        ctx.body = ctx.session!.since
      })
      const first = await send(app, { headers: { 'x-uid': '123', 'x-at': '1' } })
      const cookie = cookieFrom(first.setCookie)
      expect((await send(app, { cookie, headers: { 'x-uid': '123', 'x-at': '2' } })).text).toBe('123@1')
      expect((await send(app, { cookie, headers: { 'x-uid': '456', 'x-at': '3' } })).text).toBe('456@3')
    })

    it('encode and decode make the cookie value, and see koa-session\'s bookkeeping', async () => {
      atT0()
      const seen: unknown[] = []
      const options = {
        encode: (data: object) => { seen.push(data); return JSON.stringify({ wrapped: data }) },
        decode: (text: string) => JSON.parse(text).wrapped
      }
      const app = appWith(options, (ctx) => {
        ctx.session!.counter = (ctx.session!.counter ?? 0) + 1
        ctx.body = ctx.session
      })
      const first = await send(app)
      expect(first.body).toEqual({ counter: 1 })
      expect(seen).toEqual([{ counter: 1, _expire: T0 + DAY, _maxAge: DAY }])
      const value = JSON.stringify({ wrapped: { counter: 1, _expire: T0 + DAY, _maxAge: DAY } })
      expect(first.setCookie).toEqual([`koa.sess=${value}; path=/; httponly`, `koa.sess.sig=${sigOf('koa.sess', value)}; path=/; httponly`])
      expect((await send(app, { cookie: cookieFrom(first.setCookie) })).body).toEqual({ counter: 2 })
    })

    it('a cookie that does not decode (SyntaxError) is a new session', async () => {
      for (const options of [{ signed: false }, { signed: false, decode: (text: string) => JSON.parse(text) }]) {
        const res = await send(appWith(options, (ctx) => { ctx.body = String(ctx.session!.isNew) }), { cookie: 'koa.sess=invalid-session' })
        expect([res.status, res.text]).toEqual([200, 'true'])
      }
    })

    it('any other decode error clears the cookie and fails the request with that error', async () => {
      const errors: unknown[] = []
      const failure = new Error('decode error')
      const app = appWith({ signed: false, decode () { throw failure } }, (ctx) => { ctx.body = String(ctx.session!.isNew) })
      app.on('error', (err: unknown) => { errors.push(err) })
      const res = await send(app, { cookie: 'koa.sess=invalid-session' })
      expect(res.status).toBe(500)
      expect(res.setCookie).toEqual([`koa.sess=; path=/; ${EPOCH}; httponly`])
      expect(errors).toEqual([failure])
    })

    it('an encode error fails the request, and the app\'s error event gets it as thrown', async () => {
      const errors: unknown[] = []
      const failure = new Error('encode error')
      const app = appWith({ encode () { throw failure } }, (ctx) => { ctx.session!.foo = 'bar'; ctx.body = 'hello' })
      app.on('error', (err: unknown, ctx: unknown) => { errors.push([err, ctx !== undefined]) })
      const res = await send(app)
      expect(res.status).toBe(500)
      expect(errors).toEqual([[failure, true]])
    })

    it('manuallyCommit() rejects with what kept the session from being written', async () => {
      const res = await send(appWith({ autoCommit: false, maxSize: 200, onError () {} }, async (ctx) => {
        ctx.session!.big = 'x'.repeat(500)
        ctx.body = await ctx.session!.manuallyCommit().then(() => 'written', (err: Error) => (err as SessionTooLargeError).code)
      }))
      expect([res.text, res.setCookie]).toEqual(['ERR_SESSION_TOO_LARGE', []])
    })

    it('autoCommit: false writes only when the app commits', async () => {
      const uncommitted = await send(appWith({ autoCommit: false }, (ctx) => { ctx.session!.a = 1; ctx.body = '' }))
      expect(uncommitted.setCookie).toEqual([])
      const committed = await send(appWith({ autoCommit: false }, async (ctx) => {
        ctx.session!.a = 1
        await ctx.session!.manuallyCommit()
        ctx.body = ''
      }))
      expect(committed.setCookie.map((line) => line.split('=')[0])).toEqual(['koa.sess', 'koa.sess.sig'])
      expect(jsonOf(committed.setCookie[0])).toMatchObject({ a: 1 })
    })

    it('autoCommit: false still gets the caching headers: Vary: Cookie, and Cache-Control: private once the app commits', async () => {
      const read = await send(appWith({ autoCommit: false }, (ctx) => { ctx.body = String(ctx.session!.a) }))
      expect([read.headers.vary, read.headers['cache-control']]).toEqual(['Cookie', undefined])
      const committed = await send(appWith({ autoCommit: false }, async (ctx) => {
        ctx.session!.a = 1
        await ctx.session!.manuallyCommit()
        ctx.body = ''
      }))
      expect(committed.setCookie).toHaveLength(2)
      expect([committed.headers.vary, committed.headers['cache-control']]).toEqual(['Cookie', 'private'])
    })

    it('a session saved by save() before the end gets Cache-Control: private too', async () => {
      const res = await send(appWith({}, async (ctx) => {
        ctx.session!.a = 1
        await ctx.session!.save()
        ctx.body = ''
      }))
      expect(res.setCookie).toHaveLength(2)
      expect([res.headers.vary, res.headers['cache-control']]).toEqual(['Cookie', 'private'])
    })
  })
})

describe('signed cookies with koa-session\'s fields out of place', () => {
  const app = new Koa3()
  app.keys = APP_KEYS
  app.use(koaSession({}, app))
  app.use((ctx) => { ctx.body = { isNew: ctx.session!.isNew, data: { ...ctx.session } } })
  const far = Date.now() + 3_600_000

  it.each([
    ['an _expire that is not a number', '{"user":"ann","_expire":"soon","_maxAge":1000}', { user: 'ann' }],
    ['an _expire and _maxAge inside the data', '{"a":{"_expire":1,"_maxAge":2}}', { a: { _expire: 1, _maxAge: 2 } }],
    ['_expire twice, the later one live', `{"_expire":1,"a":1,"_expire":${far},"_maxAge":1}`, { a: 1 }],
    ['an _expire no date can hold', '{"a":1,"_expire":1e999,"_maxAge":1}', { a: 1 }],
    ['a _session that is not true', '{"a":1,"_session":"no"}', { a: 1 }],
    ['a _stamp that is not one', '{"a":1,"_stamp":"x"}', { a: 1 }]
  ])('%s: answered, with the data alone', async (_, json, data) => {
    const value = b64(json)
    const res = await send(app, { cookie: `koa.sess=${value}; koa.sess.sig=${sigOf('koa.sess', value)}` })
    expect([res.status, res.body]).toEqual([200, { isNew: false, data }])
  })

  it.each([
    ['an array', '[{"_expire":1,"_maxAge":2}]'],
    ['a polluting key before the fields', `{"__proto__":{"polluted":1},"_expire":${far},"_maxAge":1}`],
    ['a past _expire', '{"a":1,"_expire":5,"_maxAge":1}']
  ])('%s: a new empty session', async (_, json) => {
    const value = b64(json)
    const res = await send(app, { cookie: `koa.sess=${value}; koa.sess.sig=${sigOf('koa.sess', value)}` })
    expect([res.status, res.body]).toEqual([200, { isNew: true, data: {} }])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('koaSession\'s options that mean something else elsewhere', () => {
  const app = new Koa3()

  it('refuses validate, pointing to koa-session\'s valid(ctx, session)', () => {
    const create = () => koaSession({ keys: ['k'], validate: () => true } as never, app)
    expect(create).toThrow(SessionOptionError)
    expect(create).toThrow('option "validate" is the other adapters\' (session, req) hook: on Koa it is koa-session\'s "valid(ctx, session)"')
  })

  it.each([
    [{ maxAge: 'a day' }, 'option "maxAge" must be a non-negative finite number of milliseconds or "session", got "a day"'],
    [{ valid: 'yes' }, 'option "valid" must be a function, got "yes"'],
    [{ encode: () => '', encrypt: true }, 'option "encode" cannot be used with "encrypt": the sealed value is the cookie value'],
    [{ decode: () => ({}), compress: true }, 'option "decode" cannot be used with "compress": a compressed value is the cookie value'],
    [{ autoCommit: 'no' }, 'option "autoCommit" must be a boolean, got "no"'],
    [{ genid: () => 'x' }, 'option "genid" is only used with "store" (or "ContextStore")'],
    [{ prefix: 'p:' }, 'option "prefix" is only used with "store" (or "ContextStore")'],
    [{ externalKey: { get: () => '' } }, 'option "externalKey" must be an object with get(ctx) and set(ctx, key) functions, got an object']
  ])('checks %o at creation', (options, message) => {
    const create = () => koaSession({ keys: ['k'], ...options } as never, app)
    expect(create).toThrow(SessionOptionError)
    expect(create).toThrow(message)
  })
})

describe('a store, as koa-session takes one', () => {
  it('externalKey carries the key instead of a cookie', async () => {
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSession({ store: new KoaStyleStore(), externalKey: { get: (ctx: Ctx) => ctx.get('user-token'), set: (ctx: Ctx, key: string) => ctx.set('user-token', key) } }, app))
    app.use((ctx) => {
      if (ctx.method === 'POST') ctx.session!.text = ';'
      ctx.body = { text: ctx.session!.text ?? null, key: ctx.session!.externalKey }
    })
    const posted = await send(app, { method: 'POST' })
    const token = posted.headers['user-token'] as string
    expect(posted.setCookie).toEqual([])
    expect(token).toMatch(/^[\w-]{43}$/)
    expect(posted.body.key).toBe(token)
    expect((await send(app, { headers: { 'user-token': token } })).body).toEqual({ text: ';', key: token })
  })

  it('genid(ctx) and prefix make the keys, which are read back', async () => {
    let n = 0
    const store = new KoaStyleStore()
    const count = (ctx: Ctx) => { ctx.session!.n = (ctx.session!.n ?? 0) + 1; ctx.body = [ctx.session!.externalKey, ctx.session!.n] }
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSession({ store, genid: (ctx: Ctx) => `${ctx.path.slice(1)}-${++n}` }, app))
    app.use(count)
    const made = await send(app, { path: '/made' })
    expect(made.body).toEqual(['made-1', 1])
    expect((await send(app, { cookie: cookieFrom(made.setCookie) })).body).toEqual(['made-1', 2])
    const prefixed = new Koa3()
    prefixed.keys = APP_KEYS
    prefixed.use(koaSession({ store, prefix: 'sess:' }, prefixed))
    prefixed.use(count)
    const first = await send(prefixed)
    expect(first.body[0]).toMatch(/^sess:[\w-]{43}$/)
    expect((await send(prefixed, { cookie: cookieFrom(first.setCookie) })).body).toEqual([first.body[0], 2])
  })

  it('reads a session koa-session kept in the store: its UUID key, without _expire and _maxAge, and refuses it once expired', async () => {
    atT0()
    const store = new KoaStyleStore()
    const key = '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d'
    await store.set(key, { user: 'ann', _expire: T0 + 1000, _maxAge: 1000 }, 60_000, {})
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSession({ store }, app))
    app.use((ctx) => { ctx.body = { user: ctx.session!.user ?? null, keys: Object.keys(ctx.session!) } })
    const cookie = `koa.sess=${key}; koa.sess.sig=${sigOf('koa.sess', key)}`
    expect((await send(app, { cookie })).body).toEqual({ user: 'ann', keys: ['user'] })
    vi.setSystemTime(T0 + 1001)
    expect((await send(app, { cookie })).body).toEqual({ user: null, keys: [] })
  })

  it('ContextStore: a store made for each request from its ctx', async () => {
    const records = new Map<string, unknown>()
    const made: string[] = []
    class PerRequest {
      constructor (private readonly ctx: Ctx) { made.push(ctx.path) }
      async get (key: string) { return records.get(key) }
      async set (key: string, value: unknown) { records.set(key, { ...(value as object), by: this.ctx.path }) }
      async destroy (key: string) { records.delete(key) }
    }
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSession({ ContextStore: PerRequest }, app))
    app.use((ctx) => {
      if (ctx.path === '/login') ctx.session!.user = 'ann'
      if (ctx.path === '/logout') ctx.session = null
      ctx.body = ctx.session?.externalKey ?? ctx.session?.user ?? 'out'
    })
    const res = await send(app, { path: '/login' })
    expect(made).toEqual(['/login'])
    expect(records.get(res.text)).toMatchObject({ user: 'ann', by: '/login' })
    const cookie = cookieFrom(res.setCookie)
    expect((await send(app, { path: '/me', cookie })).text).toBe(res.text)
    await send(app, { path: '/logout', cookie })
    expect(records.get(res.text)).toBeUndefined()
    expect(made).toEqual(['/login', '/me', '/logout'])
  })
})

describe('a store, with koa-session\'s session API', () => {
  function withStore (store: KoaStyleStore, route: Route, options: object = {}): Koa3 {
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSession({ store, ...options }, app))
    app.use(route)
    return app
  }

  it('regenerate() keeps the content under a new key and deletes the old record', async () => {
    const store = new KoaStyleStore()
    const login = await send(withStore(store, (ctx) => { ctx.session!.user = 'ann'; ctx.body = ctx.session!.externalKey }))
    const before = login.text
    const res = await send(withStore(store, async (ctx) => {
      await ctx.session!.regenerate()
      ctx.body = { key: ctx.session!.externalKey, user: ctx.session!.user }
    }), { cookie: cookieFrom(login.setCookie) })
    expect(res.body.user).toBe('ann')
    expect(res.body.key).not.toBe(before)
    expect(await store.get(before, undefined, {})).toBeUndefined()
    expect(await store.get(res.body.key, undefined, {})).toMatchObject({ user: 'ann' })
    expect(res.setCookie[0]).toMatch(new RegExp(`^koa\\.sess=${res.body.key}; `))
  })

  it('save() has written the store when it resolves', async () => {
    const store = new KoaStyleStore()
    const res = await send(withStore(store, async (ctx) => {
      ctx.session!.user = 'ann'
      await ctx.session!.save()
      ctx.body = await store.get(ctx.session!.externalKey as string, undefined, {})
    }))
    expect(res.body).toMatchObject({ user: 'ann' })
  })

  it('autoCommit: false leaves the store alone until the app commits', async () => {
    const store = new KoaStyleStore()
    await send(withStore(store, (ctx) => { ctx.session!.user = 'ann'; ctx.body = '' }, { autoCommit: false }))
    expect(store.calls.filter((call) => call.method === 'set')).toEqual([])
    const res = await send(withStore(store, async (ctx) => { ctx.session!.user = 'ann'; await ctx.session!.manuallyCommit(); ctx.body = '' }, { autoCommit: false }))
    expect(store.calls.filter((call) => call.method === 'set')).toHaveLength(1)
    expect(res.setCookie.map((line) => line.split('=')[0])).toEqual(['koa.sess', 'koa.sess.sig'])
  })

  it('a genid that makes no key fails the request with an error naming it', async () => {
    const errors: Error[] = []
    const app = withStore(new KoaStyleStore(), (ctx) => { ctx.session!.user = 'ann'; ctx.body = '' }, { genid: () => '' })
    app.on('error', (err: Error) => { errors.push(err) })
    expect((await send(app)).status).toBe(500)
    expect(errors[0]).toBeInstanceOf(SessionOptionError)
    expect(errors[0]?.message).toBe('option "genid" must return a non-empty string, the new session\'s key')
  })

  it('externalKey: a key of no known shape is a new session, and no store call', async () => {
    const store = new KoaStyleStore()
    const app = withStore(store, (ctx) => { ctx.body = ctx.session!.isNew }, { externalKey: { get: (ctx: Ctx) => ctx.get('token'), set: () => {} } })
    expect((await send(app, { headers: { token: 'not a key' } })).body).toBe(true)
    expect(store.calls).toEqual([])
  })
})

describe('the app\'s keys and maxAge, checked when used', () => {
  it('app.keys may be a Keygrip', async () => {
    const app = new Koa3()
    app.keys = new Keygrip(['kg-key'], 'sha256') as never
    app.use(koaSession({}, app))
    app.use((ctx) => { ctx.session!.user = 'ann'; ctx.body = '' })
    const [main, sig] = (await send(app)).setCookie
    const value = /^koa\.sess=([^;]*)/.exec(main ?? '')?.[1]
    expect(sig).toMatch(new RegExp(`^koa\\.sess\\.sig=${new Keygrip(['kg-key'], 'sha256').sign(`koa.sess=${value}`)};`))
  })

  it.each([
    ['not a list', 'a-single-key', 'app.keys must be an array of secret keys or a Keygrip instance, got a string of 12 characters'],
    ['an empty key', ['', 'b'], 'option "app.keys[0]" must be a non-empty string or Buffer, got a string of 0 characters']
  ])('app.keys %s fails the request, naming it without showing it', async (_, keys, message) => {
    const errors: Error[] = []
    const app = new Koa3()
    app.keys = keys as never
    app.use(koaSession({}, app))
    app.use((ctx) => { ctx.session!.user = 'ann'; ctx.body = '' })
    app.on('error', (err: Error) => { errors.push(err) })
    expect((await send(app)).status).toBe(500)
    expect(errors[0]?.message).toBe(message)
  })

  it('ctx.session.maxAge refuses what is not a lifetime', async () => {
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSession({}, app))
    app.use((ctx) => {
      try {
        ctx.session!.maxAge = 'a day' as never
      } catch (err) {
        ctx.body = [(err as Error).name, (err as Error).message]
      }
    })
    expect((await send(app)).body).toEqual(['TypeError', 'ctx.session.maxAge must be a non-negative number of milliseconds or "session", got "a day"'])
  })

  it('an encode that returns no string fails the request, saying so', async () => {
    const errors: Error[] = []
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSession({ encode: () => 42 as never }, app))
    app.use((ctx) => { ctx.session!.user = 'ann'; ctx.body = '' })
    app.on('error', (err: Error) => { errors.push(err) })
    expect((await send(app)).status).toBe(500)
    expect(errors[0]?.message).toBe('option "encode" must return a string (the cookie value), got 42')
  })
})

describe('beside koa-session 7, over real HTTP', () => {
  /** A Koa 3 app with koa-session 7 itself, signed with app.keys. */
  function theirs (options: object, route: Route): Koa3 {
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSessionPackage(options as never, app))
    app.use(route)
    return app
  }
  function ours (options: object, route: Route): Koa3 {
    const app = new Koa3()
    app.keys = APP_KEYS
    app.use(koaSession(options as never, app))
    app.use(route)
    return app
  }
  const login = (ctx: Ctx) => { ctx.session!.user = 'ann'; ctx.body = '' }
  // Keys of toJSON(): koa-session's session object has its bookkeeping as own properties too.
  const whoami = (ctx: Ctx) => { ctx.body = { user: ctx.session!.user ?? null, keys: Object.keys(ctx.session!.toJSON()) } }

  it('refuses koa-session\'s cookie once past its _expire, and clears it', async () => {
    atT0()
    const cookie = cookieFrom((await send(theirs({ maxAge: 1000 }, login))).setCookie)
    expect((await send(ours({}, whoami), { cookie })).body).toEqual({ user: 'ann', keys: ['user'] })
    vi.setSystemTime(T0 + 1001)
    const late = await send(ours({}, whoami), { cookie })
    expect(late.body).toEqual({ user: null, keys: [] })
    expect(late.setCookie[0]).toBe(`koa.sess=; path=/; ${EPOCH}; httponly`)
  })

  it('reads koa-session\'s live cookie without its _expire and _maxAge, and keeps its maxAge', async () => {
    atT0()
    const cookie = cookieFrom((await send(theirs({ maxAge: 5000 }, login))).setCookie)
    const res = await send(ours({}, (ctx) => { ctx.session!.visits = 1; ctx.body = { keys: Object.keys(ctx.session!), maxAge: ctx.session!.maxAge } }), { cookie })
    expect(res.body).toEqual({ keys: ['user', 'visits'], maxAge: 5000 })
    expect(jsonOf(res.setCookie[0])).toEqual({ user: 'ann', visits: 1, _expire: T0 + 5000, _maxAge: 5000 })
  })

  it('enforces our maxAge on a replayed cookie, whatever the browser kept', async () => {
    atT0()
    const cookie = cookieFrom((await send(ours({ maxAge: 60_000 }, login))).setCookie)
    vi.setSystemTime(T0 + 60_001)
    expect((await send(ours({ maxAge: 60_000 }, whoami), { cookie })).body).toEqual({ user: null, keys: [] })
  })

  it('hands our cookies back to koa-session: switching back keeps everyone logged in, and its expiry', async () => {
    atT0()
    const written = await send(ours({ maxAge: 1000 }, login))
    const cookie = cookieFrom(written.setCookie)
    expect((await send(theirs({}, whoami), { cookie })).body).toEqual({ user: 'ann', keys: ['user'] })
    const browserSession = cookieFrom((await send(ours({ maxAge: 'session' }, login))).setCookie)
    expect((await send(theirs({}, (ctx) => { ctx.body = [ctx.session!.user, ctx.session!.maxAge] }), { cookie: browserSession })).body).toEqual(['ann', 'session'])
    vi.setSystemTime(T0 + 1001)
    expect((await send(theirs({}, whoami), { cookie })).body).toEqual({ user: null, keys: [] })
  })
})
