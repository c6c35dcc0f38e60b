// Cookie attributes as options: checked once at start-up (and per request for req.sessionOptions),
// with messages that name the option and the rule. Writing them is the `cookies` module's job; these
// checks run first so that a bad value fails at cookieSession(...), not as a TypeError at write time.
import type { CookieAttributes } from '../platform/types.js'
import { fail, flag } from './check.js'

export type { CookieAttributes }

/**
 * RFC 6265 §4.1.1: cookie-name = token (RFC 2616 §2.2), i.e. any CHAR except CTLs or separators
 * `( ) < > @ , ; : \ " / [ ] ? = { } SP HT`.
 */
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/** RFC 6265 §4.1.1: path-value = *<any CHAR except CTLs or ";">. */
const PATH_VALUE = /^[\u0020-\u003a\u003c-\u007e]*$/

/**
 * RFC 6265 §4.1.2.3 / RFC 1034 §3.5: a domain is dot-separated labels of letters, digits and
 * hyphens, not starting or ending with a hyphen; a leading dot is allowed and ignored by browsers.
 */
const DOMAIN_VALUE = /^\.?[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i

const SAME_SITE: Record<string, 'strict' | 'lax' | 'none'> = { strict: 'strict', lax: 'lax', none: 'none' }
const PRIORITY: Record<string, 'low' | 'medium' | 'high'> = { low: 'low', medium: 'medium', high: 'high' }

/** Cookie attributes as a user writes them in options or `req.sessionOptions`. */
export interface CookieOptions {
  /**
   * Milliseconds until the cookie expires, written as `expires`. `0` or unset: a browser-session cookie.
   * @default none
   */
  maxAge?: number | undefined
  /**
   * A `Date` the cookie expires at. `maxAge` wins when both are set.
   * @default none
   */
  expires?: Date | undefined
  /**
   * Cookie path.
   * @default '/'
   */
  path?: string | undefined
  /**
   * Cookie domain (none: the cookie belongs to the exact host).
   * @default none
   */
  domain?: string | undefined
  /**
   * Add `Partitioned` (CHIPS).
   * @default false
   */
  partitioned?: boolean | undefined
  /**
   * `'low'`, `'medium'` or `'high'`.
   * @default none
   */
  priority?: 'low' | 'medium' | 'high' | undefined
  /**
   * `'strict'`, `'lax'`, `'none'`, `true` (= `'strict'`) or `false` (no attribute).
   * @default false
   */
  sameSite?: boolean | 'strict' | 'lax' | 'none' | undefined
  /**
   * Only send the cookie over HTTPS. Behind a proxy, set Express's `trust proxy`.
   * @default true on HTTPS, else false
   */
  secure?: boolean | undefined
  /**
   * Hide the cookie from client-side JavaScript.
   * @default true
   */
  httpOnly?: boolean | undefined
  /**
   * Sign the cookie. With `false` the client can forge the session: only for data you would accept from
   * anyone.
   * @default true
   */
  signed?: boolean | undefined
  /**
   * Replace Set-Cookie headers of the same name set earlier in the response.
   * @default true
   */
  overwrite?: boolean | undefined
}

export function isCookieName (name: string): boolean {
  return COOKIE_NAME.test(name)
}

function keyword<T> (value: unknown, option: string, words: Record<string, T>, expected: string): T | undefined {
  if (value === undefined || value === null || value === false) return undefined
  const word = typeof value === 'string' ? words[value.toLowerCase()] : undefined
  if (word === undefined || !Object.hasOwn(words, (value as string).toLowerCase())) fail(option, expected, value)
  return word
}

/**
 * RFC 6265 §5.1.1: a cookie-date's year is 1601 or later, and `Date#toUTCString()` writes years
 * past 9999 in a form no browser parses; so an expiry must fall within those years.
 */
const EARLIEST_EXPIRY = Date.UTC(1601, 0, 1)
export const LATEST_EXPIRY = Date.UTC(9999, 11, 31, 23, 59, 59)

/** Validates cookie options; throws a `SessionOptionError` (a `TypeError`) naming the bad one. */
export function cookieAttributes (options: CookieOptions & { maxage?: unknown }): CookieAttributes {
  const maxAge = options.maxAge ?? options.maxage
  if (maxAge !== undefined && maxAge !== null &&
      (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge < 0)) {
    fail('maxAge', 'a non-negative finite number of milliseconds', maxAge)
  }
  if (typeof maxAge === 'number' && Date.now() + maxAge > LATEST_EXPIRY) {
    fail('maxAge', 'at most the milliseconds until the year 9999 (a cookie date cannot be written later)', maxAge)
  }
  const expires = options.expires
  if (expires !== undefined && expires !== null &&
      (!(expires instanceof Date) || Number.isNaN(expires.getTime()))) {
    fail('expires', 'a valid Date', expires)
  }
  if (expires instanceof Date && (expires.getTime() < EARLIEST_EXPIRY || expires.getTime() > LATEST_EXPIRY)) {
    fail('expires', 'a Date between the years 1601 and 9999 (RFC 6265 §5.1.1 cookie-date)', expires)
  }
  // As in cookies: path null or '' writes no path attribute; domain '' means none.
  const path = options.path === undefined ? '/' : options.path ?? ''
  if (typeof path !== 'string' || !PATH_VALUE.test(path)) {
    fail('path', 'a string of printable ASCII without ";" (RFC 6265 path-value)', path)
  }
  const domain = options.domain || undefined
  if (domain !== undefined && (typeof domain !== 'string' || !DOMAIN_VALUE.test(domain))) {
    fail('domain', 'a host name such as "example.com"', domain)
  }
  // Browsers ignore a Domain attribute naming a top-level domain ("com"): the cookie would be lost.
  if (domain !== undefined && !domain.replace(/^\./, '').includes('.') && domain.replace(/^\./, '').toLowerCase() !== 'localhost') {
    fail('domain', 'a domain with at least two labels (browsers refuse a cookie for a whole top-level domain)', domain)
  }
  const sameSite = options.sameSite === true
    ? 'strict'
    : keyword(options.sameSite, 'sameSite', SAME_SITE, '"strict", "lax", "none", true or false')
  return {
    maxAge: maxAge === null || maxAge === 0 ? undefined : maxAge as number | undefined,
    expires: expires ?? undefined,
    path,
    domain,
    partitioned: flag(options.partitioned, 'partitioned', false),
    priority: keyword(options.priority, 'priority', PRIORITY, '"low", "medium" or "high"'),
    sameSite,
    // secure: null is false, as in cookies; undefined means "whatever the connection is".
    secure: options.secure === null ? false : flag(options.secure, 'secure', undefined),
    httpOnly: flag(options.httpOnly, 'httpOnly', true),
    signed: flag(options.signed, 'signed', true),
    overwrite: flag(options.overwrite, 'overwrite', true)
  }
}

/**
 * Rules between the cookie's name and its attributes that browsers enforce by dropping the cookie
 * (RFC 6265bis §4.1.3 cookie prefixes; §4.1.2.7 SameSite=None needs Secure). Checked at start-up
 * and for each request's sessionOptions; throws `SessionOptionError`.
 */
export function checkCookieRules (name: string, attributes: CookieAttributes): void {
  const rule = 'browsers drop such a cookie (RFC 6265bis §4.1.3)'
  // Browsers match the prefixes without regard to case.
  const lower = name.toLowerCase()
  if (lower.startsWith('__host-')) {
    if (attributes.secure !== true) fail('secure', `true for a "__Host-" cookie name: ${rule}`, attributes.secure)
    if (attributes.path !== '/') fail('path', `"/" for a "__Host-" cookie name: ${rule}`, attributes.path)
    if (attributes.domain !== undefined) fail('domain', `unset for a "__Host-" cookie name: ${rule}`, attributes.domain)
  } else if (lower.startsWith('__secure-') && attributes.secure !== true) {
    fail('secure', `true for a "__Secure-" cookie name: ${rule}`, attributes.secure)
  }
  if (attributes.partitioned && attributes.secure === false) {
    fail('secure', 'true (or left unset) with partitioned: browsers drop a Partitioned cookie without Secure (CHIPS)', false)
  }
  if (attributes.sameSite === 'none' && attributes.secure === false) {
    fail('secure', 'true (or left unset) with sameSite "none": browsers drop a SameSite=None cookie without Secure (RFC 6265bis §4.1.2.7)', false)
  }
}
