// chunked: true — a session too large for one cookie is spread over `session`, `session.1`, ...
// as one signed unit, and every write leaves the browser holding exactly the chunks it needs.
import { randomBytes } from 'node:crypto'
import Keygrip from 'keygrip'
import Cookies from 'cookies'
import { describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionOptionError, SessionTooLargeError } from '../src/index.js'
import { adapters } from './helpers/adapters.js'
import { serve } from './helpers/apps.js'
import { CookieJar } from './helpers/cookie-jar.js'

const keys = ['chunk-key', 'older-key']
/** Encryption refuses secrets under 32 bytes. */
const sealingKeys = ['sealing-key-of-at-least-32-bytes-0', 'sealing-key-of-at-least-32-bytes-1']
const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'
/** Incompressible text of `n` characters (base64 of random bytes). */
const noise = (n: number) => randomBytes(n).toString('base64').slice(0, n)
const nameOf = (line: string) => line.slice(0, line.indexOf('='))

describe.each(adapters)('chunked sessions on $name', (adapter) => {
  // Small cookies keep the Cookie header of a 4-chunk session well under Node's 16 KB.
  const options = { keys, chunked: true, maxSize: 2000, maxTotalSize: 10_000 }
  const app = adapter.serve(options, (s) => {
    const size = Number(s.header('x-size') ?? 0)
    if (s.header('x-destroy')) s.session = null
    else if (size > 0) s.session.blob = noise(size)
    return s.session === null ? null : { blob: s.session.blob?.length ?? 0, chunks: s.session.encodedChunks }
  })
  const write = (jar: CookieJar, size: number) => app.get(jar.header, { 'x-size': String(size) })

  it('goes 1 → 3 → 4 → 1 chunks, with no stray chunk in the jar at any step', async () => {
    const jar = new CookieJar()
    jar.apply((await write(jar, 100)).setCookie)
    expect(jar.names).toEqual(['session', 'session.sig'])
    const three = await write(jar, 3700)
    expect(three.body.chunks).toBe(3)
    for (const line of three.setCookie) expect(line.length).toBeLessThanOrEqual(2000)
    jar.apply(three.setCookie)
    expect(jar.names).toEqual(['session', 'session.1', 'session.2', 'session.sig'])
    expect((await app.get(jar.header)).body).toEqual({ blob: 3700, chunks: 3 })
    const four = await write(jar, 5000)
    expect(four.setCookie.filter((l) => l.includes(EPOCH))).toEqual([])
    jar.apply(four.setCookie)
    expect(jar.names).toEqual(['session', 'session.1', 'session.2', 'session.3', 'session.sig'])
    const back = await write(jar, 100)
    expect(back.setCookie.filter((l) => l.includes(EPOCH)).map(nameOf).sort()).toEqual(['session.1', 'session.2', 'session.3'])
    jar.apply(back.setCookie)
    expect(jar.names).toEqual(['session', 'session.sig'])
    expect((await app.get(jar.header)).body).toEqual({ blob: 100, chunks: 1 })
  })

  it('writes a session that fits as one plain cookie, byte for byte as without chunking', async () => {
    // A fixed clock: the Koa adapter's cookie holds koa-session's _expire.
    const now = Date.UTC(2030, 0, 1)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(now)
    const plain = await adapter.serve({ keys }, (s) => { s.session.message = 'hi' }).get()
    const chunked = await adapter.serve({ keys, chunked: true }, (s) => { s.session.message = 'hi' }).get()
    vi.useRealTimers()
    expect(chunked.setCookie).toEqual(plain.setCookie)
    expect(chunked.setCookie[0]).toBe(`session=${Buffer.from(adapter.payload('{"message":"hi"}', now)).toString('base64')}; path=/; httponly`)
  })

  it('removes every chunk and the signature on destroy', async () => {
    const jar = new CookieJar()
    jar.apply((await write(jar, 3700)).setCookie)
    const res = await app.get(jar.header, { 'x-destroy': '1' })
    expect(res.setCookie.map(nameOf).sort()).toEqual(['session', 'session.1', 'session.2', 'session.sig'])
    for (const line of res.setCookie) expect(line).toContain(EPOCH)
    jar.apply(res.setCookie)
    expect(jar.names).toEqual([])
  })
})

