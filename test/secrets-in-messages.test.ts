// A misplaced secret is described by its type and length, never shown, so a
// start-up crash log does not leak it; express-session's list form of `secret` works like keys.
import { describe, expect, it } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, serve } from './helpers/apps.js'

const SECRET = 'prod-Secret-123'
const STRONG = 'a-strong-key-of-at-least-32-bytes!'

/** The TypeError thrown by `create`, which must throw one. */
function typeErrorOf (create: () => unknown): TypeError {
  try {
    create()
  } catch (err) {
    expect(err).toBeInstanceOf(TypeError)
    return err as TypeError
  }
  throw new Error('expected a TypeError, nothing was thrown')
}

describe('a secret in the wrong place', () => {
  it.each([
    ['keys: a string', () => cookieSession({ keys: SECRET as never }), 'option "keys"', 'a string of 15 characters'],
    ['the bare string as options', () => cookieSession(SECRET as never), 'options must be', 'a string of 15 characters'],
    ['secret: an empty string', () => cookieSession({ secret: '' }), 'option "secret"', 'a string of 0 characters'],
    ['encryptionKeys: a string', () => cookieSession({ keys: ['k'], encrypt: true, encryptionKeys: SECRET as never }), 'option "encryptionKeys"', 'a string of 15 characters'],
    ['keys with an empty one', () => cookieSession({ keys: [SECRET, ''] }), 'option "keys[1]"', 'a string of 0 characters']
  ])('is named by its option and described by type and length (%s)', (_, create, option, description) => {
    const { message } = typeErrorOf(create)
    expect(message).toContain(option)
    expect(message).toContain(description)
    expect(message).not.toContain('prod-Secret')
  })

  it('is not shown when it is a number', () => {
    const { message } = typeErrorOf(() => cookieSession({ secret: 90210731 as never }))
    expect(message).toContain('option "secret"')
    expect(message).toContain('a number')
    expect(message).not.toContain('90210731')
  })
})

describe('a secret of an odd type', () => {
  // Each carries SECRET where a careless description would show it: a symbol's description, a
  // function's name, a class name, toString, the digits of a bigint, a Date's time.
  const Named = { [SECRET]: class {} }[SECRET] as new () => object
  const NamedBytes = { [SECRET]: class extends Uint8Array {} }[SECRET] as new (n: number) => Uint8Array
  const odd: Array<[string, () => unknown, string]> = [
    ['a symbol', () => Symbol(SECRET), 'a symbol'],
    ['a named function', () => Object.defineProperty(() => {}, 'name', { value: SECRET }), 'a function'],
    ['an instance of a named class', () => new Named(), 'an object'],
    ['an object whose toString is the secret', () => ({ toString: () => SECRET, [Symbol.toPrimitive]: () => SECRET }), 'an object'],
    ['a bigint', () => 90210731n, 'a bigint'],
    ['a Date', () => new Date(Date.UTC(2031, 1, 3)), 'a Date'],
    ['an empty byte array of a named class', () => new NamedBytes(0), 'a Uint8Array of 0 bytes'],
    ['a boolean', () => true, 'a boolean']
  ]
  const places: Array<[string, (value: unknown) => unknown, string]> = [
    ['keys', (value) => cookieSession({ keys: value as never }), 'option "keys" must be an array of secret keys or a Keygrip instance'],
    ['keys[i]', (value) => cookieSession({ keys: [STRONG, value as never] }), 'option "keys[1]" must be a non-empty string or Buffer'],
    ['secret', (value) => cookieSession({ secret: value as never }), 'option "secret" must be a non-empty string or Buffer'],
    ['secret as a list', (value) => cookieSession({ secret: [STRONG, value as never] }), 'option "secret[1]" must be a non-empty string or Buffer'],
    ['encryptionKeys', (value) => cookieSession({ encrypt: true, encryptionKeys: value as never }), 'option "encryptionKeys" must be a non-empty array of secret keys'],
    ['encryptionKeys[i]', (value) => cookieSession({ encrypt: true, encryptionKeys: [STRONG, value as never] }), 'option "encryptionKeys[1]" must be a non-empty string or Buffer'],
    ['a bare list as options', (value) => cookieSession([STRONG, value] as never), 'option "keys[1]" must be a non-empty string or Buffer']
  ]
  const cases = places.flatMap(([place, create, start]) => odd.map(([kind, make, description]) => [place, kind, create, make, start, description] as const))

  it.each(cases)('in %s, %s is described by its type alone', (_place, _kind, create, make, start, description) => {
    const { message } = typeErrorOf(() => create(make()))
    expect(message).toBe(`${start}, got ${description}`)
  })

  // A function or an object is read as options (which then have no keys), so only the others are described.
  const primitives = odd.filter(([, make]) => !['function', 'object'].includes(typeof make()))

  it.each(primitives)('given as the options themselves, %s is described by its type alone', (_kind, make, description) => {
    const value = make()
    expect(typeErrorOf(() => cookieSession(value as never)).message).toBe(`options must be an object or an array of keys, got ${description}`)
  })
})

describe('secret given as a list', () => {
  it('signs with the first and verifies with every one, as keys does', async () => {
    const route = (req: { session: Record<string, unknown> }) => { req.session.user = 'ann' }
    const bySecret = await serve(cookieSession({ secret: ['a', 'b'] }), route as never).get()
    const byKeys = await serve(cookieSession({ keys: ['a', 'b'] }), route as never).get()
    expect(bySecret.setCookie).toEqual(byKeys.setCookie)
    const oldKeyCookie = cookieFrom((await serve(cookieSession({ keys: ['b'] }), route as never).get()).setCookie)
    const read = await serve(cookieSession({ secret: ['a', 'b'] }), (req) => req.session.user ?? null).get(oldKeyCookie)
    expect(read.body).toBe('ann')
    // Read with an older key: re-issued, signed with the first.
    expect(read.setCookie).toEqual(byKeys.setCookie)
  })
})
