// The `ironSession` option, checked when the middleware is created: the cookie name, where the
// cookie was set, and the password, checked as iron-session checks its own (a password that
// iron-session would refuse is a mistake to report at start-up, not a reason to drop every
// iron-session cookie in silence later).
import { SessionOptionError } from '../errors.js'
import type { IronPasswords } from '../wire/iron.js'
import { describeSecret, fail, failSecret } from './check.js'
import { isCookieName } from './cookie.js'

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

/** The `ironSession` option as given: iron-session's own options object does (its other fields are ignored). */
export interface IronSessionOptions {
  /** The name of iron-session's cookie (iron-session's `cookieName`). */
  readonly cookieName: string
  /** iron-session's `password`: a string, or an object mapping password ids to passwords. */
  readonly password: string | Readonly<Record<string, string>>
  /** Where iron-session's cookie was set, so that it can be expired there: its `path` (default `'/'`) and `domain`. */
  readonly cookieOptions?: { readonly path?: string | undefined, readonly domain?: string | undefined } | undefined
}

/** The checked `ironSession` option. */
export interface IronSettings {
  readonly cookieName: string
  readonly passwords: IronPasswords
  /** The path and domain iron-session's cookie was set with, to expire it. */
  readonly path: string
  readonly domain: string | undefined
}

/**
 * The `ironSession` option (undefined when unset), checked when the middleware is created. `name`
 * is the session's cookie name: iron-session's cookie may share it (ours is then written over
 * theirs), but not its `.sig`.
 */
export function checkIronSession (value: unknown, name: string): IronSettings | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object' || Array.isArray(value)) {
    failSecret('ironSession', 'an object { cookieName, password } as given to iron-session', value)
  }
  const { cookieName, password, cookieOptions } = value as Record<string, unknown>
  if (typeof cookieName !== 'string' || !isCookieName(cookieName)) {
    fail('ironSession.cookieName', 'a cookie name made of RFC 6265 token characters', cookieName)
  }
  if (cookieName === name + '.sig') {
    throw new SessionOptionError(`option "ironSession.cookieName" must not be "${cookieName}", the signature cookie of this session`)
  }
  const passwords = checkIronPasswords(password, 'ironSession.password')
  let path = '/'
  let domain: string | undefined
  if (cookieOptions !== undefined && cookieOptions !== null) {
    if (typeof cookieOptions !== 'object') fail('ironSession.cookieOptions', 'an object', cookieOptions)
    const given = cookieOptions as { path?: unknown, domain?: unknown }
    if (given.path !== undefined && given.path !== null) {
      if (typeof given.path !== 'string' || !given.path.startsWith('/')) fail('ironSession.cookieOptions.path', 'a path starting with "/"', given.path)
      path = given.path
    }
    if (given.domain !== undefined && given.domain !== null) {
      if (typeof given.domain !== 'string' || given.domain === '') fail('ironSession.cookieOptions.domain', 'a domain name', given.domain)
      domain = given.domain
    }
  }
  return Object.freeze({ cookieName, passwords, path, domain })
}
