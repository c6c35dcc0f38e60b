// compress: true — the session JSON is deflated when that makes the cookie shorter, marked with a
// leading ".", signed as sent, and inflated (within a cap) only after the signature verified.
import { randomBytes } from 'node:crypto'
import { deflateRawSync } from 'node:zlib'
import Keygrip from 'keygrip'
import { describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionOptionError } from '../src/index.js'
import { adapters } from './helpers/adapters.js'
import { cookieFrom, serve } from './helpers/apps.js'
import { INFLATE_LIMIT } from '../src/wire/compression.js'

const keys = ['zip-key']
/** Encryption refuses secrets under 32 bytes. */
const sealingKeys = ['sealing-key-of-at-least-32-bytes-0', 'sealing-key-of-at-least-32-bytes-1']
const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'
const repetitive = { items: Array.from({ length: 40 }, (_, i) => ({ sku: `SKU-${1000 + i}`, qty: 1, price: 9.99 })) }
/** A signed cookie pair for a raw value, as the middleware would write it. */
const signedPair = (value: string) => `session=${value}; session.sig=${new Keygrip(keys).sign('session=' + value)}`
const packed = (json: string) => '.' + deflateRawSync(Buffer.from(json)).toString('base64url')

describe.each(adapters)('compressed sessions on $name', (adapter) => {
  it('writes a compressible session deflated, and reads it back', async () => {
    const app = adapter.serve({ keys, compress: true }, (s) => {
      if (s.header('x-write')) Object.assign(s.session, repetitive)
      return s.session.items?.length ?? 0
    })
    // A fixed clock: the Koa adapter's payload holds koa-session's _expire.
    const now = Date.UTC(2030, 0, 1)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(now)
    const res = await app.get(undefined, { 'x-write': '1' })
    vi.useRealTimers()
    const value = (res.setCookie[0] as string).split(';')[0]?.slice('session='.length) as string
    expect(value).toBe(packed(adapter.payload(JSON.stringify(repetitive), now)))
    expect(value.length).toBeLessThan(Buffer.from(JSON.stringify(repetitive)).toString('base64').length / 4)
    expect((await app.get(cookieFrom(res.setCookie))).body).toBe(40)
  })
})

