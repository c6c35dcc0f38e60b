// The `ironSession.password` option: accepted exactly when iron-session 9 accepts it as its own
// `password`, and refused with a message that names the option and never shows a secret.
import { getIronSession, type CookieJar } from 'iron-session9'
import { describe, expect, it } from 'vitest'
import { SessionOptionError } from '../src/errors.js'
import { checkIronPasswords } from '../src/options/iron.js'

const OPTION = 'ironSession.password'
const jar: CookieJar = { read: () => undefined, write: () => {} }

/** The error `checkIronPasswords` throws for `value`, or undefined if it accepts it. */
function refusal (value: unknown): SessionOptionError | undefined {
  try {
    checkIronPasswords(value, OPTION)
    return undefined
  } catch (err) {
    expect(err).toBeInstanceOf(SessionOptionError)
    return err as SessionOptionError
  }
}

/** Whether iron-session 9 takes `password` as its own option. */
async function ironAccepts (password: unknown): Promise<boolean> {
  return await getIronSession(jar, { cookieName: 'app', password: password as string }).then(() => true, () => false)
}

describe('checkIronPasswords', () => {
  it.each([
    ['a 32-character string', 'p'.repeat(32)],
    ['a 31-character string', 'p'.repeat(31)],
    ['a map of long passwords', { 1: 'p'.repeat(32), 2: 'q'.repeat(40) }],
    ['a map with one short password', { 1: 'p'.repeat(32), 2: 'q'.repeat(31) }],
    ['a map with a number for a password', { 1: 42 }],
    ['an empty map', {}],
    ['an empty string', '']
  ])('accepts %s exactly when iron-session does', async (_name, value) => {
    expect(refusal(value) === undefined).toBe(await ironAccepts(value))
  })

  it('returns a string as given, and a map as a frozen copy later edits do not reach', () => {
    const password = 'p'.repeat(32)
    expect(checkIronPasswords(password, OPTION)).toBe(password)
    const map: Record<string, string> = { 1: password, 2: 'q'.repeat(32) }
    const checked = checkIronPasswords(map, OPTION)
    map[1] = 'changed'
    expect({ ...checked as object }).toEqual({ 1: password, 2: 'q'.repeat(32) })
    expect(Object.isFrozen(checked)).toBe(true)
  })

  it('describes a short password by its length, never its text', () => {
    const secret = 'too-short-secret-value'
    const err = refusal(secret)
    expect(err?.code).toBe('ERR_SESSION_OPTION')
    expect(err?.message).toBe(`option "${OPTION}" must be a string of at least 32 characters, or an object mapping password ids to such strings (as iron-session's "password"), got a string of ${secret.length} characters`)
    const inMap = refusal({ 1: 'p'.repeat(32), 7: secret })
    expect(inMap?.message).toBe(`option "${OPTION}" must map each id to a string of at least 32 characters, got a string of ${secret.length} characters for id 7`)
  })

  it.each([
    [undefined, 'undefined'], [null, 'null'], [42, 'a number'], [['p'.repeat(32)], 'an array of 1'],
    [Buffer.from('p'.repeat(40)), 'a Buffer of 40 bytes'], [new Map([[1, 'p'.repeat(32)]]), 'an object']
  ])('refuses %s, described as %s', (value, described) => {
    expect(refusal(value)?.message).toMatch(new RegExp(`^option "${OPTION}" must be .*, got ${described}$`))
  })

  it('refuses an empty map, and a password id no seal can name', () => {
    expect(refusal({})?.message).toMatch(/, got an empty object$/)
    expect(refusal({ 'a b': 'p'.repeat(32) })?.message).toBe(`option "${OPTION}" has the password id "a b", which no iron-session cookie can name: ids are letters, digits and _ (iron-session writes integers)`)
  })
})
