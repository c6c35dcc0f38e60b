import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, serve, type Route } from './helpers/apps.js'

const keys = ['k']
const T0 = new Date('2030-01-01T00:00:00Z').getTime()
const MINUTE = 60_000
const EXPIRED = 'session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'
const at = (ms: number) => vi.setSystemTime(new Date(T0 + ms))
const payload = (setCookie: string[]) => JSON.parse(Buffer.from((setCookie[0] as string).split(';')[0]!.slice('session='.length), 'base64').toString())
/** The [created, written] stamp (ms) of a stamped payload `[created, written, data]`. */
const stampOf = (setCookie: string[]) => payload(setCookie).slice(0, 2)

const login: Route = (req) => { req.session.user = 'ann' }
const whoami: Route = (req) => req.session.user ?? null

beforeEach(() => { vi.useFakeTimers({ toFake: ['Date'] }); at(0) })
afterEach(() => { vi.useRealTimers() })

describe('absoluteTimeout', () => {
  const options = { keys, absoluteTimeout: 60 * MINUTE }

  it('stamps the payload with creation and write times, hidden from the session', async () => {
    const res = await serve(cookieSession(options), (req) => { req.session.user = 'ann'; return Object.keys(req.session) }).get()
    expect(res.body).toEqual(['user'])
    expect(payload(res.setCookie)).toEqual([T0, T0, { user: 'ann' }])
  })

  it('accepts the session until the timeout, then gives a new empty one and expires the cookie', async () => {
    const cookie = cookieFrom((await serve(cookieSession(options), login).get()).setCookie)
    at(60 * MINUTE)
    expect((await serve(cookieSession(options), whoami).get(cookie)).body).toBe('ann')
    at(60 * MINUTE + 1001)
    const late = await serve(cookieSession(options), whoami).get(cookie)
    expect(late.body).toBe(null)
    expect(late.setCookie[0]).toBe(EXPIRED)
  })

  it('counts from creation, not from the last write', async () => {
    const mw = cookieSession(options)
    let cookie = cookieFrom((await serve(mw, login).get()).setCookie)
    at(50 * MINUTE)
    cookie = cookieFrom((await serve(mw, (req) => { req.session.views = 1 }).get(cookie)).setCookie)
    at(61 * MINUTE)
    expect((await serve(mw, whoami).get(cookie)).body).toBe(null)
  })

  it('starts again after regenerate', async () => {
    const mw = cookieSession(options)
    const cookie = cookieFrom((await serve(mw, login).get()).setCookie)
    at(50 * MINUTE)
    const res = await serve(mw, (req) => { req.session.regenerate(); req.session.user = 'bob' }).get(cookie)
    expect(stampOf(res.setCookie)).toEqual([T0 + 50 * MINUTE, T0 + 50 * MINUTE])
  })

  it('rejects a cookie without a stamp (from before timeouts were on)', async () => {
    const cookie = cookieFrom((await serve(cookieSession({ keys }), login).get()).setCookie)
    expect((await serve(cookieSession(options), whoami).get(cookie)).body).toBe(null)
  })

  it.each([
    ['signed', {}],
    ['encrypted', { encrypt: true }],
    ['compressed', { compress: true }],
    ['chunked', { chunked: true, maxSize: 300 }]
  ])('cannot be dodged by replacing the session without reading it first (%s)', async (_, extra) => {
    const mw = cookieSession({ ...options, keys: ['k'.repeat(32)], ...extra })
    let cookie = cookieFrom((await serve(mw, (req) => { req.session.user = 'ann'; req.session.pad = 'p'.repeat(200) }).get()).setCookie)
    // A route that replaces the session outright (cookie-session's login idiom), kept busy by the client.
    const replace: Route = (req) => { req.session = { user: 'ann', pad: 'p'.repeat(200), seen: Date.now() } }
    for (const minute of [20, 40, 59]) {
      at(minute * MINUTE)
      cookie = cookieFrom((await serve(mw, replace).get(cookie)).setCookie)
    }
    at(61 * MINUTE)
    expect((await serve(mw, whoami).get(cookie)).body).toBe(null)
  })

  it('cannot be dodged by writing $t from the app: it is data, outside the stamp', async () => {
    const res = await serve(cookieSession(options), (req) => { 'use strict'; try { req.session.$t = [0, 0] } catch {} ; req.session.user = 'x' }).get()
    expect(payload(res.setCookie)).toEqual([T0, T0, { $t: [0, 0], user: 'x' }])
  })
})

