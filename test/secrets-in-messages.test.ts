// A misplaced secret is described by its type and length, never shown, so a
// start-up crash log does not leak it; express-session's list form of `secret` works like keys.
import { describe, expect, it } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, serve } from './helpers/apps.js'

const SECRET = 'prod-Secret-123'

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
