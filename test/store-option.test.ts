// Store mode with express-session's MemoryStore (no server): what the store holds, when it is
// called, and what the cookie carries. The same scenarios on MariaDB and Redis: test/stores/.
import http from 'node:http'
import express from 'express'
import Koa from 'koa'
import { MemoryStore } from 'express-session'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionStoreError } from '../src/index.js'
import { fetchSession } from '../src/fetch.js'
import { koaSession } from '../src/koa.js'
import { Browser, listen, type Listening } from './helpers/browser.js'
import { counting } from './helpers/stores.js'

const keys = ['new-key', 'old-key']
/** Encryption refuses secrets under 32 bytes. */
const sealingKeys = ['sealing-key-of-at-least-32-bytes-0', 'sealing-key-of-at-least-32-bytes-1']
const servers: Listening[] = []
afterEach(async () => { for (const server of servers.splice(0)) await server.close() })

async function serve (handler: http.RequestListener): Promise<string> {
  const server = await listen(handler)
  servers.push(server)
  return server.url
}

/** An Express app: GET reads the session, POST merges the JSON body into it, /logout destroys it. */
async function app (options: Parameters<typeof cookieSession>[0] & object) {
  const a = express()
  a.use(express.json())
  a.use(cookieSession(options))
  a.get('/', (req: any, res) => { res.json({ ...req.session }) })
  a.post('/', (req: any, res) => { Object.assign(req.session, req.body); res.json({ ...req.session }) })
  a.post('/logout', (req: any, res) => { req.session = null; res.json(null) })
  a.use((err: any, _req: any, res: any, _next: any) => { res.status(500).json({ name: err.name, code: err.code }) })
  return await serve(a)
}

/** The store's session records, as the store holds them (not the tombstones a destroy leaves: `<id>.gone`). */
function records (store: MemoryStore): Record<string, any> {
  const sessions = (store as unknown as { sessions: Record<string, string> }).sessions
  return Object.fromEntries(Object.entries(sessions).filter(([id]) => !id.endsWith('.gone')).map(([id, json]) => [id, JSON.parse(json)]))
}

/** The tombstones in the store: ids of destroyed sessions, kept so that no request in flight brings them back. */
function tombstones (store: MemoryStore): string[] {
  return Object.keys((store as unknown as { sessions: Record<string, string> }).sessions).filter((id) => id.endsWith('.gone'))
}

describe('store mode cookies', () => {
  it('holds a signed id naming a record with the data and an express-session cookie field', async () => {
    const store = new MemoryStore()
    const url = await app({ keys, store, maxAge: 60_000 })
    const browser = new Browser()
    const written = await browser.post(url, { user: 'ann' })
    const id = browser.cookies.get('session')!
    expect(written.setCookie).toEqual([
      expect.stringMatching(new RegExp(`^session=${id}; path=/; expires=[^;]+; httponly$`)),
      expect.stringMatching(/^session\.sig=[\w-]{27}; path=\/; expires=[^;]+; httponly$/)
    ])
    const record = records(store)[id]
    // express-session's Cookie data: what express-session reads a record's cookie from.
    expect(record).toEqual({ cookie: { originalMaxAge: 60_000, expires: expect.any(String), secure: false, httpOnly: true, path: '/' }, user: 'ann' })
    expect(Date.parse(record.cookie.expires) - Date.now()).toBeGreaterThan(55_000)
    // The record and the cookie end at the same moment.
    expect(new Date(record.cookie.expires).toUTCString()).toBe(/expires=([^;]+)/.exec(written.setCookie[0]!)![1])
  })

  it('re-issues an id cookie signed with an old key, keeping the id', async () => {
    const store = new MemoryStore()
    const browser = new Browser()
    await browser.post(await app({ keys: ['old-key'], store }), { user: 'ann' })
    const id = browser.cookies.get('session')
    const url = await app({ keys, store })
    const read = await browser.get(url)
    expect(read.body).toEqual({ user: 'ann' })
    expect(read.setCookie).toHaveLength(2)
    expect(browser.cookies.get('session')).toBe(id)
    expect((await browser.get(url)).setCookie).toEqual([])
  })

  it('encrypts the id with encrypt: true (no .sig), and reads it back', async () => {
    const store = new MemoryStore()
    const url = await app({ keys: sealingKeys, store, encrypt: true })
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    expect([...browser.cookies.keys()]).toEqual(['session'])
    const [id] = Object.keys(records(store))
    expect(browser.cookies.get('session')).not.toContain(id)
    expect((await browser.get(url)).body).toEqual({ user: 'ann' })
  })

  it('with acceptSigned: false, does not load the record a signed id names', async () => {
    const store = new MemoryStore()
    const browser = new Browser()
    // An app sharing the keys and cookie name, signing ids into the same store.
    await browser.post(await app({ keys, store }), { user: 'admin' })
    expect((await browser.get(await app({ keys, encryptionKeys: sealingKeys, store, encrypt: true, acceptSigned: false }))).body).toEqual({})
    // By default the signed id is still read (and re-issued sealed).
    expect((await browser.get(await app({ keys, encryptionKeys: sealingKeys, store, encrypt: true }))).body).toEqual({ user: 'admin' })
  })

  it('reports the id cookie\'s size as encodedSize, however big the session', async () => {
    const url = await serve(express()
      .use(cookieSession({ keys, store: new MemoryStore() }))
      .get('/', (req: any, res) => { const before = req.session.encodedSize; req.session.big = 'x'.repeat(10_000); res.json([before, req.session.encodedSize]) }))
    const browser = new Browser()
    const [before, after] = (await browser.get(url)).body
    expect(before).toBe(after)
    expect(before).toBe(`session=${browser.cookies.get('session')}; path=/; httponly`.length)
  })

  it('sets no cookie and calls no store for a new session left empty', async () => {
    const { store, calls } = counting(new MemoryStore())
    const url = await app({ keys, store })
    const read = await new Browser().get(url)
    expect(read.setCookie).toEqual([])
    expect(calls).toEqual({ get: 0, set: 0, destroy: 0, touch: 0 })
  })
})

