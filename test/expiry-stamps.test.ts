// The expiry stamp is something only this library writes, in milliseconds, and
// outside the session's data: data that looks like a stamp is never trusted as one, and `$t` is an
// ordinary session key in every mode.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, serve } from './helpers/apps.js'

const keys = ['k']
const EXPIRED = 'session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'
const FAR_FUTURE = Number.MAX_SAFE_INTEGER

/** A cookie, written with timeouts off (as cookieSession({ keys }) does), holding `data`. */
async function plainCookie (data: Record<string, unknown>): Promise<string> {
  return cookieFrom((await serve(cookieSession({ keys }), (req) => { Object.assign(req.session, data) }).get()).setCookie)
}

const reader = (options: object) => serve(cookieSession({ keys, ...options }), (req) => ({ isNew: req.session.isNew, data: { ...req.session } }))

afterEach(() => { vi.useRealTimers() })

describe('session data shaped like a stamp', () => {
  it.each([
    ['idleTimeout', { idleTimeout: 60_000 }],
    ['absoluteTimeout', { absoluteTimeout: 60_000 }]
  ])('is not trusted as one under %s: the session counts as unstamped, so expired', async (_, timeouts) => {
    const cookie = await plainCookie({ $t: [FAR_FUTURE, FAR_FUTURE], user: 'ann' })
    const res = await reader(timeouts).get(cookie)
    expect(res.body).toEqual({ isNew: true, data: {} })
    expect(res.setCookie[0]).toBe(EXPIRED)
  })
})

describe('$t as a session key', () => {
  it.each([
    ['no timeouts', {}],
    ['idleTimeout', { idleTimeout: 60_000 }],
    ['absoluteTimeout', { absoluteTimeout: 60_000 }],
    ['renew', { maxAge: 60_000, renew: true }],
    ['encrypt and idleTimeout', { keys: ['sealing-key-of-at-least-32-bytes-0'], encrypt: true, idleTimeout: 60_000 }]
  ])('is ordinary data with %s', async (_, options) => {
    const mw = cookieSession({ keys, ...options })
    const written = await serve(mw, (req) => { req.session.$t = [1, 2]; req.session.user = 'ann' }).get()
    const res = await serve(mw, (req) => ({ ...req.session })).get(cookieFrom(written.setCookie))
    expect(res.body).toEqual({ $t: [1, 2], user: 'ann' })
  })
})

describe('renew without timeouts, reading a session whose data has a malformed $t', () => {
  it.each([['a string', 'bogus'], ['a short array', [1]], ['an object', { a: 1 }], ['unsafe numbers', [1e300, -1]]])(
    'keeps the session and sends a valid next cookie ($t is %s)', async (_, $t) => {
      const renewing = reader({ maxAge: 60_000, renew: true })
      const first = await renewing.get(await plainCookie({ $t, user: 'ann' }))
      expect(first.body).toEqual({ isNew: false, data: { $t, user: 'ann' } })
      expect(first.setCookie).toHaveLength(2)
      const next = await renewing.get(cookieFrom(first.setCookie))
      expect(next.body).toEqual({ isNew: false, data: { $t, user: 'ann' } })
    })
})

describe('idleTimeout counts milliseconds', () => {
  // A write at .999 of a second: a stamp kept in whole seconds would make 1499 ms look like 2 s.
  const t = Date.UTC(2030, 0, 1, 12, 0, 0, 999)

  async function readAfter (ms: number) {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(t)
    const mw = cookieSession({ keys, idleTimeout: 1500 })
    const written = await serve(mw, (req) => { req.session.user = 'ann' }).get()
    vi.setSystemTime(t + ms)
    return (await serve(mw, (req) => req.session.user ?? null).get(cookieFrom(written.setCookie))).body
  }

  it('accepts a session read 1499 ms after it was written', async () => {
    expect(await readAfter(1499)).toBe('ann')
  })

  it('refuses it 1501 ms after', async () => {
    expect(await readAfter(1501)).toBe(null)
  })
})
