import { inspect } from 'node:util'
import Keygrip from 'keygrip'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, serve, type Route } from './helpers/apps.js'

const keys = ['current', 'previous']

/** One request that creates a session with `data`; returns the Cookie header to send it back. */
async function sessionWith (data: Record<string, unknown>): Promise<string> {
  const { get } = serve(cookieSession({ keys }), (req) => { Object.assign(req.session, data) })
  return cookieFrom((await get()).setCookie)
}

describe('req.session flags', () => {
  it('is new, unchanged... and empty on a request with no cookie', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => ({
      isNew: req.session.isNew, isPopulated: req.session.isPopulated, isChanged: req.session.isChanged
    }))
    // cookie-session counts every new session as changed; so do we.
    expect((await get()).body).toEqual({ isNew: true, isPopulated: false, isChanged: true })
  })

  it('is not new, populated and unchanged when read from a valid cookie', async () => {
    const cookie = await sessionWith({ views: 1 })
    const { get } = serve(cookieSession({ keys }), (req) => ({
      views: req.session.views, isNew: req.session.isNew, isPopulated: req.session.isPopulated, isChanged: req.session.isChanged
    }))
    expect((await get(cookie)).body).toEqual({ views: 1, isNew: false, isPopulated: true, isChanged: false })
  })

  it('is changed after a write of a different value, not after writing the same value', async () => {
    const cookie = await sessionWith({ views: 1 })
    const { get } = serve(cookieSession({ keys }), (req) => {
      req.session.views = 1
      const same = req.session.isChanged
      req.session.views = 2
      return { same, different: req.session.isChanged }
    })
    expect((await get(cookie)).body).toEqual({ same: false, different: true })
  })

  it('is changed back to unchanged when a value is restored', async () => {
    const cookie = await sessionWith({ views: 1 })
    const { get } = serve(cookieSession({ keys }), (req) => {
      req.session.views = 2
      req.session.views = 1
      return req.session.isChanged
    })
    const res = await get(cookie)
    expect(res.body).toBe(false)
    expect(res.setCookie).toEqual([])
  })
})

describe('the flags never collide with data of the same name', () => {
  it('hides data named like a flag, and keeps it in the cookie untouched', async () => {
    // A cookie written by another app (or hand-made) may hold these names as data.
    const json = '{"isNew":"data","isPopulated":0,"encodedSize":"x","other":1}'
    const value = Buffer.from(json).toString('base64')
    const cookie = `session=${value}; session.sig=${new Keygrip(keys).sign('session=' + value)}`
    const { get } = serve(cookieSession({ keys }), (req) => {
      const view = {
        isNew: req.session.isNew,
        isPopulated: req.session.isPopulated,
        json: JSON.stringify(req.session),
        keys: Object.keys(req.session),
        spread: { ...req.session },
        in: 'isNew' in req.session
      }
      req.session.other = 2
      return view
    })
    const res = await get(cookie)
    expect(res.body).toEqual({ isNew: false, isPopulated: true, json: '{"other":1}', keys: ['other'], spread: { other: 1 }, in: false })
    const stored = Buffer.from(cookieFrom(res.setCookie).split(/[=;]/)[1] as string, 'base64').toString()
    expect(stored).toBe('{"isNew":"data","isPopulated":0,"encodedSize":"x","other":2}')
  })

  it('does not take flag names from an object assigned to req.session', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => {
      req.session = { isNew: false, isChanged: false, views: 1 }
      return [req.session.isNew, JSON.stringify(req.session)]
    })
    const res = await get()
    expect(res.body).toEqual([true, '{"views":1}'])
    expect(res.setCookie[0]).toBe('session=eyJ2aWV3cyI6MX0=; path=/; httponly')
  })

  it('refuses assignment to a flag like a getter-only property (TypeError in strict mode)', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => {
      'use strict'
      req.session.isNew = false
    })
    const res = await get()
    expect(res.status).toBe(500)
    expect(res.body.error).toMatch(/isNew/)
  })
})

