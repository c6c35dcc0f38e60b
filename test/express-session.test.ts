// Coming from express-session (issue 24): an app that changes only its `require` keeps its options,
// its API, its users' cookies and its records. Each case runs real express-session beside ours on
// one MemoryStore where the two must agree (the same Set-Cookie line, each reading the other's
// cookies and records). The same on Redis with connect-redis: test/stores/express-session-migration.test.ts.
import http from 'node:http'
import express from 'express'
import expressSession, { MemoryStore } from 'express-session'
import signature from 'cookie-signature'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { Browser, listen, type Listening } from './helpers/browser.js'
import { counting } from './helpers/stores.js'
import { cookieSession, SessionOptionError, type Middleware } from './helpers/store-subject.js'
import { localPassport } from './helpers/passport.js'

const secret = 'express-session-secret-of-32-bytes!'
const servers: Listening[] = []
afterEach(async () => {
  vi.useRealTimers()
  vi.restoreAllMocks()
  for (const server of servers.splice(0)) await server.close()
})

async function serve (handler: http.RequestListener): Promise<string> {
  const server = await listen(handler)
  servers.push(server)
  return server.url
}

/** The store's session records as JSON (not the tombstones a destroy leaves: `<id>.gone`). */
function records (store: MemoryStore): Record<string, any> {
  const sessions = (store as unknown as { sessions: Record<string, string> }).sessions
  return Object.fromEntries(Object.entries(sessions).filter(([id]) => !id.endsWith('.gone')).map(([id, json]) => [id, JSON.parse(json)]))
}

/** The id in an express-session cookie value (`s%3A<id>.<signature>`). */
function idOf (value: string | undefined): string | undefined {
  const text = decodeURIComponent(value ?? '')
  return text.startsWith('s:') ? text.slice(2, text.lastIndexOf('.')) : undefined
}

/**
 * An Express app on a session middleware: GET / answers the session's data, POST / merges the
 * JSON body into it, POST /logout destroys it, POST /remember sets a 30-day cookie, GET /whoami
 * answers req.sessionID and req.session.id. Errors answer 500 with their name, code and message.
 */
async function app (middleware: unknown, extra?: (a: express.Express) => void): Promise<string> {
  const a = express()
  a.use(express.json())
  a.use(middleware as express.RequestHandler)
  extra?.(a)
  const data = (session: any) => session == null ? null : Object.fromEntries(Object.entries(session).filter(([key]) => key !== 'cookie'))
  a.get('/', (req: any, res) => { res.json(data(req.session)) })
  a.post('/', (req: any, res) => { Object.assign(req.session, req.body); res.json(data(req.session)) })
  a.post('/logout', (req: any, res, next) => { req.session.destroy((err: unknown) => err ? next(err) : res.json(req.session === undefined)) })
  a.post('/remember', (req: any, res) => { req.session.cookie.maxAge = 30 * 24 * 3600 * 1000; req.session.user = 'ann'; res.json(null) })
  a.get('/whoami', (req: any, res) => { res.json({ sessionID: req.sessionID, id: req.session.id }) })
  a.use((err: any, _req: any, res: any, _next: any) => { res.status(500).json({ name: err.name, code: err.code ?? null, message: err.message }) })
  return await serve(a)
}

/** express-session's usual options. */
const usual = { secret, resave: false, saveUninitialized: false }

