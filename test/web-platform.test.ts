// The Web platform (Web Crypto, the library's own base64 and inflate, its own cookie jar) against
// the Node platform (node:crypto, Buffer, zlib, the `cookies` module), step by step: the same bytes
// written, the same values accepted and refused. This is what lets a cookie written on Cloudflare
// Workers be read by Express, and the other way round; test/runtimes/ then checks it on the real
// runtimes.
import { createCipheriv } from 'node:crypto'
import fc from 'fast-check'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nodePlatform } from '../src/platform/node.js'
import type { CookieAttributes, CookieWrite } from '../src/platform/types.js'
import { webPlatform } from '../src/platform/web.js'

const KEYS = ['first-key-of-at-least-32-bytes!!', 'second-key']
const BYTE_KEYS = [new Uint8Array(32).map((_, i) => i * 7), new Uint8Array([1, 2, 3])]

describe('base64', () => {
  it('encodes the UTF-8 of any text as Buffer does', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => {
      expect(webPlatform.encodeBase64(text)).toBe(nodePlatform.encodeBase64(text))
    }), { numRuns: 1000 })
  })

  it('decodes any string as leniently as Buffer does (as cookie-session reads a cookie)', () => {
    const alphabet = fc.constantFrom(...'ABCabcxyz0189+/-_= %*é\n.~"'.split(''))
    fc.assert(fc.property(fc.oneof(fc.string({ unit: alphabet }), fc.string(), fc.string({ unit: 'binary' })), (value) => {
      expect(webPlatform.decodeBase64(value)).toBe(nodePlatform.decodeBase64(value))
    }), { numRuns: 3000 })
  })

  it('decodes invalid UTF-8 to the same replacement characters', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
      const value = Buffer.from(bytes).toString('base64')
      expect(webPlatform.decodeBase64(value)).toBe(nodePlatform.decodeBase64(value))
    }), { numRuns: 1000 })
  })

  it('makes 43-character base64url session ids', () => {
    const ids = new Set(Array.from({ length: 100 }, () => webPlatform.newId()))
    expect(ids.size).toBe(100)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})

describe('the signer', () => {
  it.each([['string keys', KEYS], ['byte keys', BYTE_KEYS]] as const)('signs as Keygrip does, and finds the key that signed (%s)', async (_, keys) => {
    const web = webPlatform.createSigner(keys)
    const node = nodePlatform.createSigner(keys)
    const rotated = nodePlatform.createSigner([...keys].reverse())
    await fc.assert(fc.asyncProperty(fc.string(), async (value) => {
      const data = 'session=' + value
      expect(await web.sign(data)).toBe(node.sign(data))
      expect(await web.index(data, node.sign(data))).toBe(0)
      expect(await web.index(data, rotated.sign(data))).toBe(1)
    }), { numRuns: 200 })
  })

  it('refuses what Node refuses: another spelling, another length, a flipped character', async () => {
    const web = webPlatform.createSigner(KEYS)
    const node = nodePlatform.createSigner(KEYS)
    const good = node.sign('session=abc')
    for (const digest of [good + '=', good.slice(0, -1), good.replace(/-/g, '+'), 'x' + good.slice(1), '', good.toUpperCase()]) {
      expect(await web.index('session=abc', digest)).toBe(node.index('session=abc', digest))
    }
  })
})

describe('the cipher', () => {
  it('opens on one platform what the other sealed, in both directions, with the key index', async () => {
    const web = webPlatform.createCipher(KEYS)
    const node = nodePlatform.createCipher(KEYS)
    const olderNode = nodePlatform.createCipher([KEYS[1] as string])
    await fc.assert(fc.asyncProperty(fc.string(), fc.constantFrom('session', 'app.sess'), async (json, name) => {
      expect(await web.open(node.seal(json, name), name)).toEqual({ json, index: 0 })
      expect(node.open(await web.seal(json, name), name)).toEqual({ json, index: 0 })
      expect(await web.open(olderNode.seal(json, name), name)).toEqual({ json, index: 1 })
    }), { numRuns: 100 })
  })

  it('refuses what Node refuses: another cookie name, any changed character, a non-canonical spelling, another key', async () => {
    const web = webPlatform.createCipher(KEYS)
    const node = nodePlatform.createCipher(KEYS)
    const sealed = node.seal('{"user":"ann"}', 'session')
    const variants = [sealed.replace('e2.', 'e3.'), sealed + 'A', sealed.slice(0, -2), sealed.slice(0, 20)]
    for (let i = 3; i < sealed.length; i += 7) variants.push(sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1))
    for (const value of variants) {
      expect(await web.open(value, 'session')).toEqual(node.open(value, 'session'))
    }
    expect(await web.open(sealed, 'other')).toBeUndefined()
    expect(await webPlatform.createCipher(['another-key']).open(sealed, 'session')).toBeUndefined()
  })

  it('reads version 1 values (no key id) as Node does, as from an older key', async () => {
    const key = Buffer.from(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: new TextEncoder().encode('signed-cookie-session'), info: new TextEncoder().encode('aes-256-gcm session cookie v1') },
      await crypto.subtle.importKey('raw', new TextEncoder().encode(KEYS[0]), 'HKDF', false, ['deriveBits']), 256))
    const iv = Buffer.alloc(12, 9)
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from('session'))
    const body = Buffer.concat([cipher.update('{"v":1}', 'utf8'), cipher.final()])
    const legacy = 'e1.' + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
    expect(nodePlatform.createCipher(KEYS).open(legacy, 'session')).toEqual({ json: '{"v":1}', index: 1 })
    expect(await webPlatform.createCipher(KEYS).open(legacy, 'session')).toEqual({ json: '{"v":1}', index: 1 })
  })
})