describe('the session object shows only its data', () => {
  it('to JSON.stringify, Object.keys, spread, in and Object.entries', async () => {
    const cookie = await sessionWith({ a: 1, b: { c: [1, 2] } })
    const { get } = serve(cookieSession({ keys }), (req) => ({
      json: JSON.stringify(req.session),
      keys: Object.keys(req.session),
      spread: { ...req.session },
      entries: Object.entries(req.session).length,
      inData: 'a' in req.session,
      inFlag: 'isNew' in req.session,
      ownSymbols: Object.getOwnPropertySymbols(req.session).length
    }))
    expect((await get(cookie)).body).toEqual({
      json: '{"a":1,"b":{"c":[1,2]}}',
      keys: ['a', 'b'],
      spread: { a: 1, b: { c: [1, 2] } },
      entries: 2,
      inData: true,
      inFlag: false,
      ownSymbols: 0
    })
  })

  it('returns the same object for a nested value each time', async () => {
    const cookie = await sessionWith({ cart: { items: [] } })
    const { get } = serve(cookieSession({ keys }), (req) => {
      const first = req.session.cart
      return first === req.session.cart
    })
    expect((await get(cookie)).body).toBe(true)
  })
})

describe('nested changes', () => {
  const cases: Array<[string, Route]> = [
    ['push into a nested array', (req) => { req.session.cart.items.push('apple') }],
    ['assign a nested property', (req) => { req.session.cart.owner = 'ann' }],
    ['delete a nested property', (req) => { delete req.session.cart.items }],
    ['sort a nested array', (req) => { req.session.cart.sizes.sort() }],
    ['change through a reference kept in a variable', (req) => { const cart = req.session.cart; cart.sizes[0] = 1 }]
  ]

  it.each(cases)('count as a change: %s', async (_, route) => {
    const cookie = await sessionWith({ cart: { items: [], sizes: [3, 2] } })
    const { get } = serve(cookieSession({ keys }), (req, res) => {
      route(req, res)
      return req.session.isChanged
    })
    const res = await get(cookie)
    expect(res.body).toBe(true)
    expect(res.setCookie).toHaveLength(2)
  })

  it('are read back on the next request', async () => {
    const cookie = await sessionWith({ cart: { items: ['pear'] } })
    const add = serve(cookieSession({ keys }), (req) => { req.session.cart.items.push('apple') })
    const next = cookieFrom((await add.get(cookie)).setCookie)
    const read = serve(cookieSession({ keys }), (req) => req.session.cart)
    expect((await read.get(next)).body).toEqual({ items: ['pear', 'apple'] })
  })

  it('stores the data, not a proxy, when a nested value is moved', async () => {
    const cookie = await sessionWith({ a: { x: 1 } })
    const move = serve(cookieSession({ keys }), (req) => { req.session.b = req.session.a; delete req.session.a })
    const next = cookieFrom((await move.get(cookie)).setCookie)
    const read = serve(cookieSession({ keys }), (req) => JSON.stringify(req.session))
    expect((await read.get(next)).body).toBe('{"b":{"x":1}}')
  })
})

describe('reading does not serialise', () => {
  afterEach(() => { vi.restoreAllMocks() })

  it('never calls JSON.stringify on the session for a request that only reads, even nested values', async () => {
    const cookie = await sessionWith({ user: { id: 7, roles: ['admin'] }, views: 3 })
    let during = -1
    const { get } = serve(cookieSession({ keys }), (req) => {
      const spy = vi.spyOn(JSON, 'stringify')
      const seen = [req.session.views, req.session.user.id, req.session.user.roles[0], req.session.isChanged]
      during = spy.mock.calls.length
      spy.mockRestore()
      return seen
    })
    const res = await get(cookie)
    expect(res.body).toEqual([3, 7, 'admin', false])
    expect(during).toBe(0)
    expect(res.setCookie).toEqual([])
  })

  it('does not parse the cookie at all when req.session is never touched', async () => {
    const spy = vi.spyOn(JSON, 'parse')
    const { get } = serve(cookieSession({ keys }), () => 'untouched')
    const res = await get('session=eyJhIjoxfQ==; session.sig=x')
    expect(res.body).toBe('untouched')
    expect(spy.mock.calls.filter(([text]) => text === '{"a":1}')).toHaveLength(0)
    expect(res.setCookie).toEqual([])
  })
})