describe('express-session\'s options', () => {
  it('make the same Set-Cookie line as express-session, for the same options, id and moment', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2030, 0, 2, 3, 4, 5) })
    const options = {
      ...usual,
      genid: () => 'the-same-id',
      cookie: { maxAge: 3_600_000, path: '/', httpOnly: true, sameSite: 'lax' as const, priority: 'high' as const }
    }
    const lines = async (middleware: unknown) => (await new Browser().post(await app(middleware), { user: 'ann' })).setCookie
    const theirs = await lines(expressSession({ ...options, store: new MemoryStore() }))
    const ours = await lines(cookieSession({ ...options, store: new MemoryStore() }))
    expect(theirs).toEqual([`connect.sid=${encodeURIComponent('s:' + signature.sign('the-same-id', secret))}; Path=/; Expires=Wed, 02 Jan 2030 04:04:05 GMT; HttpOnly; Priority=High; SameSite=Lax`])
    expect(ours).toEqual(theirs)
  })

  it('store the same record as express-session: the data with express-session\'s Cookie data', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.UTC(2030, 0, 2, 3, 4, 5) })
    const options = { ...usual, genid: () => 'the-same-id', cookie: { maxAge: 60_000, sameSite: 'strict' as const } }
    const stored = async (middleware: (store: MemoryStore) => unknown) => {
      const store = new MemoryStore()
      await new Browser().post(await app(middleware(store)), { user: 'ann', cart: [1, 2] })
      return records(store)
    }
    const theirs = await stored((store) => expressSession({ ...options, store }))
    expect(theirs).toEqual({
      'the-same-id': {
        cookie: { originalMaxAge: 60_000, expires: '2030-01-02T03:05:05.000Z', httpOnly: true, path: '/', sameSite: 'strict' },
        user: 'ann',
        cart: [1, 2]
      }
    })
    // express-session leaves secure out when not set; ours says what was sent (not Secure, on plain HTTP).
    expect(await stored((store) => cookieSession({ ...options, store }))).toEqual({
      'the-same-id': { ...theirs['the-same-id'], cookie: { ...theirs['the-same-id'].cookie, secure: false } }
    })
  })

  it('name the cookie connect.sid, or name or key', async () => {
    for (const [options, name] of [[{}, 'connect.sid'], [{ name: 'sid' }, 'sid'], [{ key: 'app.sid' }, 'app.sid']] as const) {
      const answer = await new Browser().post(await app(cookieSession({ ...usual, ...options, store: new MemoryStore() })), { user: 'ann' })
      expect(answer.setCookie).toEqual([expect.stringMatching(new RegExp(`^${name.replace('.', '\\.')}=s%3A[\\w-]{43}\\.[\\w%]+; Path=/; HttpOnly$`))])
    }
  })

  it('sign with the first secret and verify with every one, as express-session does with a list', async () => {
    const store = new MemoryStore()
    const old = new Browser()
    await old.post(await app(expressSession({ ...usual, secret: 'the-old-secret-of-at-least-32-bytes', store })), { user: 'ann' })
    const read = await old.get(await app(cookieSession({ ...usual, secret: [secret, 'the-old-secret-of-at-least-32-bytes'], store })))
    expect(read.body).toEqual({ user: 'ann' })
    // Signed with an older secret: sent again, signed with the first.
    expect(read.setCookie).toHaveLength(1)
    expect(signature.unsign(decodeURIComponent(old.cookies.get('connect.sid')!).slice(2), secret)).toBe(idOf(old.cookies.get('connect.sid')))
  })

  it('resave: true writes an unchanged session back at the end of each request; resave: false does not', async () => {
    for (const resave of [true, false]) {
      const { store, calls } = counting(new MemoryStore())
      const browser = new Browser()
      const url = await app(cookieSession({ secret, saveUninitialized: false, resave, store }))
      await browser.post(url, { user: 'ann' })
      const before = calls.set
      expect((await browser.get(url)).body).toEqual({ user: 'ann' })
      expect(calls.set - before).toBe(resave ? 1 : 0)
    }
  })

  it('saveUninitialized: true stores every new visitor\'s session and sends its cookie; false stores nothing', async () => {
    for (const saveUninitialized of [true, false]) {
      const store = new MemoryStore()
      const answer = await new Browser().get(await app(cookieSession({ secret, resave: false, saveUninitialized, store })))
      expect(answer.body).toEqual({})
      expect(answer.setCookie).toHaveLength(saveUninitialized ? 1 : 0)
      expect(Object.keys(records(store))).toHaveLength(saveUninitialized ? 1 : 0)
      if (saveUninitialized) expect(Object.keys(records(store))).toEqual([idOf(answer.setCookie[0]!.split(';')[0]!.split('=')[1])])
    }
  })

  it('default resave and saveUninitialized to true, as express-session does, and say so once', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    const { store, calls } = counting(new MemoryStore())
    const url = await app(cookieSession({ secret, store, cookie: { maxAge: 60_000 } }))
    const browser = new Browser()
    expect((await browser.get(url)).setCookie).toHaveLength(1)
    await browser.get(url)
    expect(calls.set).toBe(2)
    // The warnings are once per process: this test file may have seen them already.
    for (const [message] of warn.mock.calls) expect(String(message)).toMatch(/^option "(resave|saveUninitialized)" not given: /)
  })

  it('unset: "keep" leaves the stored session and its cookie when req.session is set to null; "destroy" deletes it', async () => {
    for (const unset of ['keep', 'destroy'] as const) {
      const store = new MemoryStore()
      const url = await app(cookieSession({ ...usual, unset, store }), (a) => {
        a.post('/unset', (req: any, res) => { req.session.visited = true; req.session = null; res.json(null) })
      })
      const browser = new Browser()
      await browser.post(url, { user: 'ann' })
      const unsetting = await browser.post(`${url}/unset`)
      if (unset === 'keep') {
        expect(unsetting.setCookie).toEqual([])
        expect(Object.values(records(store))).toEqual([expect.objectContaining({ user: 'ann' })])
        expect((await browser.get(url)).body).toEqual({ user: 'ann' })
      } else {
        expect(unsetting.setCookie).toEqual([expect.stringMatching(/^connect\.sid=; Path=\/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly$/)])
        expect(records(store)).toEqual({})
      }
    }
  })

  it('genid names new sessions; an id that is not a non-empty string fails the request with an error naming genid', async () => {
    let next = 0
    const store = new MemoryStore()
    const browser = new Browser()
    await browser.post(await app(cookieSession({ ...usual, genid: (req: http.IncomingMessage) => `${req.method}-${++next}`, store })), { user: 'ann' })
    expect(idOf(browser.cookies.get('connect.sid'))).toBe('POST-1')
    expect(Object.keys(records(store))).toEqual(['POST-1'])
    const failing = await new Browser().post(await app(cookieSession({ ...usual, genid: () => '', store })), { user: 'ann' })
    expect(failing).toMatchObject({ status: 500, body: { code: 'ERR_SESSION_WRITE', message: expect.stringContaining('option "genid" must return a non-empty string') } })
  })

  it('proxy: true believes X-Forwarded-Proto; proxy: false believes only TLS, not Express\'s trust proxy', async () => {
    const options = { ...usual, cookie: { secure: true } }
    const trusting = await app(cookieSession({ ...options, proxy: true, store: new MemoryStore() }))
    const answer = await fetch(trusting, { method: 'POST', headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/json' }, body: '{"user":"ann"}' })
    expect(answer.headers.getSetCookie()).toEqual([expect.stringMatching(/; HttpOnly; Secure$/)])
    const errors: unknown[] = []
    const strict = await app(cookieSession({ ...options, proxy: false, store: new MemoryStore(), onError: (err: unknown) => errors.push(err) }),
      (a) => a.set('trust proxy', true))
    const refused = await fetch(strict, { method: 'POST', headers: { 'x-forwarded-proto': 'https', 'content-type': 'application/json' }, body: '{"user":"ann"}' })
    expect(refused.headers.getSetCookie()).toEqual([])
    expect(errors).toEqual([expect.objectContaining({ code: 'ERR_SESSION_INSECURE' })])
  })

  it('cookie.secure and cookie.sameSite "auto" follow the connection: SameSite=None only on a Secure cookie', async () => {
    const url = await app(cookieSession({ ...usual, proxy: true, cookie: { secure: 'auto', sameSite: 'auto' }, store: new MemoryStore() }))
    const post = async (proto: string) => (await fetch(url, { method: 'POST', headers: { 'x-forwarded-proto': proto, 'content-type': 'application/json' }, body: '{"a":1}' })).headers.getSetCookie()
    expect(await post('https')).toEqual([expect.stringMatching(/; HttpOnly; Secure; SameSite=None$/)])
    expect(await post('http')).toEqual([expect.stringMatching(/; HttpOnly; SameSite=Lax$/)])
  })

  it('cookie as a function of the request sets each request\'s cookie', async () => {
    const url = await app(cookieSession({ ...usual, cookie: (req: http.IncomingMessage) => ({ path: '/', maxAge: req.headers['x-remember'] === '1' ? 86_400_000 : null }), store: new MemoryStore() }))
    const short = await new Browser().post(url, { a: 1 })
    expect(short.setCookie).toEqual([expect.stringMatching(/^connect\.sid=[^;]+; Path=\/; HttpOnly$/)])
    const long = await fetch(url, { method: 'POST', headers: { 'x-remember': '1', 'content-type': 'application/json' }, body: '{"a":1}' })
    expect(long.headers.getSetCookie()).toEqual([expect.stringMatching(/^connect\.sid=[^;]+; Path=\/; Expires=[^;]+; HttpOnly$/)])
  })

  it('leave a request outside the cookie\'s path without a session, as express-session does', async () => {
    const store = new MemoryStore()
    const url = await app(cookieSession({ secret, resave: false, saveUninitialized: true, cookie: { path: '/admin' }, store }), (a) => {
      a.get('/admin', (req: any, res) => { res.json(typeof req.session) })
      a.get('/public', (req: any, res) => { res.json(typeof req.session) })
    })
    expect((await new Browser().get(`${url}/public`)).body).toBe('undefined')
    const admin = await new Browser().get(`${url}/admin`)
    expect(admin.body).toBe('object')
    expect(admin.setCookie).toEqual([expect.stringMatching(/; Path=\/admin; HttpOnly$/)])
  })

  it('rolling sends the cookie with every response, with its expiry moved on', async () => {
    const url = await app(cookieSession({ ...usual, rolling: true, cookie: { maxAge: 60_000 }, store: new MemoryStore() }))
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    expect((await browser.get(url)).setCookie).toHaveLength(1)
  })

  it('are refused where they cannot mean what they mean in express-session, saying why', () => {
    const store = new MemoryStore()
    const refused: Array<[object, string]> = [
      [{ secret, genid: 'x' }, 'option "genid" must be a function (req) => string that makes a new session id, got "x"'],
      [{ secret, unset: 'forget' }, 'option "unset" must be "destroy" or "keep", got "forget"'],
      [{ secret, cookieFormat: 'cookie-session' }, 'option "cookieFormat" must be "express-session" or "signed-cookie-session", got "cookie-session"'],
      [{ secret, name: 'a', key: 'b' }, 'options "key" (express-session\'s other name for "name") and "name" disagree'],
      [{ secret, maxAge: 1000, cookie: { maxAge: 2000 } }, 'options "cookie.maxAge" and "maxAge" both given'],
      [{ secret, resave: 'yes' }, 'option "resave" must be a boolean, got "yes"'],
      [{ secret, cookie: 'short' }, 'option "cookie" must be an object of cookie settings'],
      [{ secret, cookie: { maxAge: -1 } }, 'option "maxAge" must be a non-negative finite number of milliseconds, got -1'],
      [{ secret, cookie: { sameSite: 'none', secure: false } }, 'with sameSite "none"'],
      [{ secret: 'a-secret-of-at-least-32-bytes-for-encryption', encrypt: true, cookie: {} }, 'option "encrypt" cannot seal express-session\'s cookie'],
      [{ secret, proxy: true, trustProxy: false }, 'options "proxy: true" and "trustProxy: false" disagree']
    ]
    for (const [options, message] of refused) {
      expect(() => cookieSession({ ...options, store }), JSON.stringify(options)).toThrow(SessionOptionError)
      expect(() => cookieSession({ ...options, store }), JSON.stringify(options)).toThrow(message)
    }
    expect(() => cookieSession({ secret, cookieFormat: 'express-session' })).toThrow('option "cookieFormat" is only used with "store"')
  })

  it('warn about a cookie setting express-session does not have', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    cookieSession({ ...usual, store: new MemoryStore(), cookie: { maxAge: 1000, signed: true } })
    expect(warn.mock.calls.map(([message]) => message)).toContain(
      'option "cookie.signed" is not one of express-session\'s cookie settings (maxAge, expires, path, domain, httpOnly, secure, sameSite, priority, partitioned) and is ignored')
  })

  it('keep this library\'s cookie and defaults for an app that uses none of them', async () => {
    const store = new MemoryStore()
    const browser = new Browser()
    const answer = await browser.get(await app(cookieSession({ keys: [secret], store })))
    expect(answer.setCookie).toEqual([])
    expect((await browser.post(await app(cookieSession({ keys: [secret], store })), { user: 'ann' })).setCookie)
      .toEqual([expect.stringMatching(/^session=[\w-]{43}; path=\/; httponly$/), expect.stringMatching(/^session\.sig=/)])
  })
})