describe('store mode lifecycle', () => {
  it('req.session = null deletes the record, so a copied cookie stops working, and clears the cookie', async () => {
    const store = new MemoryStore()
    const url = await app({ keys, store })
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    const stolen = browser.copy()
    const out = await browser.post(`${url}/logout`)
    expect(out.setCookie[0]).toMatch(/^session=; path=\/; expires=Thu, 01 Jan 1970/)
    expect(records(store)).toEqual({})
    expect(tombstones(store)).toHaveLength(1)
    expect((await stolen.get(url)).body).toEqual({})
  })

  it('rolling touches the store on a read-only request and re-sends the cookie', async () => {
    const { store, calls } = counting(new MemoryStore())
    const url = await app({ keys, store, rolling: true, maxAge: 60_000 })
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    const read = await browser.get(url)
    expect(read.setCookie).toHaveLength(2)
    expect(calls).toMatchObject({ set: 1, touch: 1 })
  })

  it('ends a session past absoluteTimeout, whatever the store still holds', async () => {
    const store = new MemoryStore()
    const url = await app({ keys, store, absoluteTimeout: 100 })
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    const [record] = Object.values(records(store))
    expect(record.cookie).toMatchObject({ created: expect.any(Number), written: expect.any(Number) })
    expect((await browser.get(url)).body).toEqual({ user: 'ann' })
    await new Promise((resolve) => setTimeout(resolve, 150))
    expect((await browser.get(url)).body).toEqual({})
  })

  it('keeps "cookie" for the session\'s Cookie, as express-session does: assigning it fails like any name of the API, and nothing is stored', async () => {
    const store = new MemoryStore()
    const url = await app({ keys, store })
    const answer = await new Browser().post(url, { cookie: 1 })
    expect(answer).toMatchObject({ status: 500, body: { name: 'TypeError' } })
    expect(records(store)).toEqual({})
  })

  it('holds a streamed response\'s end until the store has the session', async () => {
    const memory = new MemoryStore()
    const slow = Object.assign(Object.create(memory), {
      set: (id: string, data: any, cb: () => void) => setTimeout(() => memory.set(id, data, cb), 100)
    })
    const url = await serve(express()
      .use(cookieSession({ keys, store: slow }))
      .get('/', (req: any, res) => {
        req.session.user = 'ann'
        res.write('part one, ')
        setTimeout(() => res.end('part two'), 10)
      })
      .get('/read', (req: any, res) => { res.json({ ...req.session }) }))
    const browser = new Browser()
    const streamed = await browser.get(url)
    expect(streamed.body).toBe('part one, part two')
    expect(Object.keys(records(memory))).toHaveLength(1)
    expect((await browser.get(`${url}/read`)).body).toEqual({ user: 'ann' })
  })

  it('a failed write after the headers went out reaches onError, and the response still ends', async () => {
    const errors: unknown[] = []
    const broken = { ...new MemoryStore(), get: (_: string, cb: any) => cb(null, null), destroy: (_: string, cb: any) => cb(), set: (_: string, _s: unknown, cb: any) => cb(new Error('disk full')) }
    const url = await serve(express()
      .use(cookieSession({ keys, store: broken, onError: (err) => errors.push(err) }))
      .get('/', (req: any, res) => { req.session.user = 'ann'; res.write('streamed'); res.end() }))
    expect((await new Browser().get(url)).body).toBe('streamed')
    expect(errors).toEqual([expect.any(SessionStoreError)])
    // The store's own text may carry a connection string: it is the cause, never in the message.
    expect(errors[0]).toMatchObject({ code: 'ERR_SESSION_STORE', operation: 'set', cause: { message: 'disk full' } })
    expect((errors[0] as Error).message).not.toContain('disk full')
  })

  it('save(callback) has written the store when it calls back (passport before a redirect)', async () => {
    const store = new MemoryStore()
    const url = await serve(express()
      .use(cookieSession({ keys, store }))
      .get('/login', (req: any, res, next) => {
        req.session.user = 'ann'
        req.session.save((err: unknown) => err ? next(err) : res.json(Object.keys(records(store)).length))
      }))
    expect((await new Browser().get(`${url}/login`)).body).toBe(1)
  })

  it('needs a next callback on plain node:http, since loading is asynchronous', () => {
    const middleware = cookieSession({ keys, store: new MemoryStore() })
    const req = Object.assign(new http.IncomingMessage(null as never), { headers: {} })
    expect(() => middleware(req, new http.ServerResponse(req))).toThrow('call it with a next callback')
  })
})

