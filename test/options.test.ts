import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { cookieSession, SessionOptionError } from '../src/index.js'

describe('options are checked once, in cookieSession(...)', () => {
  const invalid: Array<[string, Record<string, unknown>, string]> = [
    ['keys: []', { keys: [] }, 'option "keys" must contain at least one key, got an empty array'],
    ['a non-string key', { keys: ['a', 42] }, 'option "keys[1]" must be a non-empty string or Buffer, got a number'],
    ['an undefined key (unset env var)', { keys: [undefined] }, 'option "keys[0]" must be a non-empty string or Buffer, got undefined'],
    ['an empty key', { keys: [''] }, 'option "keys[0]" must be a non-empty string or Buffer, got a string of 0 characters'],
    ['keys as a string', { keys: 'secret' }, 'option "keys" must be an array of secret keys or a Keygrip instance, got a string of 6 characters'],
    ['an empty secret', { secret: '' }, 'option "secret" must be a non-empty string or Buffer, got a string of 0 characters'],
    ['maxAge: -1', { keys: ['k'], maxAge: -1 }, 'option "maxAge" must be a non-negative finite number of milliseconds, got -1'],
    ['maxAge: NaN', { keys: ['k'], maxAge: NaN }, 'option "maxAge" must be a non-negative finite number of milliseconds, got NaN'],
    ['maxAge: Infinity', { keys: ['k'], maxAge: Infinity }, 'option "maxAge" must be a non-negative finite number of milliseconds, got Infinity'],
    ['maxAge as a string', { keys: ['k'], maxAge: '1d' }, 'option "maxAge" must be a non-negative finite number of milliseconds, got "1d"'],
    ['an invalid expires', { keys: ['k'], expires: new Date('nope') }, 'option "expires" must be a valid Date, got Date(Invalid Date)'],
    ['sameSite: "lax "', { keys: ['k'], sameSite: 'lax ' }, 'option "sameSite" must be "strict", "lax", "none", true or false, got "lax "'],
    ['priority: "urgent"', { keys: ['k'], priority: 'urgent' }, 'option "priority" must be "low", "medium" or "high", got "urgent"'],
    ['a name with a space', { keys: ['k'], name: 'my session' }, 'option "name" must be a cookie name made of RFC 6265 token characters, got "my session"'],
    ['a name with "="', { keys: ['k'], name: 'a=b' }, 'option "name" must be a cookie name made of RFC 6265 token characters, got "a=b"'],
    ['an empty name', { keys: ['k'], name: '' }, 'option "name" must be a cookie name made of RFC 6265 token characters, got ""'],
    ['a path with ";"', { keys: ['k'], path: '/a;b' }, 'option "path" must be a string of printable ASCII without ";" (RFC 6265 path-value), got "/a;b"'],
    ['a domain with a space', { keys: ['k'], domain: 'exa mple.com' }, 'option "domain" must be a host name such as "example.com", got "exa mple.com"'],
    ['httpOnly as a string', { keys: ['k'], httpOnly: 'yes' }, 'option "httpOnly" must be a boolean, got "yes"'],
    ['maxSize: 0', { keys: ['k'], maxSize: 0 }, 'option "maxSize" must be a positive whole number of bytes or Infinity, got 0'],
    ['onError not a function', { keys: ['k'], onError: 'log' }, 'option "onError" must be a function, got "log"']
  ]

  it.each(invalid)('rejects %s with a TypeError naming the option', (_, options, message) => {
    expect(() => cookieSession(options as never)).toThrow(TypeError)
    expect(() => cookieSession(options as never)).toThrow(message)
  })

  it('throws a SessionOptionError with code ERR_SESSION_OPTION', () => {
    const err = (() => { try { cookieSession({ keys: [] }) } catch (e) { return e } })()
    expect(err).toBeInstanceOf(SessionOptionError)
    expect(err).toMatchObject({ name: 'SessionOptionError', code: 'ERR_SESSION_OPTION' })
  })

  it('keeps cookie-session\'s ".keys required." when no key is given', () => {
    expect(() => cookieSession()).toThrow('.keys required.')
    expect(() => cookieSession({})).toThrow(/^\.keys required\. Give option "keys"/)
  })

  it('needs no keys for unsigned cookies', () => {
    expect(typeof cookieSession({ signed: false })).toBe('function')
  })

  it('accepts every cookie-session option', () => {
    const mw = cookieSession({
      name: 'sid',
      keys: ['new', Buffer.from('old')],
      maxAge: 60_000,
      expires: new Date(Date.now() + 1000),
      path: '/app',
      domain: '.example.com',
      partitioned: true,
      priority: 'high',
      sameSite: 'none',
      secure: true,
      httpOnly: false,
      signed: true,
      overwrite: false
    })
    expect(typeof mw).toBe('function')
  })

  it('accepts sameSite true and false, and any letter case as cookies does', () => {
    for (const sameSite of [true, false, 'Lax', 'STRICT', 'none'] as const) {
      expect(() => cookieSession({ keys: ['k'], sameSite: sameSite as never })).not.toThrow()
    }
  })

  it('accepts a Keygrip instance as keys, or as the only argument', () => {
    expect(typeof cookieSession({ keys: new Keygrip(['a', 'b'], 'sha256') })).toBe('function')
    expect(typeof cookieSession(new Keygrip(['a']))).toBe('function')
  })

  it('accepts an array of keys as the only argument', () => {
    expect(typeof cookieSession(['a', 'b'])).toBe('function')
    expect(() => cookieSession([] as string[])).toThrow('option "keys" must contain at least one key')
  })

  it('uses secret when keys is not given', () => {
    expect(typeof cookieSession({ secret: 'shh' })).toBe('function')
  })

  it('does not change the options object it was given', () => {
    const options = { keys: ['k'] }
    cookieSession(options)
    expect(options).toEqual({ keys: ['k'] })
  })
})

describe('options, found in review', () => {
  it('encrypt with encryptionKeys needs no other keys', () => {
    expect(typeof cookieSession({ encrypt: true, encryptionKeys: ['x'.repeat(32)], signed: false })).toBe('function')
    expect(typeof cookieSession({ encrypt: true, encryptionKeys: ['x'.repeat(32)] })).toBe('function')
    expect(() => cookieSession({ encrypt: true })).toThrow('.keys required. Give option "keys" (an array of secret keys, newest first) or "encryptionKeys" to encrypt with')
  })

  it('checks trustProxy', () => {
    expect(() => cookieSession({ keys: ['k'], trustProxy: 'yes' as never })).toThrow('option "trustProxy" must be a boolean, got "yes"')
  })
})
