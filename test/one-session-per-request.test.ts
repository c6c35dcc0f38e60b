// One request has one session. The same middleware mounted twice (app-level and
// router-level) serves it once, so a logout or login inside the inner mount stands; two different
// middlewares on one cookie name are a configuration error, reported, not a silent overwrite.
import http from 'node:http'
import connect from 'connect'
import express5 from 'express'
import express4 from 'express4'
import Koa from 'koa'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { cookieSession, SessionOptionError } from '../src/index.js'
import { fetchSession } from '../src/fetch.js'
import { koaSession } from '../src/koa.js'
import { cookieFrom, serve, setCookieOf } from './helpers/apps.js'

const keys = ['k']
/** The Koa adapter under the cookie name of the Express middleware that writes and reads these tests' cookies. */
const koaOptions = { keys, name: 'session' }
const TWO_MIDDLEWARES = 'two different session middlewares use the cookie "session"'
const EXPIRED = 'session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'

/** A cookie for a session holding `user: 'ann'`, from a real write. */
async function annCookie (): Promise<string> {
  return cookieFrom((await serve(cookieSession({ keys }), (req) => { req.session.user = 'ann' }).get()).setCookie)
}

async function whoIs (cookie: string): Promise<unknown> {
  return (await serve(cookieSession({ keys }), (req) => req.session.user ?? null).get(cookie)).body
}

type KoaMw = ReturnType<typeof koaSession>

/**
 * A Koa app with `mw` app-level and again router-level (as a router mounts it) around `route`;
 * in between, a middleware that changes the session (counts visits), so the outer mount has a
 * changed session of its own to write if it kept one apart from the inner mount's.
 */
function koaTwice (mw: KoaMw, route: (ctx: Koa.Context) => void) {
  const app = new Koa()
  app.use(mw)
  app.use(async (ctx, next) => {
    ctx.session!.visits = (ctx.session!.visits ?? 0) + 1
    await next()
  })
  app.use(async (ctx, next) => await mw(ctx, async () => { route(ctx); ctx.body = 'ok'; await next() }))
  return http.createServer(app.callback())
}

async function koaGet (server: http.Server, cookie?: string) {
  const req = request(server).get('/')
  if (cookie !== undefined) req.set('Cookie', cookie)
  const res = await req
  return { status: res.status, body: res.text, setCookie: setCookieOf(res.headers) }
}

describe('the same Koa middleware mounted twice on one request', () => {
  it('keeps a logout done inside the inner mount', async () => {
    const res = await koaGet(koaTwice(koaSession(koaOptions), (ctx) => { ctx.session = null }), await annCookie())
    expect(res.setCookie[0]).toBe(EXPIRED)
    expect(res.setCookie[1]).toMatch(/^session\.sig=[\w-]+; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly$/)
    expect(res.setCookie).toHaveLength(2)
  })

  it('keeps a login done inside the inner mount', async () => {
    const res = await koaGet(koaTwice(koaSession(koaOptions), (ctx) => { ctx.session!.user = 'bob' }))
    expect(await whoIs(cookieFrom(res.setCookie))).toBe('bob')
  })
})

describe('the same fetch sessions reader called twice for one Request', () => {
  it('returns the same session both times', async () => {
    const sessions = fetchSession({ keys })
    const req = new Request('http://localhost/')
    const first = await sessions(req)
    first.session!.user = 'ann'
    const second = await sessions(req)
    expect(second).toBe(first)
    expect(second.session?.user).toBe('ann')
  })
})

describe('two different middlewares on one cookie name and one request', () => {
  const apps = [
    { name: 'Express 5', make: () => express5() },
    { name: 'Express 4', make: () => express4() },
    { name: 'Connect', make: () => connect() }
  ] as const

  it.each(apps)('pass a SessionOptionError to next(err) on $name', async ({ make }) => {
    const app = make() as ReturnType<typeof connect>
    app.use(cookieSession({ keys }) as never)
    app.use(cookieSession({ keys }) as never)
    app.use(((_req: unknown, res: http.ServerResponse) => res.end('route ran')) as never)
    app.use(((err: Error, _req: unknown, res: http.ServerResponse, _next: unknown) => {
      res.statusCode = 500
      res.end(JSON.stringify({ option: err instanceof SessionOptionError, type: err instanceof TypeError, message: err.message }))
    }) as never)
    const res = await request(http.createServer(app)).get('/')
    expect(res.status).toBe(500)
    const body = JSON.parse(res.text)
    expect(body).toMatchObject({ option: true, type: true })
    expect(body.message).toContain(TWO_MIDDLEWARES)
  })

  it('throw from the second one on Koa', async () => {
    const app = new Koa()
    app.use(async (ctx, next) => {
      try {
        await next()
      } catch (err) {
        ctx.status = 500
        ctx.body = { option: err instanceof SessionOptionError, message: (err as Error).message }
      }
    })
    app.use(koaSession(koaOptions))
    app.use(koaSession(koaOptions))
    app.use((ctx) => { ctx.body = 'route ran' })
    const res = await request(http.createServer(app.callback())).get('/')
    expect(res.status).toBe(500)
    expect(res.body.option).toBe(true)
    expect(res.body.message).toContain(TWO_MIDDLEWARES)
  })

  it('reject the second sessions(request) with the Fetch API', async () => {
    const req = new Request('http://localhost/')
    await fetchSession({ keys })(req)
    const second = fetchSession({ keys })
    await expect(second(req)).rejects.toThrow(SessionOptionError)
    await expect(second(req)).rejects.toThrow(TWO_MIDDLEWARES)
  })
})

describe('the same Express middleware mounted twice', () => {
  it('still serves one session that is saved', async () => {
    const mw = cookieSession({ keys })
    const app = express5()
    app.use(mw)
    const router = express5.Router()
    router.use(mw)
    router.get('/', (req, res) => { req.session!.user = 'ann'; res.end('ok') })
    app.use(router)
    const res = await request(http.createServer(app)).get('/')
    expect(await whoIs(cookieFrom(setCookieOf(res.headers)))).toBe('ann')
  })
})