describe('the request API', () => {
  it('has req.sessionID and req.session.id, the key of the record, the same on each request', async () => {
    const store = new MemoryStore()
    const url = await app(cookieSession({ ...usual, store }))
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    const id = idOf(browser.cookies.get('connect.sid'))
    expect((await browser.get(`${url}/whoami`)).body).toEqual({ sessionID: id, id })
    expect(Object.keys(records(store))).toEqual([id])
    expect((await new Browser().get(`${url}/whoami`)).body).toEqual({ sessionID: expect.stringMatching(/^[\w-]{43}$/), id: expect.stringMatching(/^[\w-]{43}$/) })
  })

  it('keeps req.sessionID read-only, as express-session documents it', async () => {
    const url = await app(cookieSession({ ...usual, store: new MemoryStore() }), (a) => {
      a.get('/set', (req: any, res) => { req.sessionID = 'mine'; res.json(null) })
    })
    expect((await new Browser().get(`${url}/set`)).body).toMatchObject({ name: 'TypeError', message: expect.stringContaining('req.sessionID is read-only') })
  })

  it('has req.sessionStore, the store given', async () => {
    const store = new MemoryStore()
    const url = await app(cookieSession({ ...usual, store }), (a) => {
      a.get('/store', (req: any, res) => { res.json(req.sessionStore === store) })
    })
    expect((await new Browser().get(`${url}/store`)).body).toBe(true)
  })

  it('remembers a user for 30 days with req.session.cookie.maxAge: the cookie, the record, and every later write', async () => {
    const store = new MemoryStore()
    const url = await app(cookieSession({ ...usual, store }))
    const browser = new Browser()
    const day = 24 * 3600 * 1000
    const login = await browser.post(`${url}/remember`)
    const expiresIn = (line: string | undefined) => Date.parse(/Expires=([^;]+)/.exec(line ?? '')?.[1] ?? '') - Date.now()
    expect(expiresIn(login.setCookie[0])).toBeGreaterThan(30 * day - 5000)
    const [record] = Object.values(records(store))
    expect(record.cookie).toMatchObject({ originalMaxAge: expect.closeTo(30 * day, -4) })
    expect(Date.parse(record.cookie.expires) - Date.now()).toBeGreaterThan(30 * day - 5000)
    // A later change re-sends the cookie with the session's own lifetime, not the middleware's (a browser-session cookie).
    const later = await browser.post(url, { cart: ['tea'] })
    expect(expiresIn(later.setCookie[0])).toBeGreaterThan(30 * day - 5000)
  })

  it('reads req.session.cookie as express-session\'s Cookie: maxAge left, originalMaxAge, expires, attributes, data', async () => {
    const url = await app(cookieSession({ ...usual, cookie: { maxAge: 60_000, sameSite: 'lax' }, store: new MemoryStore() }), (a) => {
      a.get('/cookie', (req: any, res) => {
        const { cookie } = req.session
        res.json({ maxAge: cookie.maxAge, originalMaxAge: cookie.originalMaxAge, expires: cookie.expires instanceof Date, path: cookie.path, httpOnly: cookie.httpOnly, secure: cookie.secure, sameSite: cookie.sameSite, data: Object.keys(cookie.data) })
      })
    })
    expect((await new Browser().get(`${url}/cookie`)).body).toEqual({
      maxAge: expect.closeTo(60_000, -2),
      originalMaxAge: 60_000,
      expires: true,
      path: '/',
      httpOnly: true,
      secure: false,
      sameSite: 'lax',
      data: ['originalMaxAge', 'partitioned', 'priority', 'expires', 'secure', 'httpOnly', 'domain', 'path', 'sameSite']
    })
  })

  it('changes this response\'s cookie through req.session.cookie\'s attributes, and makes it a browser-session cookie with expires = null', async () => {
    const url = await app(cookieSession({ ...usual, cookie: { maxAge: 60_000 }, store: new MemoryStore() }), (a) => {
      a.post('/change', (req: any, res) => { req.session.cookie.httpOnly = false; req.session.cookie.sameSite = 'strict'; req.session.cookie.expires = null; req.session.a = 1; res.json(null) })
    })
    const browser = new Browser()
    expect((await browser.post(`${url}/change`)).setCookie).toEqual([expect.stringMatching(/^connect\.sid=[^;]+; Path=\/; SameSite=Strict$/)])
    // A browser-session cookie is not sent again when the session changes (express-session's rule).
    expect((await browser.post(url, { b: 2 })).setCookie).toEqual([])
  })

  it('shows cookie among the session\'s keys, as express-session does, but never stores it as data', async () => {
    const store = new MemoryStore()
    const url = await app(cookieSession({ ...usual, store }), (a) => {
      a.post('/keys', (req: any, res) => { req.session.user = 'ann'; res.json({ keys: Object.keys(req.session), json: JSON.parse(JSON.stringify(req.session)) }) })
    })
    const answer = await new Browser().post(`${url}/keys`)
    expect(answer.body.keys).toEqual(['user', 'cookie'])
    expect(answer.body.json).toEqual({ user: 'ann', cookie: expect.objectContaining({ path: '/', httpOnly: true }) })
    expect(Object.values(records(store))).toEqual([{ cookie: expect.any(Object), user: 'ann' }])
  })

  it('regenerate(cb) gives a new id and deletes the old record; destroy(cb) deletes it and leaves req.session undefined', async () => {
    const store = new MemoryStore()
    const url = await app(cookieSession({ ...usual, store }), (a) => {
      a.post('/regenerate', (req: any, res, next) => {
        const before = req.sessionID
        req.session.regenerate((err: unknown) => { if (err) return next(err); req.session.user = 'bob'; res.json(req.sessionID !== before && req.session.id === req.sessionID) })
      })
    })
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    const stolen = browser.copy()
    expect((await browser.post(`${url}/regenerate`)).body).toBe(true)
    expect(idOf(browser.cookies.get('connect.sid'))).not.toBe(idOf(stolen.cookies.get('connect.sid')))
    expect((await stolen.get(url)).body).toEqual({})
    expect((await browser.post(`${url}/logout`)).body).toBe(true)
    expect(records(store)).toEqual({})
    expect((await browser.get(url)).body).toEqual({})
  })

  it('reload(cb) reads what another request saved; save(cb) writes at once, even an unchanged session; a gone session fails to reload', async () => {
    const memory = new MemoryStore()
    const { store, calls } = counting(memory)
    const otherTab: Browser[] = []
    const url: string = await app(cookieSession({ ...usual, store }), (a) => {
      a.post('/reload', (req: any, res, next) => {
        otherTab[0]!.post(url, { theme: 'dark' }).then(() => req.session.reload((err: unknown) => err ? next(err) : res.json(req.session.theme)), next)
      })
      a.post('/save', (req: any, res, next) => {
        const before = calls.set
        req.session.save((err: unknown) => err ? next(err) : res.json(calls.set - before))
      })
      a.post('/gone', (req: any, res) => { memory.clear(() => req.session.reload((err: Error) => res.json(err.message))) })
    })
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    otherTab.push(browser.copy())
    expect((await browser.post(`${url}/reload`)).body).toBe('dark')
    expect((await browser.post(`${url}/save`)).body).toBe(1)
    expect(Object.values(records(memory))[0]).toMatchObject({ user: 'ann', theme: 'dark' })
    expect((await browser.post(`${url}/gone`)).body).toBe('failed to load session')
  })
})

