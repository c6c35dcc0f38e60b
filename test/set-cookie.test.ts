import request from 'supertest'
import Keygrip from 'keygrip'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, frameworks, serve } from './helpers/apps.js'

const keys = ['a', 'b']
const HI = 'session=eyJtZXNzYWdlIjoiaGkifQ==; session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0'

describe.each(frameworks)('Set-Cookie on $name', (framework) => {
  it('writes the known answer for {message:"hi"} with keys [a, b]', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => { req.session.message = 'hi' }, framework)
    expect((await get()).setCookie).toEqual([
      'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly',
      'session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0; path=/; httponly'
    ])
  })

  it('reads the cookie back on the next request', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => ({ message: req.session.message, isNew: req.session.isNew }), framework)
    expect((await get(HI)).body).toEqual({ message: 'hi', isNew: false })
  })

  it('sends nothing for an untouched session', async () => {
    const { get } = serve(cookieSession({ keys }), () => 'ok', framework)
    expect((await get(HI)).setCookie).toEqual([])
  })

  it('sends nothing for a session that was only read', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => req.session.message, framework)
    expect((await get(HI)).setCookie).toEqual([])
  })

  it('sends nothing for a new session that stays empty', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => req.session.isPopulated, framework)
    expect((await get()).setCookie).toEqual([])
  })

  it('sends nothing when a value is set to what it already was', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => { req.session.message = 'hi' }, framework)
    expect((await get(HI)).setCookie).toEqual([])
  })

  it('re-sends both cookies when the contents change', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => { req.session.message = 'bye' }, framework)
    const res = await get(HI)
    expect(res.setCookie).toEqual([
      'session=eyJtZXNzYWdlIjoiYnllIn0=; path=/; httponly',
      `session.sig=${new Keygrip(keys).sign('session=eyJtZXNzYWdlIjoiYnllIn0=')}; path=/; httponly`
    ])
  })

  it('counts views across requests, as in cookie-session\'s README', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => (req.session.views = (req.session.views || 0) + 1), framework)
    let cookie = ''
    const seen = []
    for (let i = 0; i < 3; i++) {
      const res = await get(cookie)
      seen.push(res.body)
      cookie = cookieFrom(res.setCookie) || cookie
    }
    expect(seen).toEqual([1, 2, 3])
  })
})

describe('cookie attributes', () => {
  afterEach(() => { vi.useRealTimers() })

  it('writes every attribute in cookie-session\'s order and spelling', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const mw = cookieSession({
      name: 'sid',
      keys,
      maxAge: 3_600_000,
      path: '/app',
      domain: 'example.com',
      priority: 'High' as 'high',
      sameSite: 'Lax' as 'lax',
      partitioned: true,
      httpOnly: true,
      secure: true,
      trustProxy: true
    })
    const { get } = serve(mw, (req) => { req.session.a = 1 })
    const attrs = '; path=/app; expires=Tue, 01 Jan 2030 01:00:00 GMT; domain=example.com; priority=high; samesite=lax; secure; httponly; partitioned'
    expect((await get('', { 'x-forwarded-proto': 'https' })).setCookie).toEqual([
      `sid=eyJhIjoxfQ==${attrs}`,
      `sid.sig=${new Keygrip(keys).sign('sid=eyJhIjoxfQ==')}${attrs}`
    ])
  })

  it('writes sameSite: true as strict, and omits httponly when httpOnly is false', async () => {
    const { get } = serve(cookieSession({ keys, sameSite: true, httpOnly: false, signed: false }), (req) => { req.session.a = 1 })
    expect((await get()).setCookie).toEqual(['session=eyJhIjoxfQ==; path=/; samesite=strict'])
  })

  it('uses expires when there is no maxAge, and maxAge when there are both', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const expires = new Date('2031-06-01T12:00:00Z')
    const only = serve(cookieSession({ keys, expires, signed: false }), (req) => { req.session.a = 1 })
    expect((await only.get()).setCookie).toEqual(['session=eyJhIjoxfQ==; path=/; expires=Sun, 01 Jun 2031 12:00:00 GMT; httponly'])
    const both = serve(cookieSession({ keys, expires, maxAge: 1000, signed: false }), (req) => { req.session.a = 1 })
    expect((await both.get()).setCookie).toEqual(['session=eyJhIjoxfQ==; path=/; expires=Tue, 01 Jan 2030 00:00:01 GMT; httponly'])
  })

  it('treats maxAge: 0 as a browser-session cookie, as cookies does', async () => {
    const { get } = serve(cookieSession({ keys, maxAge: 0, signed: false }), (req) => { req.session.a = 1 })
    expect((await get()).setCookie).toEqual(['session=eyJhIjoxfQ==; path=/; httponly'])
  })

  it('writes no .sig cookie, and reads without one, when signed is false', async () => {
    const write = serve(cookieSession({ signed: false }), (req) => { req.session.a = 1 })
    const res = await write.get()
    expect(res.setCookie).toEqual(['session=eyJhIjoxfQ==; path=/; httponly'])
    const read = serve(cookieSession({ signed: false }), (req) => req.session.a)
    expect((await read.get('session=eyJhIjoxfQ==')).body).toBe(1)
  })

  it('replaces earlier Set-Cookie lines of the same name, and keeps other cookies', async () => {
    const { get } = serve(cookieSession({ keys, signed: false }), (req, res) => {
      res.setHeader('Set-Cookie', ['session=stale; path=/', 'theme=dark; path=/'])
      req.session.a = 1
    })
    expect((await get()).setCookie).toEqual(['theme=dark; path=/', 'session=eyJhIjoxfQ==; path=/; httponly'])
  })

  it('keeps earlier lines of the same name when overwrite is false', async () => {
    const { get } = serve(cookieSession({ keys, signed: false, overwrite: false }), (req, res) => {
      res.setHeader('Set-Cookie', 'session=stale; path=/')
      req.session.a = 1
    })
    expect((await get()).setCookie).toEqual(['session=stale; path=/', 'session=eyJhIjoxfQ==; path=/; httponly'])
  })

  it('merges with a Set-Cookie passed to res.writeHead', async () => {
    const { get } = serve(cookieSession({ keys, signed: false }), (req, res) => {
      req.session.a = 1
      res.writeHead(200, { 'Set-Cookie': 'theme=dark', 'Content-Type': 'text/plain' })
      res.end('done')
    })
    const res = await get()
    expect(res.setCookie).toEqual(['theme=dark', 'session=eyJhIjoxfQ==; path=/; httponly'])
  })
})

