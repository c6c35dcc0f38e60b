import { createCipheriv, createSecretKey, hkdfSync, randomBytes } from 'node:crypto'
import fc from 'fast-check'
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import theirCookieSession from 'cookie-session'
import { createCipher } from '../src/platform/node-cipher.js'
import { cookieSession, SessionTooLargeError } from '../src/index.js'
import { cookieFrom, serve } from './helpers/apps.js'

const keys = ['current-secret-of-at-least-32-bytes', 'older-secret-of-at-least-32-bytes!']
const EXPIRED = 'session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'
const write = (options = {}) => serve(cookieSession({ keys, encrypt: true, ...options }), (req) => { req.session.user = 'ann' })
const read = (options = {}) => serve(cookieSession({ keys, encrypt: true, ...options }), (req) => ({ isNew: req.session.isNew, user: req.session.user ?? null }))

describe('encrypted sessions', () => {
  it('are one cookie, e2.<base64url>, with no .sig', async () => {
    const { setCookie } = await write().get()
    expect(setCookie).toHaveLength(1)
    expect(setCookie[0]).toMatch(/^session=e2\.[A-Za-z0-9_-]+; path=\/; httponly$/)
  })

  it('are read back on the next request', async () => {
    const cookie = cookieFrom((await write().get()).setCookie)
    const res = await read().get(cookie)
    expect(res.body).toEqual({ isNew: false, user: 'ann' })
    expect(res.setCookie).toEqual([])
  })

  it('cannot be read by the client', async () => {
    const value = cookieFrom((await write().get()).setCookie).slice('session=e2.'.length)
    expect(Buffer.from(value, 'base64url').toString('latin1')).not.toContain('ann')
  })

  it('use a fresh IV on every write: the same contents never give the same cookie twice', async () => {
    const seen = new Set<string>()
    for (let i = 0; i < 5; i++) seen.add(cookieFrom((await write().get()).setCookie))
    expect(seen.size).toBe(5)
  })

  it('are rejected under a different cookie name (the name is authenticated)', async () => {
    const value = cookieFrom((await write().get()).setCookie).slice('session='.length)
    const res = await read({ name: 'other' }).get(`other=${value}`)
    expect(res.body).toEqual({ isNew: true, user: null })
  })

  it('with a wrong key give a new empty session and expire the cookie', async () => {
    const cookie = cookieFrom((await write({ keys: ['someone-else-with-a-key-of-32-bytes'] }).get()).setCookie)
    const res = await read().get(cookie)
    expect(res.body).toEqual({ isNew: true, user: null })
    expect(res.setCookie).toEqual([EXPIRED])
  })

  it('truncated give a new empty session', async () => {
    const cookie = cookieFrom((await write().get()).setCookie)
    for (const cut of [5, 20, cookie.length - 1]) {
      expect((await read().get(cookie.slice(0, cut))).body).toEqual({ isNew: true, user: null })
    }
  })

  it('stay within the size limit', async () => {
    const errors: unknown[] = []
    const { get } = serve(cookieSession({ keys, encrypt: true, onError: (e) => errors.push(e) }), (req) => { req.session.blob = 'x'.repeat(3100) })
    const res = await get()
    expect(res.setCookie).toEqual([])
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError)
    expect((errors[0] as SessionTooLargeError).size).toBe('session=e2.'.length + Math.ceil((3111 + 30) * 4 / 3) + '; path=/; httponly'.length)
  })
})

describe('encryption key rotation', () => {
  it('opens a cookie sealed with an older key and re-issues it with keys[0]', async () => {
    const old = cookieFrom((await write({ keys: ['older-secret-of-at-least-32-bytes!'] }).get()).setCookie)
    const res = await read().get(old)
    expect(res.body).toEqual({ isNew: false, user: 'ann' })
    expect(res.setCookie).toHaveLength(1)
    const onlyNew = await read({ keys: ['current-secret-of-at-least-32-bytes'] }).get(cookieFrom(res.setCookie))
    expect(onlyNew.body).toEqual({ isNew: false, user: 'ann' })
  })

  it('can use dedicated encryptionKeys, independent of the signing keys', async () => {
    const options = { keys: ['signing-key-which-is-32-bytes-long'], encryptionKeys: ['enc-new-secret-of-at-least-32-bytes', 'enc-old-secret-of-at-least-32-bytes'] }
    const cookie = cookieFrom((await write(options).get()).setCookie)
    expect((await read(options).get(cookie)).body).toEqual({ isNew: false, user: 'ann' })
    expect((await read({ keys: ['signing-key-which-is-32-bytes-long'] }).get(cookie)).body).toEqual({ isNew: true, user: null })
  })
})

