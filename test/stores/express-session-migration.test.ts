// Issue 24 on a real Redis with connect-redis: an app on real express-session, with users logged in
// through real passport (one of them with "remember me": a 30-day cookie), becomes the same app
// with only the `require` changed to this package as it is published (dist/). Every user stays
// logged in, "remember me" keeps its 30-day cookie, and during a rolling deploy the two run side
// by side on the one store, each reading what the other wrote.
import express from 'express'
import expressSession, { type Store } from 'express-session'
import { describe, expect, it } from 'vitest'
import { Browser } from '../helpers/browser.js'
import { redis } from '../helpers/stores.js'
import { useStoreServer } from './scenarios.js'
import { pkg } from './store-mode-api.js'
import { localPassport } from '../helpers/passport.js'

const DAY = 24 * 3600 * 1000
const users: Record<string, { id: string, name: string }> = {
  ann: { id: 'ann', name: 'Ann' },
  bob: { id: 'bob', name: 'Bob' },
  cid: { id: 'cid', name: 'Cid' }
}

/** The app, written for express-session; `session` is whatever its `require` gives. */
function theApp (session: (options: object) => express.RequestHandler, store: Store): express.Express {
  const auth = localPassport(users)
  const app = express()
  app.use(express.json())
  app.use(session({
    secret: ['the-new-secret-of-at-least-32-bytes', 'the-old-secret-of-at-least-32-bytes'],
    store,
    resave: false,
    saveUninitialized: false,
    cookie: { maxAge: DAY, sameSite: 'lax' }
  }))
  app.use(auth.session())
  app.post('/login', auth.authenticate('local'), (req, res) => {
    if (req.body.remember) (req as any).session.cookie.maxAge = 30 * DAY
    res.json((req.user as { name: string }).name)
  })
  app.get('/me', (req, res) => { res.json((req.user as { name: string } | undefined)?.name ?? null) })
  app.post('/cart', (req: any, res) => { req.session.cart = [...(req.session.cart ?? []), req.body.item]; res.json(req.session.cart) })
  app.post('/logout', (req, res, next) => { req.logout((err) => err ? next(err) : res.json(null)) })
  return app
}

const ours = pkg.cookieSession as unknown as (options: object) => express.RequestHandler

/** Milliseconds until the Expires of a Set-Cookie line. */
function expiresIn (line: string | undefined): number {
  return Date.parse(/Expires=([^;]+)/.exec(line ?? '')?.[1] ?? '') - Date.now()
}

describe('switching an express-session app on Redis to this library', () => {
  const servers = useStoreServer(redis)
  const logIn = async (url: string, username: string, remember = false): Promise<Browser> => {
    const browser = new Browser()
    const answer = await browser.post(`${url}/login`, { username, password: 'secret', remember })
    expect(answer.status).toBe(200)
    return browser
  }

  it('keeps every user logged in, and "remember me" keeps its 30-day cookie', async () => {
    const before = await servers.instance((store) => theApp(expressSession as never, store))
    const ann = await logIn(before.url, 'ann', true)
    const bob = await logIn(before.url, 'bob')
    await bob.post(`${before.url}/cart`, { item: 'tea' })
    // Logged in with the older secret, before a rotation.
    const cid = await logIn((await servers.instance((store) => theApp((options: any) => expressSession({ ...options, secret: options.secret[1] }) as never, store))).url, 'cid')
    const cookies = [ann, bob, cid].map((browser) => browser.cookies.get('connect.sid'))
    await before.close()

    const after = await servers.instance((store) => theApp(ours, store))
    for (const [browser, name] of [[ann, 'Ann'], [bob, 'Bob'], [cid, 'Cid']] as const) {
      expect((await browser.get(`${after.url}/me`)).body).toBe(name)
    }
    // Nothing was re-sent that did not need to be: the users hold the cookies they had (cid's is re-signed with the new secret).
    expect([ann, bob].map((browser) => browser.cookies.get('connect.sid'))).toEqual(cookies.slice(0, 2))
    expect(cid.cookies.get('connect.sid')).not.toBe(cookies[2])
    expect((await cid.get(`${after.url}/me`)).body).toBe('Cid')
    expect((await bob.post(`${after.url}/cart`, { item: 'cake' })).body).toEqual(['tea', 'cake'])

    // The next cookie each one gets carries that session's own lifetime.
    const annWrites = await ann.post(`${after.url}/cart`, { item: 'jam' })
    expect(annWrites.setCookie).toHaveLength(1)
    expect(expiresIn(annWrites.setCookie[0])).toBeGreaterThan(30 * DAY - 60_000)
    expect(expiresIn(annWrites.setCookie[0])).toBeLessThanOrEqual(30 * DAY)
    const bobWrites = await bob.post(`${after.url}/cart`, { item: 'pie' })
    expect(expiresIn(bobWrites.setCookie[0])).toBeGreaterThan(DAY - 60_000)
    expect(expiresIn(bobWrites.setCookie[0])).toBeLessThanOrEqual(DAY)
    // A new login with "remember me" on this library gets its 30 days too.
    const login = await new Browser().post(`${after.url}/login`, { username: 'ann', password: 'secret', remember: true })
    expect(login.setCookie).toHaveLength(1)
    expect(expiresIn(login.setCookie[0])).toBeGreaterThan(30 * DAY - 60_000)
  })

  it('runs beside express-session during a rolling deploy: each reads the other\'s cookies and records, and a logout on either is final', async () => {
    const theirs = await servers.instance((store) => theApp(expressSession as never, store))
    const mine = await servers.instance((store) => theApp(ours, store))
    const ann = await logIn(mine.url, 'ann', true)
    const bob = await logIn(theirs.url, 'bob')
    for (const [browser, name] of [[ann, 'Ann'], [bob, 'Bob']] as const) {
      expect((await browser.get(`${theirs.url}/me`)).body).toBe(name)
      expect((await browser.get(`${mine.url}/me`)).body).toBe(name)
    }
    expect((await ann.post(`${theirs.url}/cart`, { item: 'tea' })).body).toEqual(['tea'])
    expect((await ann.post(`${mine.url}/cart`, { item: 'cake' })).body).toEqual(['tea', 'cake'])
    expect((await ann.post(`${theirs.url}/cart`, { item: 'jam' })).body).toEqual(['tea', 'cake', 'jam'])
    // express-session keeps the 30 days this library stored with Ann's session.
    const theirWrite = await ann.post(`${theirs.url}/cart`, { item: 'pie' })
    expect(expiresIn(theirWrite.setCookie[0])).toBeGreaterThan(30 * DAY - 60_000)

    const stolen = ann.copy()
    await ann.post(`${mine.url}/logout`)
    expect((await stolen.get(`${theirs.url}/me`)).body).toBe(null)
    expect((await stolen.get(`${mine.url}/me`)).body).toBe(null)
    const bobStolen = bob.copy()
    await bob.post(`${theirs.url}/logout`)
    expect((await bobStolen.get(`${mine.url}/me`)).body).toBe(null)
  })
})
