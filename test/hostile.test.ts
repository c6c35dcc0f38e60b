// Hostile cookies: whatever a client sends, the request is answered (200, never a 500) with either
// the session it validly holds or a new empty one, and nothing leaks into Object.prototype.
import cookieSessionRef from 'cookie-session'
import Keygrip from 'keygrip'
import { afterEach, describe, expect, it } from 'vitest'
import { cookieSession } from '../src/index.js'
import { frameworks, serve, type Route } from './helpers/apps.js'

const KEYS = ['hostile-key', 'older-key']
const keygrip = new Keygrip(KEYS)

/** `session=<value>; session.sig=<its valid signature>`. */
function signedPair (value: string): string {
  return `session=${value}; session.sig=${keygrip.sign('session=' + value)}`
}

function base64 (text: string | Buffer): string {
  return Buffer.from(text).toString('base64')
}

const VALID = base64(JSON.stringify({ user: 'alice', role: 'admin' }))
const OTHER = base64(JSON.stringify({ user: 'mallory' }))

const read: Route = (req) => ({ isNew: req.session.isNew, data: { ...req.session } })
const NEW_EMPTY = { isNew: true, data: {} }

function isPolluted (): boolean {
  return ({} as Record<string, unknown>).polluted !== undefined || Object.hasOwn(Object.prototype, 'polluted')
}

afterEach(() => {
  // Clean up if a test did pollute, so one failure does not fail every later test.
  delete (Object.prototype as Record<string, unknown>).polluted
})

describe('signed cookies that are not a session give a new empty session', () => {
  const cases: Array<[string, string]> = [
    ['garbage that is not base64', 'not base64 at all!'],
    ['only padding', '===='],
    ['a single base64 character', 'A'],
    ['truncated base64 of a JSON object', 'eyJ'],
    ['URL-encoded JSON', '%7B%22a%22%3A1%7D'],
    ['base64 of plain text', base64('hello')],
    ['base64 of truncated JSON', base64('{"a":')],
    ['base64 of JavaScript, not JSON', base64("{a:1,'b':2}")],
    ['base64 of JSON followed by garbage', base64('{"a":1}garbage')],
    ['base64 of "undefined"', base64('undefined')],
    ['base64 of binary bytes', base64(Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7b, 0x7d]))],
    ['base64 of a JSON object after a BOM', base64('\ufeff{"a":1}')],
    ['a JSON array', base64('[]')],
    ['a JSON array of objects', base64('[{"a":1}]')],
    ['a JSON string', base64('"text"')],
    ['an empty JSON string', base64('""')],
    ['a JSON number', base64('42')],
    ['a JSON number in exponent form', base64('-1.5e3')],
    ['JSON null', base64('null')],
    ['JSON true', base64('true')],
    ['JSON false', base64('false')]
  ]

  describe.each(frameworks)('on $name', (framework) => {
    it.each(cases)('%s', async (_what, value) => {
      const { get } = serve(cookieSession({ keys: KEYS }), read, framework)
      const reply = await get(signedPair(value))
      expect(reply.status).toBe(200)
      expect(reply.body).toEqual(NEW_EMPTY)
      // Only read, so nothing to write back.
      expect(reply.setCookie).toEqual([])
    })
  })
})

describe('signed prototype-pollution payloads give a new empty session and pollute nothing', () => {
  const payloads: Array<[string, string]> = [
    ['a top-level __proto__', '{"__proto__":{"polluted":true}}'],
    ['a nested __proto__', '{"a":{"__proto__":{"polluted":true}}}'],
    ['a __proto__ inside an array', '{"a":[1,{"__proto__":{"polluted":true}}]}'],
    ['a __proto__ spelled with a JSON unicode escape', '{"\\u005f_proto__":{"polluted":true}}'],
    ['a __proto__ spelled entirely with escapes', '{"\\u005f\\u005f\\u0070\\u0072\\u006f\\u0074\\u006f\\u005f\\u005f":{"polluted":true}}'],
    ['a top-level constructor.prototype', '{"constructor":{"prototype":{"polluted":true}}}'],
    ['a nested constructor.prototype', '{"a":{"b":{"constructor":{"prototype":{"polluted":true}}}}}'],
    ['a constructor spelled with a JSON unicode escape', '{"\\u0063onstructor":{"prototype":{"polluted":true}}}'],
    ['a __proto__ next to ordinary data', '{"user":"alice","__proto__":{"polluted":true,"isAdmin":true}}']
  ]

  // The route reads the session, then writes to it, so both the read and the write path run.
  const readThenWrite: Route = (req) => {
    const seen = { isNew: req.session.isNew, data: { ...req.session }, isAdmin: req.session.isAdmin ?? null }
    req.session.visited = true
    return seen
  }

  it.each(payloads)('%s', async (_what, json) => {
    expect(JSON.parse(json)).toBeTypeOf('object')
    const { get } = serve(cookieSession({ keys: KEYS }), readThenWrite)
    const reply = await get(signedPair(base64(json)))
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ ...NEW_EMPTY, isAdmin: null })
    // The new session holds only what the route wrote.
    const written = base64(JSON.stringify({ visited: true }))
    expect(reply.setCookie).toEqual([
      `session=${written}; path=/; httponly`,
      `session.sig=${keygrip.sign('session=' + written)}; path=/; httponly`
    ])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false)
    expect(isPolluted()).toBe(false)
  })
})

