// Wire compatibility with the real cookie-session@2.1.1: the same request through both middlewares
// must give exactly the same Set-Cookie lines, except for the differences made on purpose (listed
// separately below), and each must read the other's cookies.
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import cookieSessionRef from 'cookie-session'
import express from 'express'
import Keygrip from 'keygrip'
import request from 'supertest'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, frameworks, serve, setCookieOf, type Req, type Route } from './helpers/apps.js'

type Middleware = (req: IncomingMessage, res: ServerResponse, next?: (err?: unknown) => void) => void
type Options = Record<string, unknown>

const KEYS = ['a', 'b']
/** Fixed clock: 2025-01-02T03:04:05Z. */
const NOW = Date.UTC(2025, 0, 2, 3, 4, 5)
const IN_AN_HOUR = 'Thu, 02 Jan 2025 04:04:05 GMT'
const IN_A_MINUTE = 'Thu, 02 Jan 2025 03:05:05 GMT'
const EPOCH = 'Thu, 01 Jan 1970 00:00:00 GMT'
/** `{"message":"hi"}`, and its signature with keys[0] = 'a' (the known answer below). */
const HI = 'eyJtZXNzYWdlIjoiaGkifQ=='
const HI_SIG = 'vdp2-kj-91tgzbWcV1QzofT3hu0'

function encodeValue (data: object): string {
  return Buffer.from(JSON.stringify(data)).toString('base64')
}

function sign (name: string, value: string, keys: string[] = KEYS): string {
  return new Keygrip(keys).sign(name + '=' + value)
}

/** A Cookie header holding `data` signed with `keys[0]`. */
function signedCookie (data: object, keys: string[] = KEYS, name = 'session'): string {
  const value = encodeValue(data)
  return `${name}=${value}; ${name}.sig=${sign(name, value, keys)}`
}

/** An Express 5 app that trusts X-Forwarded-Proto, so a request can arrive "over https". */
function proxiedApp (mw: Middleware, route: Route): http.Server {
  const app = express()
  app.set('trust proxy', true)
  app.use(mw)
  app.all('/{*path}', (req, res) => {
    const body = route(req as Req, res)
    if (!res.headersSent) res.json(body ?? null)
  })
  return http.createServer(app)
}

async function send (server: http.Server, cookie?: string, headers: Record<string, string> = {}) {
  const req = request(server).get('/')
  if (cookie !== undefined) req.set('Cookie', cookie)
  for (const [name, value] of Object.entries(headers)) req.set(name, value)
  const res = await req
  return { status: res.status, body: res.body as any, setCookie: setCookieOf(res.headers) }
}

interface Request {
  options?: Options
  route: Route
  cookie?: string
  headers?: Record<string, string>
}

/** Sends the same request through cookie-session and through ours; `errors` are our onError codes. */
async function both ({ options = {}, route, cookie, headers }: Request) {
  const errors: string[] = []
  // Fresh option objects for each: cookie-session writes its defaults into the one it is given.
  const reference = cookieSessionRef({ keys: KEYS, ...options })
  const ours = cookieSession({ keys: KEYS, ...options, onError: (err) => { errors.push((err as { code: string }).code) } })
  const ref = await send(proxiedApp(reference, route), cookie, headers)
  const our = await send(proxiedApp(ours, route), cookie, headers)
  expect(ref.status).toBe(200)
  expect(our.status).toBe(200)
  return { ref: ref.setCookie, ours: our.setCookie, errors }
}

const writeHi: Route = (req) => { req.session.message = 'hi' }
const https = { 'X-Forwarded-Proto': 'https' }

interface Scenario extends Request {
  behaviour: string
  /** The Set-Cookie lines both must send, exactly. */
  expected: string[]
  /** Error codes our middleware reports where cookie-session silently writes nothing. */
  errors?: string[]
}

const hiLines = (attributes: string): string[] =>
  [`session=${HI}${attributes}`, `session.sig=${HI_SIG}${attributes}`]

