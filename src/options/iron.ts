// The password of the `ironSession` option, checked as iron-session checks its own, when the
// middleware is created: a password that iron-session would refuse is a mistake to report at
// start-up, not a reason to drop every iron-session cookie in silence later.
import { SessionOptionError } from '../errors.js'
import type { IronPasswords } from '../wire/iron.js'
import { describeSecret, failSecret } from './check.js'

// iron-session refuses shorter passwords (and iron derives its keys from at least that many).
const MIN_LENGTH = 32
// What a seal can carry as its password id (iron-session 9 also requires integers; 8 does not).
const ID = /^\w+$/

/**
 * `value` as iron-session's `password`: a string of at least 32 characters, or a non-empty plain
 * object mapping password ids (letters, digits, `_`) to such strings. Throws a `SessionOptionError`
 * naming `option` (e.g. `ironSession.password`) that describes a bad secret by type and length only.
 * The map is copied and frozen, so later changes to the caller's object do not reach the reader.
 */
export function checkIronPasswords (value: unknown, option: string): IronPasswords {
  const expected = `a string of at least ${MIN_LENGTH} characters, or an object mapping password ids to such strings (as iron-session's "password")`
  if (typeof value === 'string') {
    if (value.length < MIN_LENGTH) failSecret(option, expected, value)
    return value
  }
  if (value === null || typeof value !== 'object' || !isPlainObject(value)) failSecret(option, expected, value)
  const entries = Object.entries(value)
  if (entries.length === 0) {
    throw new SessionOptionError(`option "${option}" must be ${expected}, got an empty object`)
  }
  const map: Record<string, string> = Object.create(null) as Record<string, string>
  for (const [id, password] of entries) {
    if (!ID.test(id)) {
      throw new SessionOptionError(`option "${option}" has the password id ${JSON.stringify(id)}, which no iron-session cookie can name: ids are letters, digits and _ (iron-session writes integers)`)
    }
    if (typeof password !== 'string' || password.length < MIN_LENGTH) {
      throw new SessionOptionError(`option "${option}" must map each id to a string of at least ${MIN_LENGTH} characters, got ${describeSecret(password)} for id ${id}`)
    }
    map[id] = password
  }
  return Object.freeze(map)
}

function isPlainObject (value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