describe('chunked cookies on the wire', () => {
  const route = (req: any) => {
    if (req.headers['x-blob']) req.session.blob = req.headers['x-blob']
    if (req.headers['x-size']) req.session.blob = noise(Number(req.headers['x-size']))
    return { blob: req.session.blob?.length ?? 0, isNew: req.session.isNew }
  }

  it('signs the joined value, count header included, in session.sig', async () => {
    const blob = noise(4000)
    const res = await serve(cookieSession({ keys, chunked: true }), route).get(undefined, { 'x-blob': blob })
    const values = Object.fromEntries(res.setCookie.map((line) => { const pair = line.split(';')[0] as string; return [nameOf(pair), pair.slice(nameOf(pair).length + 1)] }))
    expect(Object.keys(values)).toEqual(['session', 'session.1', 'session.sig'])
    expect(values.session).toMatch(/^~2~eyJ/)
    const joined = (values.session as string) + values['session.1']
    expect(values['session.sig']).toBe(new Keygrip(keys).sign('session=' + joined))
    expect(JSON.parse(Buffer.from(joined.slice(3), 'base64').toString())).toEqual({ blob })
  })

  it('keeps every chunk line within maxSize, and splits exactly past it', async () => {
    // session=<base64 of {"blob":"..."}>; path=/ppp; httponly: 8 + value + 21
    const atLimit = noise(3048 - 11) // JSON 3048 bytes -> base64 4064 -> line 4093
    const mw = cookieSession({ keys, chunked: true, path: '/ppp' })
    const fits = await serve(mw, route).get(undefined, { 'x-blob': atLimit })
    expect(fits.setCookie[0]?.length).toBe(4093)
    expect(fits.setCookie.map(nameOf)).toEqual(['session', 'session.sig'])
    const over = await serve(mw, route).get(undefined, { 'x-blob': atLimit + 'xyz' })
    expect(over.setCookie.map(nameOf)).toEqual(['session', 'session.1', 'session.sig'])
    expect(over.setCookie[0]?.length).toBe(4093)
  })

  it('refuses a session over maxTotalSize with SessionTooLargeError, naming size and bound', async () => {
    const errors: unknown[] = []
    const mw = cookieSession({ keys, chunked: true, onError: (err) => errors.push(err) })
    const res = await serve(mw, route).get(undefined, { 'x-size': '4000' })
    expect(res.setCookie).toHaveLength(3)
    const big = await serve(mw, (req: any) => { req.session.blob = noise(4700); return req.session.encodedSize }).get()
    expect(big.setCookie).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError)
    expect(errors[0]).toMatchObject({ code: 'ERR_SESSION_TOO_LARGE', size: big.body, limit: 6144 })
    expect((errors[0] as Error).message).toMatch(/^session cookies "session" would be \d+ bytes in all, over the "maxTotalSize" limit of 6144; it was not sent/)
  })

  it('writes a session of exactly maxTotalSize, and refuses one byte more', async () => {
    const errors: unknown[] = []
    const mw = cookieSession({ keys, chunked: true, onError: (err) => errors.push(err) })
    // Size for blob length n, found by measuring: encodedSize grows by 4 every 3 characters.
    const probe = cookieSession({ keys, chunked: true, onError: () => {} })
    const size = async (n: number) => (await serve(probe, (req: any) => { req.session.blob = 'a'.repeat(n); return req.session.encodedSize }).get()).body as number
    let n = 4400
    while (await size(n + 3) <= 6144) n += 3
    while (await size(n + 1) <= 6144) n += 1
    const exact = 'a'.repeat(n)
    // A 3-byte step of JSON is 4 base64 characters, so exact may land a little below the bound.
    const res = await serve(mw, route).get(undefined, { 'x-blob': exact })
    const total = res.setCookie.filter((l) => !l.startsWith('session.sig=')).reduce((sum, l) => sum + l.length, 0)
    expect(total).toBe(await size(n))
    expect(total).toBeLessThanOrEqual(6144)
    expect(errors).toEqual([])
    const limitMw = cookieSession({ keys, chunked: true, maxTotalSize: total, onError: (err) => errors.push(err) })
    expect((await serve(limitMw, route).get(undefined, { 'x-blob': exact })).setCookie).toHaveLength(3)
    const tight = cookieSession({ keys, chunked: true, maxTotalSize: total - 1, onError: (err) => errors.push(err) })
    expect((await serve(tight, route).get(undefined, { 'x-blob': exact })).setCookie).toEqual([])
    expect(errors[0]).toMatchObject({ size: total, limit: total - 1 })
  })

  it('reads a plain cookie written without chunking, and chunks it when it grows', async () => {
    const jar = new CookieJar()
    jar.apply((await serve(cookieSession({ keys }), route).get(undefined, { 'x-blob': 'small' })).setCookie)
    const mw = cookieSession({ keys, chunked: true })
    expect((await serve(mw, route).get(jar.header)).body).toEqual({ blob: 5, isNew: false })
    jar.apply((await serve(mw, route).get(jar.header, { 'x-size': '4000' })).setCookie)
    expect(jar.names).toEqual(['session', 'session.1', 'session.sig'])
    expect((await serve(mw, route).get(jar.header)).body).toEqual({ blob: 4000, isNew: false })
  })

  it('without chunked, a chunked cookie is not read, and nothing about chunks is written', async () => {
    const jar = new CookieJar()
    jar.apply((await serve(cookieSession({ keys, chunked: true }), route).get(undefined, { 'x-size': '4000' })).setCookie)
    const res = await serve(cookieSession({ keys }), route).get(jar.header)
    expect(res.body).toEqual({ blob: 0, isNew: true })
    expect(res.setCookie).toEqual([`session.sig=; path=/; ${EPOCH}; httponly`])
  })

  it('re-issues a chunked session signed with an older key with the same attributes', async () => {
    const jar = new CookieJar()
    const old = cookieSession({ keys: ['older-key'], chunked: true, maxAge: 60_000, sameSite: 'lax' })
    jar.apply((await serve(old, route).get(undefined, { 'x-size': '4000' })).setCookie)
    const res = await serve(cookieSession({ keys, chunked: true, maxAge: 60_000, sameSite: 'lax' }), route).get(jar.header)
    expect(res.body).toEqual({ blob: 4000, isNew: false })
    expect(res.setCookie.map(nameOf)).toEqual(['session', 'session.1', 'session.sig'])
    for (const line of res.setCookie) expect(line).toMatch(/; path=\/; expires=.*; samesite=lax; httponly$/)
    jar.apply(res.setCookie)
    expect((await serve(cookieSession({ keys: ['chunk-key'], chunked: true }), route).get(jar.header)).body).toEqual({ blob: 4000, isNew: false })
  })

  it('chunks an encrypted session: the sealed value is the unit, and no .sig is written', async () => {
    const jar = new CookieJar()
    const mw = cookieSession({ keys: sealingKeys, chunked: true, encrypt: true })
    const res = await serve(mw, route).get(undefined, { 'x-size': '4000' })
    expect(res.setCookie.map(nameOf)).toEqual(['session', 'session.1'])
    expect(res.setCookie[0]).toMatch(/^session=~2~e2\./)
    jar.apply(res.setCookie)
    expect((await serve(mw, route).get(jar.header)).body).toEqual({ blob: 4000, isNew: false })
  })

  it('keeps the creation stamp across chunked writes (absoluteTimeout)', async () => {
    const jar = new CookieJar()
    const mw = cookieSession({ keys, chunked: true, absoluteTimeout: 60_000, rolling: true })
    jar.apply((await serve(mw, route).get(undefined, { 'x-size': '4000' })).setCookie)
    // The payload [created, written, data] of the joined chunks, without their "~2~" header.
    const stamp = () => {
      const joined = (jar.cookies.get('session') as string) + jar.cookies.get('session.1')
      return JSON.parse(Buffer.from(joined.slice(3), 'base64').toString())
    }
    const first = stamp()
    expect(first).toHaveLength(3)
    jar.apply((await serve(mw, route).get(jar.header)).setCookie)
    expect(stamp()[0]).toBe(first[0])
  })

  it('measures per-request maxSize from req.sessionOptions', async () => {
    const res = await serve(cookieSession({ keys, chunked: true }), (req: any) => {
      req.sessionOptions.maxSize = 1000
      req.session.blob = noise(2000)
      return req.session.encodedChunks
    }).get()
    expect(res.body).toBe(3)
    expect(res.setCookie.map(nameOf)).toEqual(['session', 'session.1', 'session.2', 'session.sig'])
    for (const line of res.setCookie) expect(line.length).toBeLessThanOrEqual(1000)
  })
})

