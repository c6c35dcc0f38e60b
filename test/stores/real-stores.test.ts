// Store mode against real stores (MariaDB, Redis): every scenario express-session passes
// (scenarios.ts), and what store mode promises beyond it. Written before the implementation.
import express from 'express'
import type { Store } from 'express-session'
import Koa from 'koa'
import { describe, expect, it } from 'vitest'
import { Browser, listen } from '../helpers/browser.js'
import { dataOf, errorJson, sessionApp } from '../helpers/session-app.js'
import { storeKits, type StoreKit } from '../helpers/stores.js'
import { cookieSession, fetchSession, koaSession, pkg, STORE_ERROR_CODE, STORE_ERROR_NAME } from './store-mode-api.js'
import { storeScenarios, until200, useStoreServer, type Subject } from './scenarios.js'
import { localPassport } from '../helpers/passport.js'

const keys = ['store-key']

const storeMode: Subject = {
  name: 'signed-cookie-session in store mode',
  middleware: (store) => cookieSession({ keys, store }) as express.RequestHandler,
  expectStoreError (body) {
    expect(body).toMatchObject({ name: STORE_ERROR_NAME, code: STORE_ERROR_CODE })
  }
}

/** Every cookie value a browser holds, and its base64 decoding: where data could leak. */
function cookieText (browser: Browser): string {
  return [...browser.cookies.values()].map((value) => `${value} ${Buffer.from(value, 'base64').toString('latin1')}`).join(' ')
}

const users: Record<string, { id: string, name: string }> = { ann: { id: 'ann', name: 'Ann' } }

function passportApp (store: Store) {
  const auth = localPassport(users)
  const app = express()
  app.use(express.json())
  app.use(cookieSession({ keys, store }) as express.RequestHandler)
  app.use(auth.session())
  app.post('/cart', (req, res) => { req.session!.cart = ['tea']; res.json(null) })
  app.post('/login', auth.authenticate('local', { successRedirect: '/me', failureRedirect: '/login' }))
  app.get('/me', (req, res) => { res.json({ user: req.user ?? null, cart: req.session?.cart ?? null }) })
  app.post('/logout', (req, res, next) => { req.logout((err) => err ? next(err) : res.redirect('/me')) })
  app.use(errorJson)
  return app
}