const scenarios: Scenario[] = [
  {
    behaviour: 'a new session is written as a value and a .sig cookie',
    route: writeHi,
    expected: hiLines('; path=/; httponly')
  },
  {
    behaviour: 'a request that never touches req.session writes nothing',
    route: () => 'untouched',
    expected: []
  },
  {
    behaviour: 'a new session that stays empty writes nothing',
    route: (req) => req.session.message ?? null,
    expected: []
  },
  {
    behaviour: 'maxAge sets expires from the clock, with no Max-Age',
    options: { maxAge: 3_600_000 },
    route: writeHi,
    expected: hiLines(`; path=/; expires=${IN_AN_HOUR}; httponly`)
  },
  {
    behaviour: 'req.sessionOptions.maxAge set by the route applies to this response',
    route: (req) => { req.sessionOptions.maxAge = 60_000; req.session.message = 'hi' },
    expected: hiLines(`; path=/; expires=${IN_A_MINUTE}; httponly`)
  },
  {
    behaviour: 'req.sessionOptions.signed = false set by the route writes no .sig',
    route: (req) => { req.sessionOptions.signed = false; req.session.message = 'hi' },
    expected: [`session=${HI}; path=/; httponly`]
  },
  {
    behaviour: 'expires is written as given',
    options: { expires: new Date(Date.UTC(2030, 0, 1)) },
    route: writeHi,
    expected: hiLines('; path=/; expires=Tue, 01 Jan 2030 00:00:00 GMT; httponly')
  },
  {
    behaviour: 'maxAge wins over expires',
    options: { maxAge: 3_600_000, expires: new Date(Date.UTC(2030, 0, 1)) },
    route: writeHi,
    expected: hiLines(`; path=/; expires=${IN_AN_HOUR}; httponly`)
  },
  {
    behaviour: 'path is written',
    options: { path: '/app' },
    route: writeHi,
    expected: hiLines('; path=/app; httponly')
  },
  {
    behaviour: 'domain is written',
    options: { domain: 'example.com' },
    route: writeHi,
    expected: hiLines('; path=/; domain=example.com; httponly')
  },
  {
    behaviour: 'sameSite: true is written as strict',
    options: { sameSite: true },
    route: writeHi,
    expected: hiLines('; path=/; samesite=strict; httponly')
  },
  {
    behaviour: 'sameSite: lax is written',
    options: { sameSite: 'lax' },
    route: writeHi,
    expected: hiLines('; path=/; samesite=lax; httponly')
  },
  {
    behaviour: 'sameSite: false writes no attribute',
    options: { sameSite: false },
    route: writeHi,
    expected: hiLines('; path=/; httponly')
  },
  {
    behaviour: 'priority is written in lower case',
    options: { priority: 'High' },
    route: writeHi,
    expected: hiLines('; path=/; priority=high; httponly')
  },
  {
    behaviour: 'httpOnly: false drops httponly',
    options: { httpOnly: false },
    route: writeHi,
    expected: hiLines('; path=/')
  },
  {
    behaviour: 'a request over https (trusted X-Forwarded-Proto) gets secure cookies',
    route: writeHi,
    headers: https,
    expected: hiLines('; path=/; secure; httponly')
  },
  {
    behaviour: 'secure: true over https is written',
    options: { secure: true },
    route: writeHi,
    headers: https,
    expected: hiLines('; path=/; secure; httponly')
  },
  {
    behaviour: 'secure: false over https drops secure',
    options: { secure: false },
    route: writeHi,
    headers: https,
    expected: hiLines('; path=/; httponly')
  },
  {
    behaviour: 'secure: true over plain http writes nothing',
    options: { secure: true },
    route: writeHi,
    expected: [],
    errors: ['ERR_SESSION_INSECURE']
  },
  {
    behaviour: 'every attribute at once is written in the order of the cookies module',
    options: {
      maxAge: 3_600_000,
      path: '/app',
      domain: '.example.com',
      priority: 'medium',
      sameSite: 'none',
      partitioned: true
    },
    route: writeHi,
    headers: https,
    expected: hiLines(`; path=/app; expires=${IN_AN_HOUR}; domain=.example.com; priority=medium; samesite=none; secure; httponly; partitioned`)
  },
  {
    behaviour: 'signed: false writes the value alone',
    options: { signed: false },
    route: writeHi,
    expected: [`session=${HI}; path=/; httponly`]
  },
  {
    behaviour: 'signed: false reads an unsigned cookie and writes nothing when unchanged',
    options: { signed: false },
    route: (req) => req.session.message,
    cookie: `session=${HI}`,
    expected: []
  },
  {
    behaviour: 'a custom name names both cookies',
    options: { name: 'sid' },
    route: writeHi,
    expected: [`sid=${HI}; path=/; httponly`, `sid.sig=${sign('sid', HI)}; path=/; httponly`]
  },
  {
    behaviour: 'req.session = null deletes both cookies',
    route: (req) => { req.session = null },
    cookie: signedCookie({ message: 'hi' }),
    expected: [`session=; path=/; expires=${EPOCH}; httponly`, `session.sig=${sign('session', '')}; path=/; expires=${EPOCH}; httponly`]
  },
  {
    behaviour: 'req.session = null deletes both cookies even without a session cookie',
    route: (req) => { req.session = null },
    expected: [`session=; path=/; expires=${EPOCH}; httponly`, `session.sig=${sign('session', '')}; path=/; expires=${EPOCH}; httponly`]
  },
  {
    behaviour: 'req.session = null with maxAge deletes at the epoch, keeping path and domain',
    options: { maxAge: 3_600_000, path: '/app', domain: 'example.com' },
    route: (req) => { req.session = null },
    cookie: signedCookie({ message: 'hi' }),
    expected: [
      `session=; path=/app; expires=${EPOCH}; domain=example.com; httponly`,
      `session.sig=${sign('session', '')}; path=/app; expires=${EPOCH}; domain=example.com; httponly`
    ]
  },
  {
    behaviour: 'req.session = null with expires deletes at the epoch, not at the given date',
    options: { expires: new Date(Date.UTC(2030, 0, 1)) },
    route: (req) => { req.session = null },
    cookie: signedCookie({ message: 'hi' }),
    expected: [`session=; path=/; expires=${EPOCH}; httponly`, `session.sig=${sign('session', '')}; path=/; expires=${EPOCH}; httponly`]
  },
  {
    behaviour: 'reading a valid session without changing it writes nothing',
    route: (req) => req.session.message,
    cookie: signedCookie({ message: 'hi' }),
    expected: []
  },
  {
    behaviour: 'writing the value a session already holds writes nothing',
    route: (req) => { req.session.message = 'hi' },
    cookie: signedCookie({ message: 'hi' }),
    expected: []
  },
  {
    behaviour: 'changing a loaded session writes it again',
    route: (req) => { req.session.count = 2 },
    cookie: signedCookie({ count: 1 }),
    expected: [
      `session=${encodeValue({ count: 2 })}; path=/; httponly`,
      `session.sig=${sign('session', encodeValue({ count: 2 }))}; path=/; httponly`
    ]
  },
  {
    behaviour: 'a session replaced by an equal object is written again (it is new)',
    route: (req) => { req.session = { message: 'hi' } },
    cookie: signedCookie({ message: 'hi' }),
    expected: hiLines('; path=/; httponly')
  },
  {
    behaviour: 'an invalid signature clears the .sig cookie',
    route: (req) => req.session.message ?? null,
    cookie: `session=${HI}; session.sig=${sign('session', HI, ['wrong'])}`,
    expected: [`session.sig=; path=/; expires=${EPOCH}; httponly`]
  },
  {
    behaviour: 'an invalid signature over https clears the .sig cookie as a secure cookie',
    route: (req) => req.session.message ?? null,
    cookie: `session=${HI}; session.sig=${sign('session', HI, ['wrong'])}`,
    headers: https,
    expected: [`session.sig=; path=/; expires=${EPOCH}; secure; httponly`]
  },
  {
    behaviour: 'an invalid signature followed by a write sends only the new cookies',
    route: writeHi,
    cookie: `session=${encodeValue({ message: 'forged' })}; session.sig=${HI_SIG}`,
    expected: hiLines('; path=/; httponly')
  },
  {
    behaviour: 'an old-key cookie that changes is written signed with keys[0]',
    options: { maxAge: 3_600_000 },
    route: (req) => { req.session.message = 'hi' },
    cookie: signedCookie({ message: 'old' }, ['b']),
    expected: hiLines(`; path=/; expires=${IN_AN_HOUR}; httponly`)
  },
  {
    behaviour: 'an old-key cookie that is destroyed is deleted',
    route: (req) => { req.session = null },
    cookie: signedCookie({ message: 'hi' }, ['b']),
    expected: [`session=; path=/; expires=${EPOCH}; httponly`, `session.sig=${sign('session', '')}; path=/; expires=${EPOCH}; httponly`]
  },
  {
    behaviour: 'Set-Cookie lines of other cookies set by the route are kept',
    route: (req, res) => { res.setHeader('Set-Cookie', ['other=1; path=/']); req.session.message = 'hi' },
    expected: ['other=1; path=/', ...hiLines('; path=/; httponly')]
  },
  {
    behaviour: 'a session cookie set earlier by the route is replaced (overwrite: true)',
    route: (req, res) => { res.setHeader('Set-Cookie', 'session=manual; path=/'); req.session.message = 'hi' },
    expected: hiLines('; path=/; httponly')
  },
  {
    behaviour: 'a session cookie set earlier by the route is kept with overwrite: false',
    options: { overwrite: false },
    route: (req, res) => { res.setHeader('Set-Cookie', 'session=manual; path=/'); req.session.message = 'hi' },
    expected: ['session=manual; path=/', ...hiLines('; path=/; httponly')]
  }
]

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(NOW)
})

