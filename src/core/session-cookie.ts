// `req.session.cookie` in store mode: express-session's Cookie over this request's cookie. Its
// lifetime (`originalMaxAge` and `expires`, as express-session's Cookie keeps them) is the session's:
// it goes into the record and onto the id cookie; its attributes (`path`, `secure`, ...) read what
// this response will write, and setting one sets it for this response (`req.sessionOptions`). A
// change re-sends the cookie and rewrites the record's lifetime: "remember me" is
// `req.session.cookie.maxAge = 30 * 24 * 3600 * 1000`.
import type { CookieAttributes } from '../platform/types.js'
import { setCookieLine } from '../wire/express-session-cookie.js'

/** A session's lifetime, as express-session's Cookie keeps it. */
export class Lifetime {
  /** Milliseconds the cookie lives from each time it is written; null: a browser-session cookie. */
  originalMaxAge: number | null
  /** When the cookie expires, as last set; null: at the end of the browser session. */
  expires: Date | null

  constructor (originalMaxAge: number | null, expires: Date | null) {
    this.originalMaxAge = originalMaxAge
    this.expires = expires
  }

  /** A new session's lifetime under these attributes (`maxAge`, or a fixed `expires`). */
  static of (attributes: Pick<CookieAttributes, 'maxAge' | 'expires'>, now: number): Lifetime {
    if (attributes.maxAge !== undefined) return new Lifetime(attributes.maxAge, new Date(now + attributes.maxAge))
    if (attributes.expires !== undefined) return new Lifetime(attributes.expires.getTime() - now, attributes.expires)
    return new Lifetime(null, null)
  }

  /** The lifetime a record's `cookie` holds (express-session's Cookie data), or undefined when it holds none. */
  static stored (cookie: unknown): Lifetime | undefined {
    if (cookie === null || typeof cookie !== 'object' || !Object.hasOwn(cookie, 'originalMaxAge')) return undefined
    const { originalMaxAge, expires } = cookie as { originalMaxAge?: unknown, expires?: unknown }
    if (originalMaxAge !== null && !(typeof originalMaxAge === 'number' && Number.isFinite(originalMaxAge))) return undefined
    const date = typeof expires === 'string' || expires instanceof Date ? new Date(expires) : null
    return new Lifetime(originalMaxAge, date !== null && Number.isFinite(date.getTime()) ? date : null)
  }

  /** Milliseconds left (express-session's `maxAge` getter); null for a browser-session cookie. */
  remaining (now: number): number | null {
    return this.expires === null ? null : this.expires.getTime() - now
  }

  /** express-session's touch: the cookie expires `originalMaxAge` from now. */
  restart (now: number): void {
    this.expires = this.originalMaxAge === null ? null : new Date(now + this.originalMaxAge)
  }
}

/** What a session's Cookie reads and changes: this request's cookie. */
export interface CookieHost {
  /** The lifetime, made when first needed. */
  lifetime (): Lifetime
  /** The attributes this response's cookie will have (Secure and SameSite resolved for this connection). */
  attributes (): CookieAttributes & { readonly secure: boolean }
  /** Sets an attribute for this response (`req.sessionOptions[name] = value`, checked when the cookie is written). */
  set (name: string, value: unknown): void
  /** The app changed the cookie: write it, and the record's lifetime, with this response. */
  changed (): void
}

/** The latest date a cookie can carry (RFC 6265 §5.1.1: a cookie-date's year is at most 9999). */
const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59)

function checkedDate (value: Date, what: string): Date {
  const time = value.getTime()
  if (!Number.isFinite(time) || time > LATEST) throw new TypeError(`req.session.cookie.${what} must be a valid Date no later than the year 9999`)
  return new Date(time)
}

/** express-session's Cookie, over one request's cookie. */
export class SessionCookie {
  readonly #host: CookieHost

  constructor (host: CookieHost) {
    this.#host = host
  }

  /** Milliseconds until the cookie expires; `null` for a browser-session cookie. Setting it sets `expires` and `originalMaxAge`. */
  get maxAge (): number | null {
    return this.#host.lifetime().remaining(Date.now())
  }