describe('idleTimeout', () => {
  const options = { keys, idleTimeout: 30 * MINUTE }

  it('expires a session whose cookie was not written for longer than the timeout', async () => {
    const cookie = cookieFrom((await serve(cookieSession(options), login).get()).setCookie)
    at(31 * MINUTE)
    expect((await serve(cookieSession(options), whoami).get(cookie)).body).toBe(null)
  })

  it('slides with every write', async () => {
    const mw = cookieSession(options)
    let cookie = cookieFrom((await serve(mw, login).get()).setCookie)
    for (const minute of [20, 40, 60]) {
      at(minute * MINUTE)
      const res = await serve(mw, (req) => { req.session.seen = minute; return req.session.user }).get(cookie)
      expect(res.body).toBe('ann')
      cookie = cookieFrom(res.setCookie)
    }
  })

  it('with rolling, slides on every request that reads the session', async () => {
    const mw = cookieSession({ ...options, rolling: true })
    let cookie = cookieFrom((await serve(mw, login).get()).setCookie)
    for (const minute of [20, 40, 60]) {
      at(minute * MINUTE)
      const res = await serve(mw, whoami).get(cookie)
      expect(res.body).toBe('ann')
      cookie = cookieFrom(res.setCookie)
    }
  })
})

describe('rolling', () => {
  const mw = cookieSession({ keys, rolling: true, maxAge: 10 * MINUTE })

  it('re-sends an unchanged session on every response that reads it, with a fresh expiry', async () => {
    const cookie = cookieFrom((await serve(mw, login).get()).setCookie)
    at(5 * MINUTE)
    const res = await serve(mw, whoami).get(cookie)
    expect(res.setCookie[0]).toBe(`${cookie.split('; ')[0]}; path=/; expires=Tue, 01 Jan 2030 00:15:00 GMT; httponly`)
    expect(res.setCookie).toHaveLength(2)
  })

  it('sends nothing when the session is not read, or new and empty', async () => {
    const cookie = cookieFrom((await serve(mw, login).get()).setCookie)
    expect((await serve(mw, () => 'untouched').get(cookie)).setCookie).toEqual([])
    expect((await serve(mw, whoami).get()).setCookie).toEqual([])
  })
})

describe('renew', () => {
  const mw = cookieSession({ keys, renew: true, maxAge: 10 * MINUTE })

  it('re-sends the cookie only once more than half of maxAge has passed since it was written', async () => {
    const cookie = cookieFrom((await serve(mw, login).get()).setCookie)
    at(4 * MINUTE)
    expect((await serve(mw, whoami).get(cookie)).setCookie).toEqual([])
    at(6 * MINUTE)
    const renewed = await serve(mw, whoami).get(cookie)
    expect(renewed.setCookie[0]).toMatch(/; path=\/; expires=Tue, 01 Jan 2030 00:16:00 GMT; httponly$/)
    expect(stampOf(renewed.setCookie)).toEqual([T0, T0 + 6 * MINUTE])
  })

  it('needs maxAge', () => {
    expect(() => cookieSession({ keys, renew: true })).toThrow('option "renew" needs "maxAge"')
  })
})

describe('timeout options', () => {
  it.each([['absoluteTimeout', -1], ['idleTimeout', 0], ['absoluteTimeout', '1h'], ['idleTimeout', Infinity]])('reject %s: %s', (option, value) => {
    expect(() => cookieSession({ keys, [option]: value })).toThrow(`option "${option}" must be a positive number of milliseconds`)
  })

  it('reject non-boolean rolling', () => {
    expect(() => cookieSession({ keys, rolling: 'yes' as never })).toThrow('option "rolling" must be a boolean, got "yes"')
  })
})

describe('found in review', () => {
  it('keeps the creation time when the contents are replaced, so absoluteTimeout still applies', async () => {
    const mw = cookieSession({ keys, absoluteTimeout: 60 * MINUTE })
    let cookie = cookieFrom((await serve(mw, login).get()).setCookie)
    at(50 * MINUTE)
    const replaced = await serve(mw, (req) => { req.session = { ...req.session, seen: 50 } }).get(cookie)
    expect(stampOf(replaced.setCookie)).toEqual([T0, T0 + 50 * MINUTE])
    cookie = cookieFrom(replaced.setCookie)
    at(61 * MINUTE)
    expect((await serve(mw, whoami).get(cookie)).body).toBe(null)
  })
})