describe('compression', () => {
  const route = (req: any) => {
    if (req.headers['x-write']) req.session.data = JSON.parse(req.headers['x-write'])
    return { data: req.session.data ?? null, isNew: req.session.isNew }
  }

  it('leaves a session that would not get shorter as the plain base64 cookie, as without compress', async () => {
    const hi = (req: any) => { req.session.message = 'hi' }
    const res = await serve(cookieSession({ keys, compress: true }), hi).get()
    expect(res.setCookie).toEqual([
      'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly',
      `session.sig=${new Keygrip(keys).sign('session=eyJtZXNzYWdlIjoiaGkifQ==')}; path=/; httponly`
    ])
    expect(res.setCookie).toEqual((await serve(cookieSession({ keys }), hi).get()).setCookie)
  })

  it('signs the compressed value as sent', async () => {
    const res = await serve(cookieSession({ keys, compress: true }), route).get(undefined, { 'x-write': JSON.stringify(repetitive) })
    const value = packed(JSON.stringify({ data: repetitive }))
    expect(res.setCookie[0]).toBe(`session=${value}; path=/; httponly`)
    expect(res.setCookie[1]).toBe(`session.sig=${new Keygrip(keys).sign('session=' + value)}; path=/; httponly`)
  })

  it('reads plain cookies written before compression was on, and writes them compressed once they change', async () => {
    const plain = await serve(cookieSession({ keys }), route).get(undefined, { 'x-write': JSON.stringify(repetitive) })
    const mw = cookieSession({ keys, compress: true })
    const read = await serve(mw, route).get(cookieFrom(plain.setCookie))
    expect(read.body).toEqual({ data: repetitive, isNew: false })
    expect(read.setCookie).toEqual([])
    const changed = await serve(mw, (req: any) => { req.session.seen = true }).get(cookieFrom(plain.setCookie))
    expect(changed.setCookie[0]).toMatch(/^session=\.[A-Za-z0-9_-]+; path=\/; httponly$/)
  })

  it('still reads a compressed cookie after compression is switched off', async () => {
    const zipped = await serve(cookieSession({ keys, compress: true }), route).get(undefined, { 'x-write': JSON.stringify(repetitive) })
    const read = await serve(cookieSession({ keys }), route).get(cookieFrom(zipped.setCookie))
    expect(read.body).toEqual({ data: repetitive, isNew: false })
  })

  it('verifies before inflating: a compressed value with a wrong signature is a new session', async () => {
    const value = packed('{"admin":true}')
    const res = await serve(cookieSession({ keys, compress: true }), (req: any) => req.session.isNew).get(`session=${value}; session.sig=AAAAAAAAAAAAAAAAAAAAAAAAAAA`)
    expect(res.body).toBe(true)
    expect(res.setCookie).toEqual([`session.sig=; path=/; ${EPOCH}; httponly`])
  })

  it('gives a new empty session, and clears the cookie, for a signed value that does not inflate', async () => {
    for (const value of ['.AAAA', '.not-deflate', '.', '.eyJhIjoxfQ']) {
      const res = await serve(cookieSession({ keys, compress: true }), (req: any) => [req.session.isNew, Object.keys(req.session)]).get(signedPair(value))
      expect(res.status).toBe(200)
      expect(res.body).toEqual([true, []])
    }
  })

  it('caps inflation: a signed bomb past 64 KiB is a new session, never an exception', async () => {
    const bomb = packed(JSON.stringify({ pad: 'x'.repeat(INFLATE_LIMIT) }))
    expect(bomb.length).toBeLessThan(200)
    const res = await serve(cookieSession({ keys, compress: true }), (req: any) => req.session.isNew).get(signedPair(bomb))
    expect(res.body).toBe(true)
  })

  it('never writes compressed what it could not read back: past the cap it stays plain (and too large)', async () => {
    const errors: unknown[] = []
    const mw = cookieSession({ keys, compress: true, onError: (err) => errors.push(err) })
    const res = await serve(mw, (req: any) => { req.session.pad = 'x'.repeat(INFLATE_LIMIT); return req.session.encodedSize }).get()
    expect(res.body).toBeGreaterThan(INFLATE_LIMIT)
    expect(res.setCookie).toEqual([])
    expect(errors[0]).toMatchObject({ code: 'ERR_SESSION_TOO_LARGE' })
  })

  it('reports the compressed size in encodedSize', async () => {
    const res = await serve(cookieSession({ keys, compress: true }), (req: any) => { Object.assign(req.session, repetitive); return req.session.encodedSize }).get()
    expect(res.body).toBe((res.setCookie[0] as string).length)
  })

  it('compresses, then chunks, a session that needs both', async () => {
    const mw = cookieSession({ keys, compress: true, chunked: true })
    // Hex halves under deflate: about 5.4 KB compressed, two chunks.
    const text = randomBytes(4000).toString('hex')
    const res = await serve(mw, (req: any) => { req.session.text = req.headers['x-read'] ? req.session.text : text; return req.session.text.length }).get()
    expect(res.setCookie.map((l) => l.slice(0, l.indexOf('=')))).toEqual(['session', 'session.1', 'session.sig'])
    expect(res.setCookie[0]).toMatch(/^session=~2~\./)
    const back = await serve(mw, (req: any) => req.session.text).get(cookieFrom(res.setCookie), { 'x-read': '1' })
    expect(back.body).toBe(text)
  })
})

describe('compression with encryption', () => {
  it('refuses compress: true with encrypt: true at creation, explaining why', () => {
    expect(() => cookieSession({ keys: sealingKeys, encrypt: true, compress: true })).toThrow(SessionOptionError)
    expect(() => cookieSession({ keys: sealingKeys, encrypt: true, compress: true })).toThrow(/CRIME and BREACH attacks \(RFC 8725 §3\.6\).*compress: "i-understand-compression-leaks-secrets"/)
  })

  it('accepts it when stated on purpose, compressing before sealing', async () => {
    const mw = cookieSession({ keys: sealingKeys, encrypt: true, compress: 'i-understand-compression-leaks-secrets' })
    const plain = cookieSession({ keys: sealingKeys, encrypt: true })
    const write = (m: typeof mw) => serve(m, (req: any) => { Object.assign(req.session, repetitive) }).get()
    const zipped = await write(mw)
    const unzipped = await write(plain)
    expect(zipped.setCookie[0]).toMatch(/^session=e2\./)
    expect((zipped.setCookie[0] as string).length).toBeLessThan((unzipped.setCookie[0] as string).length / 2)
    const back = await serve(mw, (req: any) => req.session.items.length).get(cookieFrom(zipped.setCookie))
    expect(back.body).toBe(40)
  })

  it('checks the value of compress', () => {
    expect(() => cookieSession({ keys, compress: 'yes' as never })).toThrow('option "compress" must be true, false or "i-understand-compression-leaks-secrets", got "yes"')
    expect(() => cookieSession({ keys, compress: 'i-understand-compression-leaks-secrets' })).not.toThrow()
  })
})