describe('store mode with the Fetch API', () => {
  it('round-trips through an awaited sessions(request) and an awaited commit()', async () => {
    const sessions = fetchSession({ keys, store: new MemoryStore() })
    const first = await sessions(new Request('http://x/'))
    first.session!.user = 'ann'
    const response = await first.commit(new Response('ok'))
    const cookie = response.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ')
    const second = await sessions(new Request('http://x/', { headers: { cookie } }))
    expect({ ...second.session }).toEqual({ user: 'ann' })
  })

  it('load(request) is sessions(request), in cookie mode too', async () => {
    const sessions = fetchSession({ keys })
    const request = new Request('http://x/')
    const loaded = await sessions.load(request)
    expect(loaded).toBe(await sessions(request))
    loaded.session!.n = 1
    expect((await loaded.commit(new Response('ok'))).headers.getSetCookie()).toHaveLength(2)
  })
})

describe('store mode, found in review', () => {
  it('gives a session whose record validate rejected an id of its own, leaving the rejected record alone', async () => {
    const store = new MemoryStore()
    const a = express()
    a.use(express.json())
    a.use(cookieSession({ keys, store, validate: (session, req) => session.ua === req.headers['user-agent'] }))
    a.post('/', (req: any, res) => { req.session.ua = req.headers['user-agent']; Object.assign(req.session, req.body); res.json({ ...req.session }) })
    a.get('/', (req: any, res) => { res.json({ ...req.session }) })
    const url = await serve(a)
    const victim = new Browser()
    await victim.request(url, 'POST', { user: 'ann' })
    const victimId = victim.cookies.get('session')!
    const before = records(store)[victimId]
    // The stolen cookie, from another user agent: fetch sends "node" as its user agent.
    const thief = victim.copy()
    const stolen = await fetch(url, { method: 'POST', headers: { cookie: thief.cookieHeader, 'content-type': 'application/json', 'user-agent': 'thief' }, body: '{"visited":true}' })
    const thiefCookie = stolen.headers.getSetCookie().find((line) => line.startsWith('session='))!
    expect(thiefCookie.split(';')[0]).not.toBe(`session=${victimId}`)
    expect(records(store)[victimId]).toEqual(before)
    expect((await victim.get(url)).body).toMatchObject({ user: 'ann' })
  })

  it('stores a session started anew with `= null` then an object under a new id, and deletes the old record', async () => {
    const store = new MemoryStore()
    const a = express()
    a.use(express.json())
    a.use(cookieSession({ keys, store }))
    a.post('/', (req: any, res) => { Object.assign(req.session, req.body); res.json(null) })
    a.post('/login', (req: any, res) => { req.session = null; req.session = { user: 'alice' }; res.json(null) })
    const url = await serve(a)
    const browser = new Browser()
    await browser.post(url, { visitor: 1 })
    const before = browser.cookies.get('session')!
    const login = await browser.post(url + '/login')
    const after = browser.cookies.get('session')!
    expect(login.setCookie.length).toBeGreaterThan(0)
    expect(after).not.toBe(before)
    expect(Object.keys(records(store))).toEqual([after])
    expect(records(store)[after]).toMatchObject({ user: 'alice' })
  })

  it('gives an empty session when reload() follows regenerate(), and keeps no cookie for the deleted record', async () => {
    const store = new MemoryStore()
    const a = express()
    a.use(express.json())
    a.use(cookieSession({ keys, store }))
    a.post('/', (req: any, res) => { Object.assign(req.session, req.body); res.json(null) })
    a.post('/again', async (req: any, res) => { await req.session.regenerate(); await req.session.reload(); res.json({ ...req.session }) })
    const url = await serve(a)
    const browser = new Browser()
    await browser.post(url, { secret: 'old-user-data' })
    const answer = await browser.post(url + '/again')
    expect(answer.body).toEqual({})
    expect(records(store)).toEqual({})
  })

  it('refuses a store with an unsigned id cookie', () => {
    expect(() => cookieSession({ store: new MemoryStore(), signed: false })).toThrow('option "store" needs the id cookie signed or encrypted')
    expect(() => cookieSession({ keys, store: new MemoryStore(), signed: false })).toThrow('option "store" needs the id cookie signed or encrypted')
    expect(() => cookieSession({ encryptionKeys: sealingKeys, encrypt: true, store: new MemoryStore(), signed: false })).not.toThrow()
  })
})