  set maxAge (ms: number | Date | null) {
    const lifetime = this.#host.lifetime()
    const now = Date.now()
    if (typeof ms === 'number') {
      if (!Number.isFinite(ms)) throw new TypeError('req.session.cookie.maxAge must be a finite number of milliseconds, a Date or null')
      lifetime.expires = checkedDate(new Date(now + ms), 'maxAge')
    } else if (ms instanceof Date) {
      lifetime.expires = checkedDate(ms, 'maxAge')
    } else if (ms === null || ms === undefined || (ms as unknown) === false) {
      lifetime.expires = null
    } else {
      throw new TypeError('req.session.cookie.maxAge must be a number of milliseconds, a Date or null')
    }
    lifetime.originalMaxAge = lifetime.remaining(now)
    this.#host.changed()
  }

  /** When the cookie expires; `null` for a browser-session cookie. Setting it sets `originalMaxAge` to the time until then. */
  get expires (): Date | null {
    return this.#host.lifetime().expires
  }

  set expires (date: Date | null) {
    const lifetime = this.#host.lifetime()
    if (date instanceof Date) lifetime.expires = checkedDate(date, 'expires')
    else if (date === null || date === undefined || (date as unknown) === false) lifetime.expires = null
    else throw new TypeError('req.session.cookie.expires must be a Date, or null for a browser-session cookie')
    lifetime.originalMaxAge = lifetime.remaining(Date.now())
    this.#host.changed()
  }

  /** The lifetime the cookie gets each time it is written, in milliseconds (`null`: browser session). */
  get originalMaxAge (): number | null {
    return this.#host.lifetime().originalMaxAge
  }

  set originalMaxAge (ms: number | null) {
    if (ms !== null && !(typeof ms === 'number' && Number.isFinite(ms))) throw new TypeError('req.session.cookie.originalMaxAge must be a finite number of milliseconds or null')
    this.#host.lifetime().originalMaxAge = ms
    this.#host.changed()
  }

  get path (): string { return this.#host.attributes().path }
  set path (value: string) { this.#set('path', value) }
  get domain (): string | undefined { return this.#host.attributes().domain }
  set domain (value: string | undefined) { this.#set('domain', value) }
  get httpOnly (): boolean { return this.#host.attributes().httpOnly }
  set httpOnly (value: boolean) { this.#set('httpOnly', value) }
  get secure (): boolean { return this.#host.attributes().secure }
  set secure (value: boolean) { this.#set('secure', value) }
  get sameSite (): 'strict' | 'lax' | 'none' | undefined { return this.#host.attributes().sameSite }
  set sameSite (value: boolean | 'strict' | 'lax' | 'none' | undefined) { this.#set('sameSite', value) }
  get priority (): 'low' | 'medium' | 'high' | undefined { return this.#host.attributes().priority }
  set priority (value: 'low' | 'medium' | 'high' | undefined) { this.#set('priority', value) }
  get partitioned (): boolean { return this.#host.attributes().partitioned }
  set partitioned (value: boolean) { this.#set('partitioned', value) }

  #set (name: string, value: unknown): void {
    this.#host.set(name, value)
    this.#host.changed()
  }

  /** express-session's Cookie data: what its stores keep as the record's `cookie`. */
  get data (): CookieData {
    const attributes = this.#host.attributes()
    const lifetime = this.#host.lifetime()
    return cookieData(lifetime, attributes)
  }

  toJSON (): CookieData {
    return this.data
  }

  /** A Set-Cookie line for `name` and `value` with this cookie's attributes, as express-session's Cookie#serialize writes it. */
  serialize (name: string, value: string): string {
    const attributes = this.#host.attributes()
    return setCookieLine(name, encodeURIComponent(value), { ...attributes, expires: this.#host.lifetime().expires ?? undefined })
  }
}

/** express-session's Cookie data, in its order (JSON leaves out what is undefined). */
export interface CookieData {
  originalMaxAge: number | null
  partitioned?: true | undefined
  priority?: 'low' | 'medium' | 'high' | undefined
  expires: Date | null
  secure: boolean
  httpOnly: boolean
  domain?: string | undefined
  path: string
  sameSite?: 'strict' | 'lax' | 'none' | undefined
}

export function cookieData (lifetime: Lifetime, attributes: CookieAttributes & { readonly secure: boolean }): CookieData {
  return {
    originalMaxAge: lifetime.originalMaxAge,
    partitioned: attributes.partitioned ? true : undefined,
    priority: attributes.priority,
    expires: lifetime.expires,
    secure: attributes.secure,
    httpOnly: attributes.httpOnly,
    domain: attributes.domain,
    path: attributes.path,
    sameSite: attributes.sameSite
  }
}