describe('switching encryption on', () => {
  const signedCookie = async () => {
    const app = serve(theirCookieSession({ keys }), (req) => { req.session.user = 'ann' })
    return cookieFrom((await app.get()).setCookie)
  }

  it('accepts a signed cookie (ours or cookie-session\'s) once, re-issues it encrypted, and clears the .sig', async () => {
    const res = await read().get(await signedCookie())
    expect(res.body).toEqual({ isNew: false, user: 'ann' })
    expect(res.setCookie).toHaveLength(2)
    expect(res.setCookie[0]).toMatch(/^session=e2\./)
    expect(res.setCookie[1]).toBe('session.sig=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly')
  })

  it('never accepts an unsigned plain cookie, which anyone could forge', async () => {
    const forged = 'session=' + Buffer.from('{"user":"admin"}').toString('base64')
    expect((await read().get(forged)).body).toEqual({ isNew: true, user: null })
  })

  it('never accepts a signed cookie with a bad signature', async () => {
    const value = Buffer.from('{"user":"admin"}').toString('base64')
    const forged = `session=${value}; session.sig=${new Keygrip(['guess']).sign('session=' + value)}`
    expect((await read().get(forged)).body).toEqual({ isNew: true, user: null })
  })
})

describe('acceptSigned: false', () => {
  // Another app (or an older deploy) with the same keys and cookie name, signing rather than encrypting.
  const mintedElsewhere = async () => {
    const app = serve(cookieSession({ keys }), (req) => { req.session.user = 'admin' })
    return cookieFrom((await app.get()).setCookie)
  }

  it('stops accepting signed cookies: one minted by an app sharing the keys is a new empty session, not re-issued', async () => {
    const res = await read({ acceptSigned: false }).get(await mintedElsewhere())
    expect(res.body).toEqual({ isNew: true, user: null })
    expect(res.setCookie).toEqual([])
  })

  it('stops accepting cookie-session\'s signed cookies', async () => {
    const cookie = cookieFrom((await serve(theirCookieSession({ keys }), (req) => { req.session.user = 'admin' }).get()).setCookie)
    expect((await read({ acceptSigned: false }).get(cookie)).body).toEqual({ isNew: true, user: null })
  })

  it('replaces the signed cookie and clears its .sig when the session is written', async () => {
    const res = await write({ acceptSigned: false }).get(await mintedElsewhere())
    expect(res.setCookie).toHaveLength(2)
    expect(res.setCookie[0]).toMatch(/^session=e2\./)
    expect(res.setCookie[1]).toBe('session.sig=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly')
  })

  it('still reads encrypted cookies', async () => {
    const cookie = cookieFrom((await write().get()).setCookie)
    expect((await read({ acceptSigned: false }).get(cookie)).body).toEqual({ isNew: false, user: 'ann' })
  })

  it('is the same as leaving it unset when true: signed cookies are accepted and re-issued encrypted', async () => {
    const res = await read({ acceptSigned: true }).get(await mintedElsewhere())
    expect(res.body).toEqual({ isNew: false, user: 'admin' })
    expect(res.setCookie[0]).toMatch(/^session=e2\./)
  })

  it('is refused without encrypt: true, where it would mean nothing, and when not a boolean', () => {
    expect(() => cookieSession({ keys, acceptSigned: false })).toThrow('option "acceptSigned" is only used with "encrypt: true"')
    expect(() => cookieSession({ keys, acceptSigned: true })).toThrow('option "acceptSigned" is only used with "encrypt: true"')
    expect(() => cookieSession({ keys, encrypt: true, acceptSigned: 'no' as never })).toThrow('option "acceptSigned" must be a boolean, got "no"')
  })
})