describe('the rest of what express-session does', () => {
  it('goes on without a session while the store says it is disconnected (its disconnect and connect events)', async () => {
    const store = new MemoryStore()
    const url = await app(cookieSession({ ...usual, store }), (a) => {
      a.get('/kind', (req: any, res) => { res.json(typeof req.session) })
    })
    store.emit('disconnect')
    expect((await new Browser().get(`${url}/kind`)).body).toBe('undefined')
    store.emit('connect')
    expect((await new Browser().get(`${url}/kind`)).body).toBe('object')
  })

  it('reads the cookie cookie-parser left in req.cookies when the header no longer has it, and verifies it', async () => {
    const store = new MemoryStore()
    const browser = new Browser()
    await browser.post(await app(cookieSession({ ...usual, store })), { user: 'ann' })
    const value = decodeURIComponent(browser.cookies.get('connect.sid')!)
    const parsed = (cookies: Record<string, string>) => (req: any, _res: unknown, next: () => void) => { req.cookies = cookies; req.headers.cookie = 'other=1'; next() }
    const read = async (cookies: Record<string, string>) => {
      const a = express()
      a.use(parsed(cookies))
      a.use(cookieSession({ ...usual, store }) as Middleware)
      a.get('/', (req: any, res) => { res.json(req.session.user ?? null) })
      return (await new Browser().get(await serve(a))).body
    }
    expect(await read({ 'connect.sid': value })).toBe('ann')
    expect(await read({ 'connect.sid': value.slice(0, -2) })).toBe(null)
  })

  it('counts delete req.session as unsetting it: with unset "destroy" the session is deleted', async () => {
    const store = new MemoryStore()
    const url = await app(cookieSession({ ...usual, unset: 'destroy', store }), (a) => {
      a.post('/delete', (req: any, res) => { req.session.more = 1; delete req.session; res.json(null) })
    })
    const browser = new Browser()
    await browser.post(url, { user: 'ann' })
    await browser.post(`${url}/delete`)
    expect(records(store)).toEqual({})
  })

  it('fails a request whose cookie function returns no settings, naming it', async () => {
    const url = await app(cookieSession({ ...usual, cookie: () => 'none', store: new MemoryStore() }))
    expect((await new Browser().get(url)).body).toMatchObject({ message: 'option "cookie(req)" must be an object of cookie settings (maxAge, secure, sameSite, ...) or a function (req) => settings, got "none"' })
  })

  it('works the same way with the Fetch adapter (Web Crypto): express-session\'s cookie read and written', async () => {
    const { fetchSession } = await import('../src/fetch.js')
    const store = new MemoryStore()
    const browser = new Browser()
    await browser.post(await app(expressSession({ ...usual, store })), { user: 'ann' })
    const sessions = fetchSession({ ...usual, store })
    const first = await sessions(new Request('http://x/', { headers: { cookie: browser.cookieHeader } }))
    expect({ user: first.session!.user, id: first.session!.id }).toEqual({ user: 'ann', id: idOf(browser.cookies.get('connect.sid')) })
    const fresh = await sessions(new Request('http://x/'))
    fresh.session!.user = 'bob'
    const [line] = (await fresh.commit(new Response('ok'))).headers.getSetCookie()
    expect(line).toMatch(/^connect\.sid=s%3A[\w-]{43}\.[\w%]+; Path=\/; HttpOnly$/)
    const theirs = await app(expressSession({ ...usual, store }))
    const reader = new Browser()
    reader.cookies.set('connect.sid', line!.split(';')[0]!.split('=')[1]!)
    expect((await reader.get(theirs)).body).toEqual({ user: 'bob' })
  })
})