describe('req.sessionOptions', () => {
  it('starts as a copy of the cookie options with their defaults', async () => {
    const { get } = serve(cookieSession({ keys, maxAge: 1000, sameSite: 'lax' }), (req) => req.sessionOptions)
    expect((await get()).body).toEqual({
      maxAge: 1000, path: '/', partitioned: false, sameSite: 'lax', httpOnly: true, signed: true, overwrite: true, maxSize: 4093, name: 'session'
    })
  })

  it('changes the cookie of this response only', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const { get } = serve(cookieSession({ keys, signed: false }), (req) => {
      if (req.headers['x-remember'] === 'yes') req.sessionOptions.maxAge = 86_400_000
      req.session.a = 1
    })
    const remembered = await get('', { 'x-remember': 'yes' })
    const plain = await get()
    vi.useRealTimers()
    expect(remembered.setCookie).toEqual(['session=eyJhIjoxfQ==; path=/; expires=Wed, 02 Jan 2030 00:00:00 GMT; httponly'])
    expect(plain.setCookie).toEqual(['session=eyJhIjoxfQ==; path=/; httponly'])
  })

  it('lets a per-user maxAge be read from the session, as in cookie-session\'s README', async () => {
    const { get } = serve(cookieSession({ keys, signed: false }), (req) => {
      req.sessionOptions.maxAge = req.session.maxAge || req.sessionOptions.maxAge
      req.session.views = 1
    })
    const res = await get('session=' + Buffer.from('{"maxAge":5000}').toString('base64'))
    expect(res.setCookie[0]).toMatch(/^session=eyJtYXhBZ2UiOjUwMDAsInZpZXdzIjoxfQ==; path=\/; expires=.* GMT; httponly$/)
  })

  it('can be replaced by an object; options it leaves out keep the middleware\'s values', async () => {
    const { get } = serve(cookieSession({ keys, signed: false }), (req) => {
      req.sessionOptions = { path: '/only-here' }
      req.session.a = 1
    })
    expect((await get()).setCookie).toEqual(['session=eyJhIjoxfQ==; path=/only-here; httponly'])
  })
})

describe('cookie-session compatibility details', () => {
  it('keeps both Set-Cookies when res.writeHead gets its headers as a flat array', async () => {
    const headers = ['Set-Cookie', 'theme=dark', 'X-Other', '1']
    const { server } = serve(cookieSession({ keys, signed: false }), (req, res) => {
      req.session.a = 1
      res.writeHead(200, headers as never)
      res.end('done')
    })
    const res = await request(server).get('/')
    expect(res.headers['set-cookie']).toEqual(['theme=dark', 'session=eyJhIjoxfQ==; path=/; httponly'])
    expect(res.headers['x-other']).toBe('1')
  })

  it('writes no path for path: null and no domain for domain: "", as cookies does', async () => {
    const { get } = serve(cookieSession({ keys, signed: false, path: null as never, domain: '' }), (req) => { req.session.a = 1 })
    expect((await get()).setCookie).toEqual(['session=eyJhIjoxfQ==; httponly'])
  })
})
