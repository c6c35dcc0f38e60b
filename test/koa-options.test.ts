// koa-session's ways of mounting and naming the session work. (koa-session's other options, and
// what they do, are test/koa-session-compat.test.ts's.)
import http from 'node:http'
import Keygrip from 'keygrip'
import Koa from 'koa'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { SessionOptionError } from '../src/index.js'
import { koaSession } from '../src/koa.js'
import { cookieFrom, setCookieOf } from './helpers/apps.js'

const keys = ['k']

async function get (app: Koa, cookie?: string) {
  const req = request(http.createServer(app.callback())).get('/')
  if (cookie !== undefined) req.set('Cookie', cookie)
  const res = await req
  return { status: res.status, text: res.text, setCookie: setCookieOf(res.headers) }
}

/** An app whose first middleware, registered before the session's, counts visits in ctx.session. */
function countingBefore (mount: (app: Koa) => void): Koa {
  const app = new Koa()
  app.use(async (ctx, next) => {
    const session = ctx.session as { visits?: number }
    session.visits = (session.visits ?? 0) + 1
    await next()
  })
  mount(app)
  app.use((ctx) => { ctx.body = String(ctx.session!.visits) })
  return app
}

describe('koaSession with the app', () => {
  it.each([
    ['koaSession(options, app)', (app: Koa) => app.use(koaSession({ keys }, app))],
    ['koaSession(app, options)', (app: Koa) => app.use(koaSession(app as never, { keys }))]
  ])('lets middleware registered before it read and write ctx.session, and saves it (%s)', async (_, mount) => {
    const app = countingBefore(mount)
    const first = await get(app)
    expect(first.text).toBe('1')
    const second = await get(app, cookieFrom(first.setCookie))
    expect(second.text).toBe('2')
    expect(second.setCookie.map((line) => line.split('=')[0])).toEqual(['koa.sess', 'koa.sess.sig'])
  })
})

describe('koa-session\'s option names', () => {
  it('key: "koa.sess" names the cookie, so a koa-session cookie is read', async () => {
    // The cookie koa-session writes: base64 JSON with its _expire and _maxAge, signed by Koa's keygrip.
    const value = Buffer.from(JSON.stringify({ user: 'ann', _expire: Date.now() + 60_000, _maxAge: 60_000 })).toString('base64')
    const sig = new Keygrip(keys).sign(`koa.sess=${value}`)
    const app = new Koa()
    app.use(koaSession({ keys, key: 'koa.sess' }))
    app.use((ctx) => {
      const session = ctx.session as { user?: string, visits?: number }
      session.visits = 1
      ctx.body = session.user ?? 'nobody'
    })
    const res = await get(app, `koa.sess=${value}; koa.sess.sig=${sig}`)
    expect(res.text).toBe('ann')
    expect(res.setCookie.map((line) => line.split('=')[0])).toEqual(['koa.sess', 'koa.sess.sig'])
  })

  it('refuses "key" and "name" that disagree', () => {
    expect(() => koaSession({ keys, key: 'koa.sess', name: 'session' })).toThrow(SessionOptionError)
    expect(() => koaSession({ keys, key: 'koa.sess', name: 'session' })).toThrow('options "key" (koa-session\'s name for the cookie name) and "name" disagree')
  })
})