describe('the cipher', () => {
  const cipher = createCipher(keys)

  it('rejects every single-bit flip of a sealed cookie', () => {
    const sealed = cipher.seal('{"user":"ann","roles":["admin"]}', 'session')
    const raw = Buffer.from(sealed.slice(3), 'base64url')
    let accepted = 0
    for (let bit = 0; bit < raw.length * 8; bit++) {
      const flipped = Buffer.from(raw)
      flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7))
      if (cipher.open('e2.' + flipped.toString('base64url'), 'session') !== undefined) accepted++
    }
    expect(raw.length * 8).toBeGreaterThan(400)
    expect(accepted).toBe(0)
    expect(cipher.open(sealed, 'session')?.json).toBe('{"user":"ann","roles":["admin"]}')
  })

  it('round-trips any JSON text, and rejects any other change to the value (property)', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.nat(), fc.string({ minLength: 1, maxLength: 3 }), (value, at, insert) => {
      const json = JSON.stringify({ v: value })
      const sealed = cipher.seal(json, 'session')
      expect(cipher.open(sealed, 'session')).toEqual({ json, index: 0 })
      const i = 3 + (at % (sealed.length - 3))
      const changed = sealed.slice(0, i) + insert + sealed.slice(i + 1)
      if (changed !== sealed) expect(cipher.open(changed, 'session')).toBeUndefined()
    }), { numRuns: 300 })
  })

  it('adds 3 + base64url(30 bytes: key id, IV, tag) to the JSON: about 40 bytes over signing\'s base64', () => {
    for (const n of [16, 100, 1000]) {
      const json = JSON.stringify({ d: 'x'.repeat(n - 8) })
      expect(json.length).toBe(n)
      expect(cipher.seal(json, 'session').length).toBe(3 + Math.ceil((n + 30) * 4 / 3))
    }
  })
})

describe('encryption options', () => {
  it('refuse a Keygrip instance as the only source of keys', () => {
    expect(() => cookieSession({ keys: new Keygrip(['a']), encrypt: true }))
      .toThrow('option "encrypt" cannot derive keys from a Keygrip instance (it hides them): give "encryptionKeys"')
  })

  it('refuse encryptionKeys without encrypt, and bad encryption keys', () => {
    expect(() => cookieSession({ keys, encryptionKeys: ['x'] })).toThrow('option "encryptionKeys" is only used with "encrypt: true"')
    expect(() => cookieSession({ keys, encrypt: true, encryptionKeys: [] })).toThrow('option "encryptionKeys" must be a non-empty array of secret keys, got an array')
    expect(() => cookieSession({ keys, encrypt: true, encryptionKeys: [''] })).toThrow('option "encryptionKeys[0]" must be a non-empty string or Buffer, got a string of 0 characters')
  })

  it('need a key even with signed: false', () => {
    expect(() => cookieSession({ encrypt: true, signed: false })).toThrow('.keys required.')
  })
})

describe('encrypted cookies of format version 1 (no key id)', () => {
  /** An e1 value as versions before the key id wrote it: base64url(iv | ciphertext | tag), AAD the cookie name. */
  function sealV1 (secret: string, json: string): string {
    const key = createSecretKey(Buffer.from(hkdfSync('sha256', secret, 'signed-cookie-session', 'aes-256-gcm session cookie v1', 32)))
    const iv = randomBytes(12)
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(Buffer.from('session', 'latin1'))
    const body = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()])
    return 'e1.' + Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url')
  }

  it('are read, and re-issued in version 2', async () => {
    const mw = cookieSession({ keys: ['v1-key-secret-of-at-least-32-bytes'], encrypt: true })
    const res = await serve(mw, (req) => req.session.user ?? null).get(`session=${sealV1('v1-key-secret-of-at-least-32-bytes', '{"user":"ann"}')}`)
    expect(res.body).toBe('ann')
    expect(res.setCookie[0]).toMatch(/^session=e2\.[\w-]+; path=\/; httponly$/)
  })
})
