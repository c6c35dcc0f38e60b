// A cookie longer than any this middleware could have written is refused before
// any crypto, so garbage costs an attacker's request no decryption (or HMAC) per key: the request
// just gets a new session.
import { randomBytes } from 'node:crypto'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, serve } from './helpers/apps.js'

// The CommonJS face of node:crypto: a spy set on it reaches ESM importers after syncBuiltinESMExports().
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
// 32 bytes and more: encryption refuses shorter secrets.
const tenKeys = Array.from({ length: 10 }, (_, i) => `key-${i}-of-at-least-32-bytes-long!`)

function spyOnCrypto (name: 'createDecipheriv' | 'createHmac') {
  const spy = vi.spyOn(crypto, name)
  syncBuiltinESMExports()
  return spy
}

afterEach(() => {
  vi.restoreAllMocks()
  syncBuiltinESMExports()
})

const whoami = (options: object) => serve(cookieSession({ keys: tenKeys, ...options }), (req) => ({ isNew: req.session.isNew, user: req.session.user ?? null }))

describe('an encrypted cookie value longer than maxSize', () => {
  it('gives a new session without decrypting anything, even with 10 keys', async () => {
    const decipher = spyOnCrypto('createDecipheriv')
    const garbage = 'e1.' + randomBytes(8400).toString('base64url')
    expect(garbage.length).toBeGreaterThan(11_000)
    const res = await whoami({ encrypt: true }).get(`session=${garbage}`)
    expect(res.body).toEqual({ isNew: true, user: null })
    expect(decipher).not.toHaveBeenCalled()
  })

  it('opens a real cookie sealed with the oldest of the 10 keys with one decryption: the value names its key', async () => {
    const sealed = cookieFrom((await serve(cookieSession({ keys: [tenKeys[9] as string], encrypt: true }), (req) => { req.session.user = 'ann' }).get()).setCookie)
    const decipher = spyOnCrypto('createDecipheriv')
    const res = await whoami({ encrypt: true }).get(sealed)
    expect(res.body).toEqual({ isNew: false, user: 'ann' })
    expect(decipher).toHaveBeenCalledTimes(1)
  })
})

describe('a forged encrypted cookie of a real cookie\'s size', () => {
  it('costs no more decryptions than a real one, whatever the number of keys', async () => {
    const sealed = cookieFrom((await serve(cookieSession({ keys: [tenKeys[0] as string], encrypt: true }), (req) => { req.session.user = 'ann' }).get()).setCookie)
    const value = sealed.slice('session=e2.'.length)
    const forged = 'session=e2.' + value.slice(0, 3) + randomBytes(Buffer.from(value.slice(3), 'base64url').length).toString('base64url').slice(0, value.length - 3)
    const decipher = spyOnCrypto('createDecipheriv')
    expect((await whoami({ encrypt: true }).get(forged)).body).toEqual({ isNew: true, user: null })
    expect(decipher.mock.calls.length).toBeLessThanOrEqual(1)
  })
})

describe('a signed cookie value longer than maxSize and 8 KiB', () => {
  it('is refused without checking its signature, though the signature is valid', async () => {
    const big = await serve(cookieSession({ keys: tenKeys, maxSize: Infinity }), (req) => { req.session.user = 'ann'; req.session.pad = 'x'.repeat(6500) }).get()
    const cookie = cookieFrom(big.setCookie)
    expect(cookie.length).toBeGreaterThan(8300)
    const hmac = spyOnCrypto('createHmac')
    const res = await whoami({}).get(cookie)
    expect(res.body).toEqual({ isNew: true, user: null })
    expect(hmac).not.toHaveBeenCalled()
    // The same cookie is accepted where maxSize allows it.
    expect((await whoami({ maxSize: Infinity }).get(cookie)).body).toEqual({ isNew: false, user: 'ann' })
    expect(hmac).toHaveBeenCalled()
  })
})