describe('users of express-session, after the switch', () => {
  it('stay logged in: their connect.sid cookie is verified with the secret and its record read', async () => {
    const store = new MemoryStore()
    const browser = new Browser()
    await browser.post(await app(expressSession({ ...usual, store })), { user: 'ann' })
    const theirs = browser.cookies.get('connect.sid')
    const ours = await app(cookieSession({ ...usual, store }))
    const read = await browser.get(ours)
    expect(read.body).toEqual({ user: 'ann' })
    expect(read.setCookie).toEqual([])
    await browser.post(ours, { cart: ['tea'] })
    expect(browser.cookies.get('connect.sid')).toBe(theirs)
    expect(Object.values(records(store))).toEqual([expect.objectContaining({ user: 'ann', cart: ['tea'] })])
  })

  it('are read whatever this library\'s cookie is called, and moved to its format on the first request that reads them', async () => {
    const store = new MemoryStore()
    const browser = new Browser()
    await browser.post(await app(expressSession({ ...usual, store })), { user: 'ann' })
    const old = idOf(browser.cookies.get('connect.sid'))
    const ours = await app(cookieSession({ keys: [secret], store }))
    const moved = await browser.get(ours)
    expect(moved.body).toEqual({ user: 'ann' })
    expect(moved.setCookie).toEqual([
      expect.stringMatching(/^session=[\w-]{43}; path=\/; httponly$/),
      expect.stringMatching(/^session\.sig=/),
      'connect.sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly'
    ])
    expect([...browser.cookies.keys()]).toEqual(['session', 'session.sig'])
    expect(Object.keys(records(store))).toEqual([browser.cookies.get('session')])
    expect(Object.keys(records(store))).not.toContain(old)
    expect((await browser.post(ours, { cart: ['tea'] })).setCookie).toEqual([])
    expect((await browser.get(ours)).body).toEqual({ user: 'ann', cart: ['tea'] })
  })

  it('can switch back: express-session reads the cookies and records this library wrote, and the other way round', async () => {
    const store = new MemoryStore()
    const theirs = await app(expressSession({ ...usual, store }))
    const ours = await app(cookieSession({ ...usual, store }))
    const browser = new Browser()
    await browser.post(ours, { user: 'ann' })
    expect((await browser.post(theirs, { step: 1 })).body).toEqual({ user: 'ann', step: 1 })
    expect((await browser.post(ours, { step: 2 })).body).toEqual({ user: 'ann', step: 2 })
    expect((await browser.get(theirs)).body).toEqual({ user: 'ann', step: 2 })
    await browser.post(`${theirs}/remember`)
    expect((await browser.get(ours)).body).toEqual({ user: 'ann', step: 2 })
    expect((await browser.post(`${ours}/logout`)).body).toBe(true)
    expect((await browser.get(theirs)).body).toEqual({})
  })

  it('with a hostile cookie get a new empty session, never an error, and no store call for a bad signature', async () => {
    const { store, calls } = counting(new MemoryStore())
    const url = await app(cookieSession({ ...usual, store }))
    const good = encodeURIComponent('s:' + signature.sign('an-id', secret))
    for (const value of [
      encodeURIComponent('s:' + signature.sign('an-id', 'another secret')),
      good.slice(0, -3),
      's%3Aan-id.%E0%A4%A',
      's:an-id',
      encodeURIComponent('s:' + signature.sign('an-id.gone', secret)),
      's%3A' + 'x'.repeat(10_000),
      'eyJ1c2VyIjoiYW5uIn0='
    ]) {
      const browser = new Browser()
      browser.cookies.set('connect.sid', value)
      const answer = await browser.get(url)
      expect(answer, value.slice(0, 40)).toMatchObject({ status: 200, body: {} })
    }
    expect(calls.get).toBe(0)
  })
})