describe('Koa in store mode, found in review', () => {
  it('runs a failing beforeSave once and reports it once', async () => {
    const reported: string[] = []
    let calls = 0
    const app = new Koa()
    app.use(koaSession({ keys, store: new MemoryStore(), beforeSave () { calls++; throw new Error('hook failed') }, onError: (err) => { reported.push(err.message) } }))
    app.use((ctx) => { ctx.session!.user = 'ann'; ctx.body = 'ok' })
    app.on('error', (err: Error) => reported.push('koa: ' + err.message))
    const url = await serve(app.callback())
    const res = await fetch(url)
    await res.text()
    expect(calls).toBe(1)
    expect(reported).toHaveLength(1)
  })
})

describe('store mode: the id cookie lives as long as the record it names', () => {
  afterEach(() => { vi.useRealTimers() })

  /** The Expires of the id cookie in `setCookie`, in ms; undefined when it was not sent. */
  const expiresOf = (setCookie: readonly string[]) => {
    const line = setCookie.find((cookie) => cookie.startsWith('session='))
    return line === undefined ? undefined : Date.parse(/expires=([^;]+)/.exec(line)![1]!)
  }

  it('renew: re-sends the cookie when it renews the record (Express)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const store = new MemoryStore()
    const url = await app({ keys, store, renew: true, maxAge: 2000 })
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    vi.setSystemTime(Date.now() + 1200)
    const read = await browser.get(url)
    expect(read.body).toEqual({ user: 'ann' })
    const [record] = Object.values(records(store))
    // The record was renewed to two seconds from now; the browser's cookie must be too.
    expect(Date.parse(record.cookie.expires)).toBeGreaterThanOrEqual(Date.now() + 1900)
    expect(expiresOf(read.setCookie)).toBeGreaterThanOrEqual(Date.now() + 1000)
  })

  it('renew: re-sends the cookie when it renews the record (Koa, a koa-session promise store)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const sessions: Record<string, unknown> = {}
    const store = {
      async get (key: string) { return sessions[key] },
      async set (key: string, value: unknown) { sessions[key] = value },
      async destroy (key: string) { delete sessions[key] }
    }
    const koa = new Koa()
    // The cookie name expiresOf looks for (koa-session's default is koa.sess).
    koa.use(koaSession({ name: 'session', keys, store, renew: true, maxAge: 2000 }, koa))
    koa.use((ctx) => {
      if (ctx.path === '/set') ctx.session = { foo: 'bar' }
      ctx.body = { ...ctx.session }
    })
    const url = await serve(koa.callback())
    const browser = new Browser()
    await browser.get(`${url}/set`)
    vi.setSystemTime(Date.now() + 1200)
    const read = await browser.get(url)
    expect(read.body).toEqual({ foo: 'bar' })
    expect(read.setCookie).toHaveLength(2)
    expect(expiresOf(read.setCookie)).toBeGreaterThanOrEqual(Date.now() + 1000)
  })

  it('a change extends the record, and the cookie with it (as express-session and koa-session do with a maxAge)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const store = new MemoryStore()
    const url = await app({ keys, store, maxAge: 60_000 })
    const browser = new Browser()
    const login = await browser.post(url, { user: 'ann' })
    const first = expiresOf(login.setCookie)!
    vi.setSystemTime(Date.now() + 30_000)
    const changed = await browser.post(url, { cart: ['tea'] })
    const [record] = Object.values(records(store))
    expect(Date.parse(record.cookie.expires)).toBeGreaterThanOrEqual(first + 29_000)
    // Without it, the browser drops the cookie at `first` while the store keeps the session 30 s longer.
    expect(expiresOf(changed.setCookie)).toBeGreaterThanOrEqual(first + 29_000)
    // A read-only request still sends nothing.
    expect((await browser.get(url)).setCookie).toEqual([])
  })
})