afterEach(() => {
  vi.useRealTimers()
})

describe('Set-Cookie lines are identical to cookie-session 2.1.1', () => {
  it.each(scenarios)('$behaviour', async (scenario) => {
    const { ref, ours, errors } = await both(scenario)
    expect(ours).toEqual(ref)
    expect(ref).toEqual(scenario.expected)
    expect(errors).toEqual(scenario.errors ?? [])
  })

  describe.each(frameworks)('on $name', (framework) => {
    const identical: Array<[string, Route, string | undefined]> = [
      ['a new session is written', writeHi, undefined],
      ['a destroyed session is deleted', (req) => { req.session = null }, signedCookie({ message: 'hi' })],
      ['an unchanged session writes nothing', (req) => req.session.message, signedCookie({ message: 'hi' })],
      ['an invalid signature clears the .sig cookie', (req) => req.session.message ?? null, `session=${HI}; session.sig=bad`]
    ]
    it.each(identical)('%s', async (_behaviour, route, cookie) => {
      const ref = await serve(cookieSessionRef({ keys: KEYS }), route, framework).get(cookie)
      const ours = await serve(cookieSession({ keys: KEYS }), route, framework).get(cookie)
      expect(ours.status).toBe(200)
      expect(ours.setCookie).toEqual(ref.setCookie)
    })
  })
})

