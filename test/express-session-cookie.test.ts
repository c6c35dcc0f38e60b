// express-session's id cookie, `<name>=s%3A<id>.<signature>`: the signature is cookie-signature's
// (HMAC-SHA256 of the id with the first secret, standard base64 without padding), checked here
// against cookie-signature itself (express-session's dependency) on both platforms; the value is
// URL-encoded as express-session writes it, and anything malformed reads as no cookie.
import signature from 'cookie-signature'
import { describe, expect, it } from 'vitest'
import { nodePlatform } from '../src/platform/node.js'
import { webPlatform } from '../src/platform/web.js'
import { clearedLine, parseSignedId, setCookieLine, signedIdValue } from '../src/wire/express-session-cookie.js'

const platforms = [['node', nodePlatform], ['web', webPlatform]] as const
const secrets = ['keyboard cat', 'nyan cat']

describe.each(platforms)('the %s platform\'s express-session signer', (_, platform) => {
  it('signs an id as cookie-signature does, with the first secret', async () => {
    const signer = platform.createSha256Signer(secrets)
    for (const id of ['apple', '%', 'AbC_-9'.repeat(6), 'ünï']) {
      expect(`${id}.${await signer.sign(id)}`).toBe(signature.sign(id, 'keyboard cat'))
    }
  })

  it('verifies with every secret, and names which one', async () => {
    const signer = platform.createSha256Signer(secrets)
    const byOld = signature.sign('apple', 'nyan cat').split('.')[1]!
    expect(await signer.index('apple', byOld)).toBe(1)
    expect(await signer.index('apple', signature.sign('apple', 'keyboard cat').split('.')[1]!)).toBe(0)
  })

  it('refuses a signature of another id, another secret, another length or another spelling', async () => {
    const signer = platform.createSha256Signer(secrets)
    const good = signature.sign('apple', 'keyboard cat').split('.')[1]!
    expect(await signer.index('apples', good)).toBe(-1)
    expect(await signer.index('apple', signature.sign('apple', 'other').split('.')[1]!)).toBe(-1)
    expect(await signer.index('apple', good.slice(1))).toBe(-1)
    expect(await signer.index('apple', good + '=')).toBe(-1)
    expect(await signer.index('apple', good.replace(/\+/g, '-').replace(/\//g, '_') + (/[+/]/.test(good) ? '' : 'x'))).toBe(-1)
    expect(await signer.index('apple', '')).toBe(-1)
  })

  it('takes Buffer secrets', async () => {
    const key = Buffer.from('0123456789abcdef0123456789abcdef')
    const signer = platform.createSha256Signer([key])
    expect(`x.${await signer.sign('x')}`).toBe(signature.sign('x', key))
  })
})

describe('express-session\'s cookie value', () => {
  it('is s: + id + . + signature, URL-encoded as express-session writes it', () => {
    expect(signedIdValue('apple', 'D8Y+pkTAmeR0PobOhY4G97PRW+j7bUnP/5m6/On1MCU')).toBe('s%3Aapple.D8Y%2BpkTAmeR0PobOhY4G97PRW%2Bj7bUnP%2F5m6%2FOn1MCU')
    expect(signedIdValue('%', 'sig')).toBe('s%3A%25.sig')
  })

  it('reads back to the id and signature, split at the last dot', () => {
    expect(parseSignedId('s%3Aapple.D8Y%2Bpk')).toEqual({ id: 'apple', signature: 'D8Y+pk' })
    expect(parseSignedId('s:a.b.c')).toEqual({ id: 'a.b', signature: 'c' })
    expect(parseSignedId('s%3A%25.sig')).toEqual({ id: '%', signature: 'sig' })
  })

  it.each([
    ['no s: prefix', 'apple.sig'],
    ['our own id cookie', 'x'.repeat(43)],
    ['no signature', 's:apple'],
    ['an empty id', 's:.sig'],
    ['an empty signature', 's:apple.'],
    ['malformed percent-encoding', 's%3Aapple.%E0%A4%A'],
    ['a lone surrogate', 's%3A%ED%A0%80.sig'],
    ['a cookie-mode value', 'eyJ1c2VyIjoiYW5uIn0=']
  ])('is no session id with %s', (_, value) => {
    expect(parseSignedId(value)).toBeUndefined()
  })
})

describe('express-session\'s Set-Cookie line', () => {
  it('spells and orders the attributes as express-session (the cookie module) does', () => {
    const expires = new Date(Date.UTC(2030, 0, 2, 3, 4, 5))
    expect(setCookieLine('connect.sid', 's%3Aa.b', {
      path: '/admin', domain: 'example.com', expires, httpOnly: true, secure: true, partitioned: true, priority: 'high', sameSite: 'lax'
    })).toBe('connect.sid=s%3Aa.b; Domain=example.com; Path=/admin; Expires=Wed, 02 Jan 2030 03:04:05 GMT; HttpOnly; Secure; Partitioned; Priority=High; SameSite=Lax')
    expect(setCookieLine('sid', 'v', { path: '/', expires: undefined, httpOnly: false, secure: false, partitioned: false, priority: undefined, sameSite: undefined, domain: undefined }))
      .toBe('sid=v; Path=/')
    expect(setCookieLine('sid', 'v', { path: '', expires: undefined, httpOnly: true, secure: false, partitioned: false, priority: 'low', sameSite: 'none', domain: undefined }))
      .toBe('sid=v; HttpOnly; Priority=Low; SameSite=None')
  })

  it('clears a cookie with an empty value at the epoch, keeping where it applies', () => {
    expect(clearedLine('connect.sid', { path: '/', domain: 'example.com', httpOnly: true, secure: false, partitioned: false, priority: undefined, sameSite: 'strict' }))
      .toBe('connect.sid=; Domain=example.com; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict')
  })
})
