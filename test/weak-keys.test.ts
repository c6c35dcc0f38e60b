// A short or well-known secret can be found offline from one cookie, at HMAC speed. Signing keys
// stay accepted (cookie-session accepted them, and the cookie on the wire is the same), with one
// warning that names the key by its place, never by its value; encryption, which has no such
// compatibility to keep, refuses secrets under 32 bytes.
import cookieSessionRef from 'cookie-session'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionOptionError } from '../src/index.js'
import { fetchSession } from '../src/fetch.js'
import { koaSession } from '../src/koa.js'
import { serve } from './helpers/apps.js'

const STRONG = 'k4Jd9Qe1ZrT0wVx7LmB3sNf8HyUa2CoP6gE5iRt+Wq0='
// Typed alike: TypeScript cannot call a union of the three (each has type parameters of its own).
const factories: ReadonlyArray<readonly [string, (options?: any) => unknown]> = [['cookieSession', cookieSession], ['koaSession', koaSession], ['fetchSession', fetchSession]]

describe.each(factories)('%s with encrypt: true', (_, factory) => {
  it.each([
    ['keys', { keys: ['k'] }, 'option "keys[0]"', 'a string of 1 characters'],
    ['an older key', { keys: [STRONG, 'older-secret'] }, 'option "keys[1]"', 'a string of 12 characters'],
    ['secret', { secret: 'a-secret-of-31-bytes-1234567890' }, 'option "secret"', 'a string of 31 characters'],
    ['secret as a list', { secret: [STRONG, 'short'] }, 'option "secret[1]"', 'a string of 5 characters'],
    ['encryptionKeys', { encryptionKeys: [Buffer.alloc(16, 7)] }, 'option "encryptionKeys[0]"', 'a Buffer of 16 bytes'],
    ['a key of 31 bytes in 16 characters', { keys: ['é'.repeat(15) + 'x'] }, 'option "keys[0]"', 'a string of 16 characters (31 bytes)']
  ])('refuses a secret under 32 bytes given as %s, by its place, type and length', (_label, options, option, description) => {
    const create = () => factory({ encrypt: true, ...options } as never)
    expect(create).toThrow(SessionOptionError)
    expect(create).toThrow(`${option} must be at least 32 bytes to encrypt with (make one with: npx signed-cookie-session keygen), got ${description}`)
  })

  it.each([
    ['a 32-character string', { keys: ['x'.repeat(32)] }],
    ['a 32-byte Buffer', { keys: [Buffer.alloc(32, 1)] }],
    ['a key from keygen', { keys: [STRONG] }],
    ['strong encryptionKeys beside short signing keys, which only verify old cookies', { keys: ['old'], encryptionKeys: [STRONG] }]
  ])('accepts %s', (_label, options) => {
    expect(typeof factory({ encrypt: true, ...options } as never)).toBe(typeof factory({ keys: [STRONG] }))
  })
})

describe('a weak signing key', () => {
  afterEach(() => { vi.restoreAllMocks() })

  /** The warnings of creating middleware with each of `options`, on a freshly loaded library. */
  async function warningsOf (...options: object[]): Promise<unknown[][]> {
    vi.resetModules()
    const fresh = await import('../src/index.js')
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    for (const each of options) fresh.cookieSession(each)
    return warn.mock.calls
  }

  const ADVICE = 'anyone who holds one of its cookies can try secrets offline at HMAC speed, then forge any session. ' +
    'Make a random key with: npx signed-cookie-session keygen (32 bytes). This warning is shown once per process.'

  it.each([
    ['a one-letter key', { keys: ['a'] }, 'option "keys[0]" is shorter than 32 bytes (a string of 1 characters)'],
    ['express-session\'s README example', { secret: 'keyboard cat' }, 'option "secret" is a well-known example secret'],
    ['a well-known example secret of 32 bytes and more', { keys: ['complex_password_at_least_32_characters_long'] }, 'option "keys[0]" is a well-known example secret'],
    ['an example written another way', { keys: [STRONG, 'Keyboard-Cat'] }, 'option "keys[1]" is a well-known example secret'],
    ['a short secret in a list', { secret: [STRONG, 'hunter2'] }, 'option "secret[1]" is shorter than 32 bytes (a string of 7 characters)'],
    ['a short Buffer', { keys: [Buffer.from('hunter2')] }, 'option "keys[0]" is shorter than 32 bytes (a Buffer of 7 bytes)'],
    ['a bare list', [STRONG, STRONG, 'changeme'], 'option "keys[2]" is a well-known example secret']
  ])('gives one warning at creation for %s, naming it by its place', async (_label, options, start) => {
    const calls = await warningsOf(options)
    expect(calls).toHaveLength(1)
    expect(calls[0]?.[0]).toBe(`${start}: ${ADVICE}`)
    expect(calls[0]?.[1]).toEqual({ type: 'SignedCookieSessionWarning', code: 'ERR_SESSION_WEAK_KEY' })
  })

  it('names every weak key in that one warning, and never shows one', async () => {
    const calls = await warningsOf({ keys: ['hunter2', STRONG, 'keyboard cat'] })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.[0]).toMatch(/^option "keys\[0\]" is shorter than 32 bytes \(a string of 7 characters\), option "keys\[2\]" is a well-known example secret: /)
    expect(calls[0]?.[0]).not.toContain('hunter2')
    expect(calls[0]?.[0]).not.toContain('keyboard')
  })

  it('warns once per process, however many middleware have weak keys', async () => {
    expect(await warningsOf({ keys: ['a'] }, { keys: ['b'] }, { secret: 'keyboard cat' })).toHaveLength(1)
  })

  it('warns about a well-known example secret used to encrypt', async () => {
    const calls = await warningsOf({ encrypt: true, keys: ['complex_password_at_least_32_characters_long'] })
    expect(calls.map(([message]) => message)).toEqual([`option "keys[0]" is a well-known example secret: ${ADVICE}`])
  })

  it.each([
    ['strong keys', { keys: [STRONG, Buffer.alloc(32, 3)] }],
    ['a Keygrip instance (its keys cannot be seen)', { keys: { sign: () => '', index: () => -1 } }],
    ['no keys, unsigned', { signed: false }],
    ['short signing keys that verify nothing, beside encryptionKeys, with acceptSigned: false', { keys: ['old'], encrypt: true, encryptionKeys: [STRONG], acceptSigned: false }]
  ])('says nothing for %s', async (_label, options) => {
    expect(await warningsOf(options)).toEqual([])
  })

  it('changes nothing on the wire: the cookie is byte for byte cookie-session\'s', async () => {
    vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    const route = (req: { session: Record<string, unknown> }) => { req.session.user = 'ann' }
    const ours = await serve(cookieSession({ keys: ['keyboard cat'] }), route as never).get()
    const theirs = await serve(cookieSessionRef({ keys: ['keyboard cat'] }), route as never).get()
    expect(ours.setCookie).toEqual(theirs.setCookie)
    expect(ours.setCookie).toHaveLength(2)
  })
})