describe('passport with express-session\'s options', () => {
  const users: Record<string, { id: string }> = { ann: { id: 'ann' } }

  async function passportApp (store: MemoryStore): Promise<string> {
    const auth = localPassport(users)
    const a = express()
    a.use(express.json())
    a.use(cookieSession({ secret, store, resave: true, saveUninitialized: true, rolling: true, cookie: { maxAge: 3_600_000 } }) as Middleware)
    a.use(auth.session())
    a.post('/login', auth.authenticate('local'), (req: any, res) => {
      if (req.body.remember) req.session.cookie.maxAge = 30 * 24 * 3600 * 1000
      res.json(req.user)
    })
    a.get('/me', (req: any, res) => { res.json(req.user ?? null) })
    a.post('/logout', (req: any, res, next) => { req.logout((err: unknown) => err ? next(err) : res.json(null)) })
    return await serve(a)
  }

  it('logs in under a new id, remembers for 30 days, and logs out for every copy of the cookie', async () => {
    const store = new MemoryStore()
    const url = await passportApp(store)
    const browser = new Browser()
    await browser.get(`${url}/me`)
    const planted = browser.copy()
    const login = await browser.post(`${url}/login`, { username: 'ann', password: 'secret', remember: true })
    expect(login.body).toEqual({ id: 'ann' })
    expect(idOf(browser.cookies.get('connect.sid'))).not.toBe(idOf(planted.cookies.get('connect.sid')))
    expect(Date.parse(/Expires=([^;]+)/.exec(login.setCookie.at(-1)!)![1]!) - Date.now()).toBeGreaterThan(29 * 24 * 3600 * 1000)
    expect((await planted.get(`${url}/me`)).body).toBe(null)
    expect((await browser.get(`${url}/me`)).body).toEqual({ id: 'ann' })
    const stolen = browser.copy()
    await browser.post(`${url}/logout`)
    expect((await stolen.get(`${url}/me`)).body).toBe(null)
    expect(Object.values(records(store)).filter((record) => record.passport?.user === 'ann')).toEqual([])
  })
})