describe('replacing and destroying', () => {
  it('req.session = null destroys the session: expired cookies, and req.session is null', async () => {
    const cookie = await sessionWith({ user: 1 })
    const { get } = serve(cookieSession({ keys }), (req) => { req.session = null; return req.session })
    const res = await get(cookie)
    expect(res.body).toBe(null)
    // The .sig of a deletion signs "session=", as cookie-session's does.
    expect(res.setCookie).toEqual([
      'session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly',
      `session.sig=${new Keygrip(keys).sign('session=')}; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly`
    ])
  })

  it('req.session = {...} replaces the contents (a new session)', async () => {
    const cookie = await sessionWith({ user: 1, cart: [1] })
    const replace = serve(cookieSession({ keys }), (req) => { req.session = { user: 2 }; return req.session.isNew })
    const res = await replace.get(cookie)
    expect(res.body).toBe(true)
    const read = serve(cookieSession({ keys }), (req) => ({ ...req.session }))
    expect((await read.get(cookieFrom(res.setCookie))).body).toEqual({ user: 2 })
  })

  it('req.session = {} on a request with a session expires the old cookie instead of keeping it', async () => {
    const cookie = await sessionWith({ user: 1 })
    const { get } = serve(cookieSession({ keys }), (req) => { req.session = {} })
    const res = await get(cookie)
    expect(res.setCookie).toHaveLength(2)
    expect(res.setCookie[0]).toBe('session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly')
  })

  it('copies the object it is given, so later changes to that object are not stored', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => {
      const mine = { a: 1 }
      req.session = mine
      mine.a = 2
      return req.session.a
    })
    expect((await get()).body).toBe(1)
  })

  it.each([['a string', 'x'], ['a number', 1], ['true', true]])('throws cookie-session\'s error for %s', async (_, value) => {
    const { get } = serve(cookieSession({ keys }), (req) => { req.session = value })
    const res = await get()
    expect(res.status).toBe(500)
    expect(res.body.error).toBe('req.session can only be set as null or an object.')
  })

  it('a new session can be created after destroying', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => { req.session = null; req.session = { fresh: true } })
    const res = await get()
    expect(res.setCookie[0]).toBe('session=eyJmcmVzaCI6dHJ1ZX0=; path=/; httponly')
  })
})

describe('found in review', () => {
  it('serves a request once when the same middleware is mounted twice (app.use and router.use)', async () => {
    const mw = cookieSession({ keys })
    const { get } = serve((req, res, next) => mw(req, res, () => mw(req, res, next)), (req) => { req.session.views = 1; return 'ok' })
    const res = await get()
    expect(res.body).toBe('ok')
    expect(res.setCookie).toHaveLength(2)
  })

  it('saves changes made through a reference the app kept to an assigned object', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => {
      const prefs: Record<string, string> = {}
      req.session.prefs = prefs
      expect(req.session.encodedSize).toBeGreaterThan(0) // serialises once, before the next change
      prefs.theme = 'dark'
    })
    const read = serve(cookieSession({ keys }), (req) => req.session.prefs)
    expect((await read.get(cookieFrom((await get()).setCookie))).body).toEqual({ theme: 'dark' })
  })

  it('reads nested values of frozen objects', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => {
      req.session.cfg = Object.freeze({ a: Object.freeze({ b: 1 }) })
      return req.session.cfg.a.b
    })
    expect((await get()).body).toBe(1)
  })

  it('says clearly that req.session cannot be frozen', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => { Object.freeze(req.session) })
    expect((await get()).body.error).toMatch(/^req\.session cannot be frozen, sealed or made non-extensible/)
  })

  it('shows only the data to console.log / util.inspect, and has a prototype of its own over Object.prototype', async () => {
    const cookie = await sessionWith({ user: 'ann' })
    const { get } = serve(cookieSession({ keys }), (req) => [inspect(req.session), Object.getPrototypeOf(Object.getPrototypeOf(req.session)) === Object.prototype])
    expect((await get(cookie)).body).toEqual(["{ user: 'ann' }", true])
  })

  it('treats $t as ordinary data unless a timeout or renew is on', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => { req.session.$t = 1; return Object.keys(req.session) })
    const res = await get()
    expect(res.body).toEqual(['$t'])
    expect(res.setCookie[0]).toBe(`session=${Buffer.from('{"$t":1}').toString('base64')}; path=/; httponly`)
  })
})
