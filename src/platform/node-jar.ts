// The session's cookies on the wire on Node, through the `cookies` module (as cookie-session and
// Koa use it): it finds a cookie in the Cookie header, serialises Set-Cookie lines, signs `.sig`
// with the signer (Keygrip), and merges with the lines the response already has. It writes into a
// stand-in response first, so that every line it produced is measured against maxSize before any
// reaches the real one: a session over the limit must leave the response, and the browser's
// cookie, as they were.
import type { IncomingMessage, ServerResponse } from 'node:http'
import Cookies from 'cookies'
import { SessionTooLargeError } from '../errors.js'
import { chunkIndexesIn } from '../wire/chunks.js'
import type { CookieAttributes, CookieSource, CookieWrite, Jar, KeygripLike } from './types.js'

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

export class NodeJar implements Jar {
  private readonly cookies: Cookies
  private readonly source: CookieSource

  constructor (source: CookieSource, signer: KeygripLike | undefined) {
    this.source = source
    this.cookies = new Cookies(source as IncomingMessage, undefined as unknown as ServerResponse, { keys: signer as Cookies.Option['keys'] })
  }

  chunkIndexes (name: string, below?: number): number[] {
    return chunkIndexesIn(this.source.headers.cookie, name, below)
  }

  get (name: string): string | undefined {
    return this.cookies.get(name, { signed: false })
  }

  setCookies (previous: readonly string[], writes: readonly CookieWrite[], secure: boolean, maxSize: number): string[] {
    const staging = new Staging(previous.slice())
    const { cookies } = this
    cookies.response = staging as unknown as ServerResponse
    // The connection check is ours, before this (InsecureConnectionError says what to do about it).
    cookies.secure = true
    const added: string[] = []
    for (const { name, value, attributes, signed } of writes) {
      cookies.set(name, value, setOptions(attributes, secure, signed))
      // `cookies` appends the line (and its .sig line); lines it replaced are gone from the list.
      added.push(...staging.lines.slice(signed ? -2 : -1))
    }
    for (const line of added) {
      if (line.length > maxSize) throw new SessionTooLargeError(line.slice(0, line.indexOf('=')), line.length, maxSize)
    }
    return staging.lines
  }

  line (write: CookieWrite, secure: boolean): string {
    return this.setCookies([], [write], secure, Infinity)[0] as string
  }
}