describe('deliberate differences from cookie-session 2.1.1', () => {
  it('re-issues an old-key cookie with both cookies and its maxAge', async () => {
    const { ref, ours } = await both({
      options: { maxAge: 3_600_000 },
      route: (req) => req.session.message,
      cookie: signedCookie({ message: 'hi' }, ['b'])
    })
    // cookie-session re-signs only the .sig cookie, without the configured attributes, so the value
    // cookie keeps its old expiry while the signature becomes a browser-session cookie.
    expect(ref).toEqual([`session.sig=${HI_SIG}; path=/; httponly`])
    expect(ours).toEqual(hiLines(`; path=/; expires=${IN_AN_HOUR}; httponly`))
  })

  it('re-issues an old-key cookie with the configured path and domain', async () => {
    const { ref, ours } = await both({
      options: { path: '/app', domain: 'example.com' },
      route: (req) => req.session.message,
      cookie: signedCookie({ message: 'hi' }, ['b'])
    })
    expect(ref).toEqual([`session.sig=${HI_SIG}; path=/; httponly`])
    expect(ours).toEqual(hiLines('; path=/app; domain=example.com; httponly'))
  })

  it('clears a bad .sig cookie at the session path and domain, not at /', async () => {
    const { ref, ours } = await both({
      options: { path: '/app', domain: 'example.com' },
      route: (req) => req.session.message ?? null,
      cookie: `session=${HI}; session.sig=${sign('session', HI, ['wrong'])}`
    })
    expect(ref).toEqual([`session.sig=; path=/; expires=${EPOCH}; httponly`])
    expect(ours).toEqual([`session.sig=; path=/app; expires=${EPOCH}; domain=example.com; httponly`])
  })

  it('does not rewrite a valid but non-canonical cookie that is only read', async () => {
    // Unpadded base64 and JSON with spaces: cookie-session compares the re-encoded session with the
    // raw cookie and so rewrites it on every read; ours writes only after a change.
    for (const value of ['eyJtZXNzYWdlIjoiaGkifQ', Buffer.from('{ "message": "hi" }').toString('base64')]) {
      const { ref, ours } = await both({
        route: (req) => req.session.message,
        cookie: `session=${value}; session.sig=${sign('session', value)}`
      })
      expect(ref).toEqual(hiLines('; path=/; httponly'))
      expect(ours).toEqual([])
    }
  })

  it('deletes a loaded session replaced by an empty object', async () => {
    const { ref, ours } = await both({
      route: (req) => { req.session = {} },
      cookie: signedCookie({ message: 'hi' })
    })
    // cookie-session writes nothing, so the old session lives on in the browser.
    expect(ref).toEqual([])
    expect(ours).toEqual([`session=; path=/; expires=${EPOCH}; httponly`, `session.sig=${sign('session', '')}; path=/; expires=${EPOCH}; httponly`])
  })
})