function storeModeScenarios (kit: StoreKit): void {
  describe(`store mode with ${kit.name}`, () => {
    const servers = useStoreServer(kit)
    const app = async (store?: Store) => await servers.instance((opened) => sessionApp(storeMode.middleware(store ?? opened)))

    it('exports the typed store error', () => {
      expect(pkg[STORE_ERROR_NAME]).toBeTypeOf('function')
    })

    it('puts only a signed random id of at least 128 bits in the cookie, never the data', async () => {
      const a = await app()
      const [ann, bob] = [new Browser(), new Browser()]
      await ann.post(`${a.url}/session`, { user: 'ann', note: 'secret-note' })
      await bob.post(`${a.url}/session`, { user: 'bob', note: 'x'.repeat(2000) })
      expect(cookieText(ann)).not.toMatch(/secret-note|ann/)
      const [annId, bobId] = [ann.cookies.get('session'), bob.cookies.get('session')]
      expect(annId).toMatch(/[A-Za-z0-9_-]{22,}/) // 22 base64url characters hold 128 bits
      expect(bobId).not.toBe(annId)
      expect(bobId?.length).toBe(annId?.length)

      const forged = ann.copy()
      forged.cookies.set('session', `${annId!.slice(0, -1)}${annId!.endsWith('A') ? 'B' : 'A'}`)
      expect((await forged.get(`${a.url}/session`)).body).toEqual({})
      expect((await ann.get(`${a.url}/session`)).body).toEqual({ user: 'ann', note: 'secret-note' })
    })

    it('does not call the store for a request without a cookie, nor write it for a read-only request', async () => {
      const a = await app()
      const since = await kit.commands(servers.server)
      const delta = async () => { const now = await kit.commands(servers.server); return { reads: now.reads - since.reads, writes: now.writes - since.writes } }
      const browser = new Browser()
      await browser.get(`${a.url}/session`)
      expect(await delta()).toEqual({ reads: 0, writes: 0 })
      await browser.post(`${a.url}/session`, { user: 'ann' })
      const written = await delta()
      expect(written.writes).toBeGreaterThan(0)
      const read = await browser.get(`${a.url}/session`)
      expect(read.body).toEqual({ user: 'ann' })
      expect(read.setCookie).toEqual([])
      const after = await delta()
      expect(after.reads).toBeGreaterThan(written.reads)
      expect(after.writes).toBe(written.writes)
    })

    it('regenerate issues a new id and the old one no longer works', async () => {
      const a = await app()
      const browser = new Browser()
      await browser.post(`${a.url}/session`, { user: 'ann' })
      const before = browser.copy()
      expect((await browser.post(`${a.url}/regenerate`)).body).toBe('regenerated')
      await browser.post(`${a.url}/session`, { step: 2 })
      expect(browser.cookies.get('session')).not.toBe(before.cookies.get('session'))
      expect((await browser.get(`${a.url}/session`)).body).toEqual({ step: 2 })
      expect((await before.get(`${a.url}/session`)).body).toEqual({})
    })

    it('moves a cookie-mode session into the store on its first request, keeping the user logged in', async () => {
      const cookieMode = await listen(sessionApp(cookieSession({ keys }) as express.RequestHandler))
      const browser = new Browser()
      try {
        await browser.post(`${cookieMode.url}/session`, { user: 'ann' })
      } finally {
        await cookieMode.close()
      }
      const inCookie = browser.cookies.get('session')
      expect(Buffer.from(inCookie!, 'base64').toString()).toBe('{"user":"ann"}')

      const a = await app()
      const since = await kit.commands(servers.server)
      const first = await browser.get(`${a.url}/session`)
      expect(first.body).toEqual({ user: 'ann' })
      expect((await kit.commands(servers.server)).writes).toBeGreaterThan(since.writes)
      expect(browser.cookies.get('session')).not.toBe(inCookie)
      expect(cookieText(browser)).not.toContain('ann')
      expect((await browser.get(`${a.url}/session`)).body).toEqual({ user: 'ann' })
    })

    it('a write while the store is down is an error too, and the next one succeeds when it is back', async () => {
      const a = await app()
      const browser = new Browser()
      await servers.server.kill()
      const down = await browser.post(`${a.url}/session`, { user: 'ann' })
      expect(down.status).toBe(500)
      storeMode.expectStoreError(down.body, kit)
      await servers.server.restart()
      expect((await until200(async () => await browser.post(`${a.url}/session`, { user: 'ann' }))).status).toBe(200)
      expect((await browser.get(`${a.url}/session`)).body).toEqual({ user: 'ann' })
    })

    it('await req.session.save() resolves once the store holds the session', async () => {
      const since = await kit.commands(servers.server)
      const a = await servers.instance((store) => {
        const app = express()
        app.use(cookieSession({ keys, store }) as express.RequestHandler)
        app.post('/save', async (req: any, res) => {
          req.session.user = 'ann'
          const saving = req.session.save()
          expect(saving).toBeInstanceOf(Promise)
          await saving
          res.json({ setsBeforeResponse: Math.sign((await kit.commands(servers.server)).writes - since.writes) })
        })
        app.use(errorJson)
        return app
      })
      const browser = new Browser()
      expect((await browser.post(`${a.url}/save`)).body).toEqual({ setsBeforeResponse: 1 })
      const other = await app()
      expect((await browser.get(`${other.url}/session`)).body).toEqual({ user: 'ann' })
    })

    it('passport: login regenerates the session, logout revokes every copy of the cookie', async () => {
      const a = await servers.instance(passportApp)
      const browser = new Browser()
      await browser.post(`${a.url}/cart`)
      const beforeLogin = browser.copy()
      const login = await browser.post(`${a.url}/login`, { username: 'ann', password: 'secret' })
      expect(login.status).toBe(302)
      expect(cookieText(browser)).not.toContain('ann')
      expect((await browser.get(`${a.url}/me`)).body).toEqual({ user: users.ann, cart: null })
      expect((await beforeLogin.get(`${a.url}/me`)).body).toEqual({ user: null, cart: null })

      const stolen = browser.copy()
      expect((await browser.post(`${a.url}/logout`)).status).toBe(302)
      expect((await browser.get(`${a.url}/me`)).body).toEqual({ user: null, cart: null })
      expect((await stolen.get(`${a.url}/me`)).body).toEqual({ user: null, cart: null })
    })

    it('Koa: ctx.session round trip through the store; a store failure is thrown', async () => {
      const errors: any[] = []
      const a = await servers.instance((store) => {
        const koa = new Koa()
        koa.on('error', (err) => errors.push(err))
        koa.use(koaSession({ keys, store }))
        koa.use((ctx) => {
          if (ctx.method === 'POST') ctx.session!.views = (ctx.session!.views ?? 0) + 1
          ctx.body = dataOf(ctx.session)
        })
        return koa.callback()
      })
      const browser = new Browser()
      expect((await browser.post(`${a.url}/`)).body).toEqual({ views: 1 })
      expect(cookieText(browser)).not.toContain('views')
      expect((await browser.post(`${a.url}/`)).body).toEqual({ views: 2 })
      expect((await browser.get(`${a.url}/`)).body).toEqual({ views: 2 })

      await servers.server.kill()
      expect((await browser.get(`${a.url}/`)).status).toBe(500)
      expect(errors.map((err) => err.code)).toEqual([STORE_ERROR_CODE])
    })

    it('Fetch API: await sessions.load(request) round trip; a store failure rejects', async () => {
      const sessions = fetchSession({ keys, store: (await servers.open()).store })
      const handle = async (request: Request) => {
        const { session, commit } = await sessions.load(request)
        if (request.method === 'POST') session.views = (session.views ?? 0) + 1
        return await commit(Response.json(dataOf(session)))
      }
      const a = await servers.instance(() => async (req, res) => {
        const response = await handle(new Request(`http://127.0.0.1${req.url}`, { method: req.method, headers: req.headers as Record<string, string> }))
          .catch((err) => Response.json({ code: err.code }, { status: 500 }))
        res.writeHead(response.status, [...response.headers].flat())
        res.end(await response.text())
      })
      const browser = new Browser()
      expect((await browser.post(`${a.url}/`)).body).toEqual({ views: 1 })
      expect(cookieText(browser)).not.toContain('views')
      expect((await browser.get(`${a.url}/`)).body).toEqual({ views: 1 })

      await servers.server.kill()
      await expect(sessions.load(new Request('http://127.0.0.1/', { headers: { cookie: browser.cookieHeader } })))
        .rejects.toMatchObject({ code: STORE_ERROR_CODE })
    })
  })
}

for (const kit of storeKits) {
  storeScenarios(storeMode, kit)
  storeModeScenarios(kit)
}
