// The session's cookies on the wire, through the `cookies` module (as cookie-session and Koa use
// it): it finds a cookie in the Cookie header, serialises Set-Cookie lines, signs `.sig` with the
// signer (Keygrip), and merges with the lines the response already has. It writes into a stand-in
// response first, so that every line it produced is measured against maxSize before any reaches
// the real one: a session over the limit must leave the response, and the browser's cookie, as
// they were.
import type { IncomingMessage, ServerResponse } from 'node:http'
import Cookies from 'cookies'
import { SessionTooLargeError } from '../errors.js'
import type { CookieAttributes } from '../options/cookie.js'
import type { KeygripLike } from '../wire/signer.js'

/** Where the Cookie header is read from: a node:http request, or an object shaped like one. */
export interface CookieSource {
  readonly headers: { readonly cookie?: string | undefined }
}

/** The cookie attributes and size limit in force for one response. */
export interface Effective {
  readonly attributes: CookieAttributes
  readonly maxSize: number
}

/** One cookie to set: an empty value expires it. */
export interface CookieWrite {
  readonly name: string
  readonly value: string
  readonly attributes: CookieAttributes
  /** Also set `<name>.sig`, signed by the jar's signer. */
  readonly signed: boolean
}

/** `cookies.set()` options per attributes object: [insecure unsigned, insecure signed, secure unsigned, secure signed]. */
const SET_OPTIONS = new WeakMap<CookieAttributes, Cookies.SetOption[]>()

/**
 * The options `cookies.set()` takes for `attributes`, made once per attributes object (the
 * middleware's, or one request's sessionOptions) and reused: `cookies` only reads them. Attributes
 * that are unset are left out, so each Cookie it makes copies only what is set.
 */
function setOptions (attributes: CookieAttributes, secure: boolean, signed: boolean): Cookies.SetOption {
  let variants = SET_OPTIONS.get(attributes)
  if (variants === undefined) {
    const { path, expires, maxAge, domain, priority, sameSite, httpOnly, partitioned, overwrite } = attributes
    const set = { path, expires, maxAge, domain, priority, sameSite, httpOnly, partitioned, overwrite }
    for (const key of Object.keys(set) as Array<keyof typeof set>) if (set[key] === undefined) delete set[key]
    variants = [false, true].flatMap((isSecure) => [false, true].map((isSigned) =>
      Object.freeze({ ...set, secure: isSecure, signed: isSigned }) as Cookies.SetOption))
    SET_OPTIONS.set(attributes, variants)
  }
  return variants[(secure ? 2 : 0) + (signed ? 1 : 0)] as Cookies.SetOption
}

/** The Set-Cookie lines of a response, as `cookies` reads and replaces them. */
class Staging {
  constructor (public lines: string[]) {}
  getHeader (): string[] { return this.lines }
  setHeader (_name: string, lines: string[]): void { this.lines = lines }
}

export class Jar {
  private readonly cookies: Cookies
  private readonly source: CookieSource

  constructor (source: CookieSource, signer: KeygripLike | undefined) {
    this.source = source
    this.cookies = new Cookies(source as IncomingMessage, undefined as unknown as ServerResponse, { keys: signer as Cookies.Option['keys'] })
  }

  /**
   * The indexes of the `<name>.<n>` chunk cookies the request carries (`cookies` can only look up a
   * name it is given, not list them). RFC 6265 §4.2.1: cookie-pair *( "; " cookie-pair ).
   */
  chunkIndexes (name: string): number[] {
    const header = this.source.headers.cookie
    const prefix = name + '.'
    if (header === undefined || !header.includes(prefix)) return []
    const found = new Set<number>()
    for (const pair of header.split(';')) {
      const key = pair.slice(0, pair.indexOf('=')).trim()
      const index = key.slice(prefix.length)
      if (key.startsWith(prefix) && /^[1-9]\d{0,2}$/.test(index)) found.add(Number(index))
    }
    return [...found].sort((a, b) => a - b)
  }

  /** The value of a cookie in the request (the first one, when the name appears twice). */
  get (name: string): string | undefined {
    return this.cookies.get(name, { signed: false })
  }

  /**
   * `previous` (the response's Set-Cookie lines so far) with `writes` added, replacing earlier lines
   * of the same name where `overwrite` says so. `secure` is each cookie's Secure attribute.
   * Throws `SessionTooLargeError` when a line would be over `maxSize`.
   */
  setCookies (previous: readonly string[], writes: readonly CookieWrite[], secure: boolean, maxSize: number): string[] {
    const staging = new Staging(previous.slice())
    const { cookies } = this
    cookies.response = staging as unknown as ServerResponse
    // The connection check is ours, before this (InsecureConnectionError says what to do about it).
    cookies.secure = true
    let added = 0
    for (const { name, value, attributes, signed } of writes) {
      cookies.set(name, value, setOptions(attributes, secure, signed))
      added += signed ? 2 : 1
    }
    const { lines } = staging
    for (let i = lines.length - added; i < lines.length; i++) {
      const line = lines[i] as string
      if (line.length > maxSize) throw new SessionTooLargeError(line.slice(0, line.indexOf('=')), line.length, maxSize)
    }
    return lines
  }
}