describe('each reads the cookies of the other', () => {
  const data = { message: 'hi', count: 3, nested: { list: [1, 'two', null, true], empty: {} }, text: 'Zoë ✓ 😀 "quoted";' }
  const write: Route = (req) => { Object.assign(req.session, data) }
  const read: Route = (req) => ({ isNew: req.session.isNew, data: { ...req.session } })

  async function roundTrip (writer: Middleware, reader: Middleware) {
    const written = await send(proxiedApp(writer, write))
    expect(written.setCookie).toHaveLength(2)
    return send(proxiedApp(reader, read), cookieFrom(written.setCookie))
  }

  it('both write the known answer for { message: "hi" } with keys a, b', async () => {
    for (const mw of [cookieSessionRef({ keys: ['a', 'b'] }), cookieSession({ keys: ['a', 'b'] })]) {
      const { setCookie } = await send(proxiedApp(mw, writeHi))
      expect(setCookie).toEqual([
        'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly',
        'session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0; path=/; httponly'
      ])
    }
  })

  it('ours reads a session written by cookie-session', async () => {
    const { body } = await roundTrip(cookieSessionRef({ keys: KEYS }), cookieSession({ keys: KEYS }))
    expect(body).toEqual({ isNew: false, data })
  })

  it('cookie-session reads a session written by ours', async () => {
    const { body } = await roundTrip(cookieSession({ keys: KEYS }), cookieSessionRef({ keys: KEYS }))
    expect(body).toEqual({ isNew: false, data })
  })

  it('ours reads an unsigned session written by cookie-session, and back', async () => {
    const written = await send(proxiedApp(cookieSessionRef({ signed: false }), write))
    expect(written.setCookie).toHaveLength(1)
    const read1 = await send(proxiedApp(cookieSession({ signed: false }), read), cookieFrom(written.setCookie))
    expect(read1.body).toEqual({ isNew: false, data })
    const writtenByOurs = await send(proxiedApp(cookieSession({ signed: false }), write))
    expect(writtenByOurs.setCookie).toEqual(written.setCookie)
    const read2 = await send(proxiedApp(cookieSessionRef({ signed: false }), read), cookieFrom(writtenByOurs.setCookie))
    expect(read2.body).toEqual({ isNew: false, data })
  })

  it('ours accepts a cookie-session cookie signed with its keys[1], and re-issues it', async () => {
    const written = await send(proxiedApp(cookieSessionRef({ keys: ['old'] }), write))
    const ours = cookieSession({ keys: ['new', 'old'] })
    const { body, setCookie } = await send(proxiedApp(ours, read), cookieFrom(written.setCookie))
    expect(body).toEqual({ isNew: false, data })
    const value = encodeValue(data)
    expect(setCookie).toEqual([`session=${value}; path=/; httponly`, `session.sig=${sign('session', value, ['new'])}; path=/; httponly`])
  })

  it('cookie-session accepts a cookie of ours signed with its keys[1]', async () => {
    const written = await send(proxiedApp(cookieSession({ keys: ['old'] }), write))
    const ref = cookieSessionRef({ keys: ['new', 'old'] })
    const { body } = await send(proxiedApp(ref, read), cookieFrom(written.setCookie))
    expect(body).toEqual({ isNew: false, data })
  })

  it('neither accepts the other\'s cookie signed with a key it does not hold', async () => {
    const byRef = await send(proxiedApp(cookieSessionRef({ keys: ['x'] }), write))
    expect((await send(proxiedApp(cookieSession({ keys: KEYS }), read), cookieFrom(byRef.setCookie))).body)
      .toEqual({ isNew: true, data: {} })
    const byOurs = await send(proxiedApp(cookieSession({ keys: ['x'] }), write))
    expect((await send(proxiedApp(cookieSessionRef({ keys: KEYS }), read), cookieFrom(byOurs.setCookie))).body)
      .toEqual({ isNew: true, data: {} })
  })
})