describe('chunked options', () => {
  it('checks chunked and maxTotalSize at creation', () => {
    expect(() => cookieSession({ keys, chunked: 'yes' as never })).toThrow('option "chunked" must be a boolean, got "yes"')
    expect(() => cookieSession({ keys, maxTotalSize: 9000 })).toThrow('option "maxTotalSize" is only used with "chunked: true"')
    expect(() => cookieSession({ keys, chunked: true, maxTotalSize: 3000 })).toThrow('option "maxTotalSize" must be at least "maxSize" (4093), got 3000')
    expect(() => cookieSession({ keys, chunked: true, maxTotalSize: -1 })).toThrow(SessionOptionError)
    expect(() => cookieSession({ keys, chunked: true, maxTotalSize: 12000 })).not.toThrow()
  })
})

describe('a forged chunked cookie, found in review', () => {
  it('announcing more chunks than maxTotalSize allows is refused before any chunk is looked up', async () => {
    // The default maxTotalSize (6144) allows 12 chunks of at least 512 bytes; this announces 40.
    const chunks = Array.from({ length: 39 }, (_, i) => `session.${i + 1}=x`).join('; ')
    const lookups = vi.spyOn(Cookies.prototype, 'get')
    const res = await serve(cookieSession({ keys, chunked: true }), (req) => ({ isNew: req.session.isNew })).get(`session=~40~x; ${chunks}; session.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA`)
    expect(res.body).toEqual({ isNew: true })
    // The session cookie itself, and nothing per chunk.
    expect(lookups.mock.calls.filter(([name]) => String(name).startsWith('session.')).length).toBe(0)
    lookups.mockRestore()
  })

  it('with a chunk missing from the announced count is refused before any chunk is looked up', async () => {
    const lookups = vi.spyOn(Cookies.prototype, 'get')
    const res = await serve(cookieSession({ keys, chunked: true }), (req) => ({ isNew: req.session.isNew })).get('session=~3~x; session.2=y')
    expect(res.body).toEqual({ isNew: true })
    expect(lookups.mock.calls.filter(([name]) => /^session\.\d/.test(String(name))).length).toBe(0)
    lookups.mockRestore()
  })
})