describe('oversized and odd Cookie headers', () => {
  it('reads a valid session at the end of a ~15 KB Cookie header of unrelated cookies', async () => {
    const decoys = ['xsession=' + OTHER, 'my_session=' + OTHER, 'Session=' + OTHER, 'session.sig.old=x', 'sessions=' + OTHER]
    const parts = [...decoys]
    for (let i = 0; parts.join('; ').length < 15_000; i++) parts.push(`cookie${i}=${'v'.repeat(40)}`)
    const header = parts.join('; ') + '; ' + signedPair(VALID)
    expect(header.length).toBeGreaterThan(15_000)
    expect(header.length).toBeLessThan(15_500)
    const reply = await serve(cookieSession({ keys: KEYS }), read).get(header)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ isNew: false, data: { user: 'alice', role: 'admin' } })
    expect(reply.setCookie).toEqual([])
  })

  it('gives a new empty session for an 8 KB value of "A" with a valid signature', async () => {
    const reply = await serve(cookieSession({ keys: KEYS }), read).get(signedPair('A'.repeat(8192)))
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual(NEW_EMPTY)
  })

  it('gives a new empty session for an 8 KB value of "A" with a forged signature', async () => {
    const reply = await serve(cookieSession({ keys: KEYS }), read).get(`session=${'A'.repeat(8192)}; session.sig=${'A'.repeat(27)}`)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual(NEW_EMPTY)
  })

  it('gives a new empty session for an 8 KB unsigned value of "A"', async () => {
    const reply = await serve(cookieSession({ signed: false }), read).get(`session=${'A'.repeat(8192)}`)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual(NEW_EMPTY)
  })

  it('gives a new empty session for bytes above ASCII in the value and the .sig', async () => {
    const reply = await serve(cookieSession({ keys: KEYS }), read).get('session=\u00e9\u00ff' + VALID + '; session.sig=\u00e9\u00ff')
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual(NEW_EMPTY)
  })

  it('reads a signed session nested 1000 objects deep', async () => {
    // An escaped key makes the pollution check walk every level. (Over 4093 bytes: maxSize lifted.)
    const json = '{"a":'.repeat(1000) + '{"\\u0062":1}' + '}'.repeat(1000)
    const reply = await serve(cookieSession({ keys: KEYS, maxSize: Infinity }), (req) => {
      let depth = 0
      for (let node = req.session; node.a !== undefined; node = node.a) depth++
      return { isNew: req.session.isNew, depth }
    }).get(signedPair(base64(json)))
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ isNew: false, depth: 1000 })
  })

  it('reads a signed session holding arrays nested 4000 deep', async () => {
    const json = '{"a":' + '['.repeat(4000) + ']'.repeat(4000) + '}'
    const reply = await serve(cookieSession({ keys: KEYS, maxSize: Infinity }), (req) => {
      let depth = 0
      for (let node = req.session.a; Array.isArray(node); node = node[0]) depth++
      return { isNew: req.session.isNew, depth }
    }).get(signedPair(base64(json)))
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ isNew: false, depth: 4000 })
  })
})

describe('duplicate and quoted cookies are read as cookie-session reads them', () => {
  const cases: Array<[string, string, object]> = [
    ['the first of two session cookies is used', `session=${VALID}; session=${OTHER}; session.sig=${keygrip.sign('session=' + VALID)}`, { isNew: false, data: { user: 'alice', role: 'admin' } }],
    ['the first of two signed pairs is used', `${signedPair(VALID)}; ${signedPair(OTHER)}`, { isNew: false, data: { user: 'alice', role: 'admin' } }],
    ['a first session cookie that the .sig does not sign gives a new session', `session=${OTHER}; ${signedPair(VALID)}`, NEW_EMPTY],
    ['a first .sig that does not verify gives a new session', `session=${VALID}; session.sig=bad; session.sig=${keygrip.sign('session=' + VALID)}`, NEW_EMPTY],
    ['a quoted value is read without its quotes', `session="${VALID}"; session.sig=${keygrip.sign('session=' + VALID)}`, { isNew: false, data: { user: 'alice', role: 'admin' } }],
    ['a quoted .sig is read without its quotes', `session=${VALID}; session.sig="${keygrip.sign('session=' + VALID)}"`, { isNew: false, data: { user: 'alice', role: 'admin' } }],
    ['a value signed with its quotes is not accepted', `session="${VALID}"; session.sig=${keygrip.sign(`session="${VALID}"`)}`, NEW_EMPTY]
  ]

  it.each(cases)('%s', async (_what, cookie, expected) => {
    const ours = await serve(cookieSession({ keys: KEYS }), read).get(cookie)
    const ref = await serve(cookieSessionRef({ keys: KEYS }), read).get(cookie)
    expect(ours.status).toBe(200)
    expect(ours.body).toEqual(expected)
    expect(ref.body).toEqual(expected)
  })
})

describe('a .sig cookie without its session cookie', () => {
  it('gives a new session and no Set-Cookie', async () => {
    const reply = await serve(cookieSession({ keys: KEYS }), read).get(`session.sig=${keygrip.sign('session=' + VALID)}`)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual(NEW_EMPTY)
    expect(reply.setCookie).toEqual([])
  })

  it('gives a new session and no Set-Cookie when the session cookie is empty', async () => {
    const reply = await serve(cookieSession({ keys: KEYS }), read).get(`session=; session.sig=${keygrip.sign('session=')}`)
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual(NEW_EMPTY)
    expect(reply.setCookie).toEqual([])
  })
})