describe('compression', () => {
  const json = fc.array(fc.record({ id: fc.nat(), name: fc.string() }), { maxLength: 30 }).map((items) => JSON.stringify({ items }))

  it('inflates on one platform what the other deflated', async () => {
    await fc.assert(fc.asyncProperty(json, async (text) => {
      const fromNode = nodePlatform.compress(text, Infinity) as string
      expect(await webPlatform.decompress(fromNode)).toBe(text)
      const fromWeb = await webPlatform.compress(text, Infinity) as string
      expect(nodePlatform.decompress(fromWeb)).toBe(text)
    }), { numRuns: 100 })
  })

  it('compresses only when that makes the value shorter, as Node does', async () => {
    expect(await webPlatform.compress('{"a":1}', 12)).toBeUndefined()
    expect(nodePlatform.compress('{"a":1}', 12)).toBeUndefined()
    const long = JSON.stringify({ text: 'abc'.repeat(100) })
    expect((await webPlatform.compress(long, long.length))?.length).toBeLessThan(long.length)
  })

  it('refuses what Node refuses: damaged values, another spelling, empty, past the inflate limit', async () => {
    const good = nodePlatform.compress(JSON.stringify({ items: Array.from({ length: 40 }, (_, i) => ({ i })) }), Infinity) as string
    const bomb = '.' + (await import('node:zlib')).deflateRawSync(Buffer.alloc(65 * 1024, 32)).toString('base64url')
    const values = ['.', '.A', '.' + good.slice(1).replace(/[A-Z]/, '+'), good + '=', good.slice(0, -3), bomb, good]
    for (let i = 2; i < good.length; i += 5) values.push(good.slice(0, i) + (good[i] === 'A' ? 'B' : 'A') + good.slice(i + 1))
    for (const value of values) expect(await webPlatform.decompress(value), value).toEqual(nodePlatform.decompress(value))
  })
})

describe('the cookie jar', () => {
  afterEach(() => { vi.useRealTimers() })

  const attributes: fc.Arbitrary<CookieAttributes> = fc.record({
    maxAge: fc.option(fc.integer({ min: 1, max: 10 ** 9 }), { nil: undefined }),
    expires: fc.option(fc.date({ min: new Date('2001-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }), { nil: undefined }),
    path: fc.constantFrom('/', '', '/app', '/a b'),
    domain: fc.constantFrom(undefined, 'example.com', '.example.org'),
    partitioned: fc.boolean(),
    priority: fc.constantFrom(undefined, 'low', 'medium', 'high'),
    sameSite: fc.constantFrom(undefined, 'strict', 'lax', 'none'),
    secure: fc.constantFrom(undefined, true, false),
    httpOnly: fc.boolean(),
    signed: fc.boolean(),
    overwrite: fc.boolean()
  })
  const write: fc.Arbitrary<CookieWrite> = fc.record({
    name: fc.constantFrom('session', 'session.1', 'other'),
    value: fc.oneof(fc.constant(''), fc.base64String({ maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9._~-]{1,30}$/)),
    attributes,
    signed: fc.boolean()
  })

  it('writes the very Set-Cookie lines the `cookies` module writes, signed or not, replacing earlier ones alike', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-02T03:04:05Z') })
    const previous = fc.array(fc.constantFrom('session=old; path=/', 'other=x', 'session.sig=y', 'third=z'), { maxLength: 3 })
    await fc.assert(fc.asyncProperty(previous, fc.array(write, { minLength: 1, maxLength: 4 }), fc.boolean(), async (lines, writes, secure) => {
      const source = { headers: {} }
      const node = nodePlatform.createJar(source, nodePlatform.createSigner(KEYS)).setCookies(lines, writes, secure, Infinity)
      const web = await webPlatform.createJar(source, webPlatform.createSigner(KEYS)).setCookies(lines, writes, secure, Infinity)
      expect(web).toEqual(node)
    }), { numRuns: 500 })
  })

  it('refuses a line over maxSize as the Node jar does', async () => {
    const big: CookieWrite = { name: 'session', value: 'x'.repeat(5000), attributes: { ...(await import('../src/options/cookie.js')).cookieAttributes({}) }, signed: false }
    const source = { headers: {} }
    const refusal = (() => { try { nodePlatform.createJar(source, undefined).setCookies([], [big], false, 4093) } catch (err) { return err as Error } })()
    expect(refusal?.message).toMatch(/^session cookie "session" would be 5026 bytes, over the limit of 4093/)
    await expect(Promise.resolve().then(() => webPlatform.createJar(source, undefined).setCookies([], [big], false, 4093))).rejects.toThrow(refusal?.message as string)
  })

  it('reads a cookie from any Cookie header as `cookies` does, quotes and duplicates included', () => {
    const pair = fc.tuple(fc.constantFrom('session', 'session.sig', 'sess', 'x.session', 'session.1'), fc.stringMatching(/^["A-Za-z0-9=+/ ._-]{0,12}$/))
      .map(([name, value]) => `${name}=${value}`)
    fc.assert(fc.property(fc.array(pair, { maxLength: 5 }), fc.constantFrom('; ', ';', ' ; '), (pairs, separator) => {
      const source = { headers: { cookie: pairs.join(separator) } }
      const node = nodePlatform.createJar(source, undefined)
      const web = webPlatform.createJar(source, undefined)
      for (const name of ['session', 'session.sig', 'session.1', 'sess']) expect(web.get(name)).toBe(node.get(name))
      expect(web.chunkIndexes('session')).toEqual(node.chunkIndexes('session'))
    }), { numRuns: 1000 })
  })
})
