// Cookies that browsers would silently drop (RFC 6265bis prefixes, SameSite=None
// or Partitioned without Secure, dates no cookie can carry, a top-level domain) are refused: at
// creation as a TypeError, per request through onError, and never sent.
import { describe, expect, it } from 'vitest'
import { cookieSession, InsecureConnectionError, SessionOptionError } from '../src/index.js'
import { fetchSession } from '../src/fetch.js'
import { koaSession } from '../src/koa.js'
import { adapters } from './helpers/adapters.js'

const keys = ['k']
// Typed alike: TypeScript cannot call a union of the three (each has type parameters of its own).
const factories: ReadonlyArray<readonly [string, (options?: any) => unknown]> = [['cookieSession', cookieSession], ['koaSession', koaSession], ['fetchSession', fetchSession]]

const refused: Array<[string, object, string]> = [
  ['a __Host- name without secure: true', { name: '__Host-s' }, 'option "secure" must be true for a "__Host-" cookie name'],
  ['a __Host- name with a path', { name: '__Host-s', secure: true, path: '/x' }, 'option "path" must be "/" for a "__Host-" cookie name'],
  ['a __Host- name with a domain', { name: '__Host-s', secure: true, domain: 'example.com' }, 'option "domain" must be unset for a "__Host-" cookie name'],
  ['a __Secure- name without secure: true', { name: '__Secure-s' }, 'option "secure" must be true for a "__Secure-" cookie name'],
  ['sameSite "none" with secure: false', { sameSite: 'none', secure: false }, 'with sameSite "none"'],
  ['partitioned with secure: false', { partitioned: true, secure: false }, 'with partitioned'],
  ['a maxAge past the year 9999', { maxAge: 1e16 }, 'option "maxAge" must be at most the milliseconds until the year 9999'],
  ['an expires in the year 10000', { expires: new Date(Date.UTC(10000, 0, 1)) }, 'option "expires" must be a Date between the years 1601 and 9999'],
  ['a top-level domain', { domain: 'com' }, 'option "domain" must be a domain with at least two labels']
]

describe.each(factories)('%s at creation', (_, factory) => {
  it.each(refused)('throws a TypeError for %s', (_, options, message) => {
    const create = () => factory({ keys, ...options } as never)
    expect(create).toThrow(SessionOptionError)
    expect(create).toThrow(TypeError)
    expect(create).toThrow(message)
  })
})

describe.each(adapters)('sameSite "none" with secure unset ($name)', (adapter) => {
  const app = (onError: (err: Error) => void) => adapter.serve({ keys, sameSite: 'none', trustProxy: true, onError }, (s) => {
    s.session.user = 'ann'
    return 'ok'
  })

  it('sends no cookie over plain http, and hands onError an InsecureConnectionError', async () => {
    const errors: Error[] = []
    const res = await app((err) => { errors.push(err) }).get()
    expect(res.setCookie).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(InsecureConnectionError)
    expect(errors[0]).toMatchObject({ code: 'ERR_SESSION_INSECURE' })
    expect(errors[0]?.message).toContain('with sameSite "none" over an unencrypted connection')
  })

  it('writes it Secure over https behind a trusted proxy', async () => {
    const errors: Error[] = []
    const res = await app((err) => { errors.push(err) }).get(undefined, { 'X-Forwarded-Proto': 'https' })
    expect(errors).toEqual([])
    expect(res.setCookie).toHaveLength(2)
    for (const line of res.setCookie) expect(line).toMatch(/; path=\/; samesite=none; secure; httponly$/)
  })
})

describe.each(adapters)('the same rules set through req.sessionOptions ($name)', (adapter) => {
  it.each([
    ['sameSite "none" with secure: false', {}, { sameSite: 'none', secure: false }, 'with sameSite "none"'],
    ['a path on a __Host- cookie', { name: '__Host-s', secure: true }, { path: '/x' }, 'option "path" must be "/" for a "__Host-" cookie name'],
    ['a top-level domain', {}, { domain: 'com' }, 'option "domain" must be a domain with at least two labels']
  ])('are reported to onError at write time, and no cookie is sent (%s)', async (_, options, perRequest, message) => {
    const errors: Error[] = []
    const res = await adapter.serve({ keys, trustProxy: true, ...options, onError: (err: Error) => { errors.push(err) } }, (s) => {
      Object.assign(s.sessionOptions, perRequest)
      s.session.user = 'ann'
      return 'ok'
    }).get(undefined, { 'X-Forwarded-Proto': 'https' })
    expect(res.body).toBe('ok')
    expect(res.setCookie).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(SessionOptionError)
    expect(errors[0]?.message).toContain(message)
  })
})
