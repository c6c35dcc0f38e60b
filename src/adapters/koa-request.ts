// One Koa request's session: the core's lifecycle (request.ts) with what koa-session's users rely
// on. The session's lifetime is koa-session's: its own maxAge (`ctx.session.maxAge`, carried in the
// cookie as `_maxAge`, or `'session'`), kept by the server in `_expire` (koa-expiry.ts), which this
// request writes and reads as the core's payload format; `renew` re-sends a session whose `_expire`
// is less than half its maxAge away. And koa-session's API (koa-session-api.ts), its assignment
// rules, and its failures that fail the request (koa-failures.ts).
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Stamp } from '../core/expiry.js'
import type { PayloadFormat, Unwrapped } from '../core/payload.js'
import { RequestSession } from '../core/request.js'
import type { Session, SessionApi } from '../core/session.js'
import { describe } from '../options/check.js'
import { LATEST_EXPIRY } from '../options/cookie.js'
import type { Settings } from '../options/settings.js'
import type { CookieAttributes } from '../platform/types.js'
import { report } from '../report.js'
import { clearsCookie, failsRequest } from './koa-failures.js'
import { ONE_DAY, unwrapKoa, wrapKoa, type Lifetime } from './koa-expiry.js'
import { KOA_SESSION_API, type KoaSessionHost } from './koa-session-api.js'
import { isHttps } from './shared.js'
import { writeTo } from './shared/node-response.js'

/** What the adapter needs of a Koa context (Koa 2 and 3). */
export interface KoaContextLike {
  readonly req: IncomingMessage
  readonly res: ServerResponse
  /** Koa's `ctx.secure`: HTTPS, directly or through a proxy when `app.proxy` is set. */
  readonly secure: boolean
}

/** koa-session's options that are the Koa adapter's own, checked (koa-options.ts). */
export interface KoaSettings {
  /** The maxAge option: ms, 'session', or undefined for koa-session's default (one day in `_expire`, no cookie expiry). */
  readonly maxAge: Lifetime | undefined
  /** koa-session's renew: re-send a session with less than half its maxAge left. */
  readonly renew: boolean
  /** koa-session's autoCommit: false leaves writing to ctx.session.manuallyCommit(). */
  readonly autoCommit: boolean
}

/** A SameSite=None cookie written without Secure over http is said once per process. */
let warnedSameSite = false

// Koa's ctx.cookies would write Set-Cookie at once; the core measures each line before it is sent,
// so the cookies are read from ctx.req and written through its own `cookies` instance instead.
export class KoaRequestSession extends RequestSession implements PayloadFormat, KoaSessionHost {
  /** koa-session's session API, in store mode too (express-session's `id` and `cookie` are not koa-session's: they stay data here). */
  override get api (): SessionApi {
    return KOA_SESSION_API
  }

  private readonly ctx: KoaContextLike
  private readonly koa: KoaSettings
  /** This session's lifetime is 'session' (true) or a number (false), where it differs from the option. */
  private browserSession: boolean | undefined
  /** koa-session's `_expire` of the session this request read. */
  expire: number | undefined
  /** The app wrote the cookies itself this request (manuallyCommit, save, regenerate). */
  committed = false

  constructor (settings: Settings, koa: KoaSettings, ctx: KoaContextLike) {
    super(settings, ctx, ctx.req)
    this.ctx = ctx
    this.koa = koa
  }

  /** The core writes and reads the payload through this request (koa-session's `_expire`). */
  get format (): PayloadFormat {
    return this
  }

  isSecure (): boolean {
    return isHttps(this.ctx.secure, this.settings, this.ctx.req.headers['x-forwarded-proto'])
  }

  reportError (err: unknown): void {
    if (failsRequest(err)) throw err
    report(this.settings, err, this.ctx)
  }

  override get session (): Session | null {
    try {
      return super.session
    } catch (err) {
      if (clearsCookie(err)) this.clearAfter(err as Error & { headers?: Record<string, unknown> })
      throw err
    }
  }

  override set session (value: unknown) {
    // koa-session's rule: null, or an object; undefined is neither.
    if (value === undefined || (value !== null && typeof value !== 'object')) {
      throw new TypeError('ctx.session can only be set as null or an object')
    }
    super.session = value
  }

  /**
   * A cookie koa-session's rule says to clear (decode threw): the response clears it, and so does
   * the error, whose `headers` Koa's error handling sets on the error response.
   */
  private clearAfter (err: Error & { headers?: Record<string, unknown> }): void {
    this.state = null
    try {
      const lines = this.setCookiesNow([])
      if (lines !== undefined) err.headers = { ...err.headers, 'set-cookie': lines }
    } catch {
      // Clearing failed too (the app gets the first failure).
    }
  }

  /** koa-session writes a SameSite=None cookie over http without Secure (browsers drop it): so does this, saying so once. */
  override secure (attributes: CookieAttributes): boolean {
    if (attributes.sameSite === 'none' && attributes.secure === undefined && !attributes.partitioned && !this.isSecure()) {
      if (!warnedSameSite) {
        warnedSameSite = true
        this.settings.platform.warn(`session cookie "${this.settings.name}" has sameSite "none" and was sent without Secure over plain http, ` +
          'as koa-session sends it: browsers drop such a cookie. Serve the app over https (behind a proxy, set app.proxy = true). ' +
          'This warning is shown once per process.', 'ERR_SESSION_INSECURE')
      }
      return false
    }
    return super.secure(attributes)
  }

  /** The session's lifetime: ms, 'session', or undefined (koa-session's default: a day in `_expire`, and a browser-session cookie). */
  get maxAge (): Lifetime | undefined {
    if (this.browserSession ?? this.koa.maxAge === 'session') return 'session'
    return this.effective().attributes.maxAge
  }

  /** Sets the session's lifetime (the cookie's maxAge follows); `write`: koa-session's ctx.session.maxAge = ..., which writes the session. */
  setMaxAge (value: unknown, write: boolean): void {
    const current = this.effective().attributes.maxAge
    if (value === 'session') {
      this.browserSession = true
      if (current !== undefined) this.sessionOptions.maxAge = undefined
    } else {
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
        throw new TypeError(`ctx.session.maxAge must be a non-negative number of milliseconds or "session", got ${describe(value)}`)
      }
      this.browserSession = false
      if (current !== value) this.sessionOptions.maxAge = value
    }
    if (write) this.force()
  }

  private force (): void {
    this.acts.forced = true
    this.acts.resend = true
  }

  wrap (json: string, stamp: Stamp | undefined, now: number): string {
    const lifetime = this.maxAge
    return wrapKoa(json, lifetime === 'session' ? lifetime : lifetime === undefined || lifetime === 0 ? ONE_DAY : lifetime, stamp, now)
  }

  unwrap (payload: string, now: number): Unwrapped | undefined {
    const read = unwrapKoa(payload)
    if (read === undefined) return undefined
    const expired = read.expire !== undefined && read.expire < now
    // As koa-session does, the session's own maxAge is this request's (and its cookie's): one that
    // no cookie date can carry is not taken (the option's stays), so no cookie can fail the request.
    if (!expired) {
      this.expire = read.expire
      const { maxAge } = read
      if (maxAge === 'session' || (maxAge !== undefined && now + maxAge <= LATEST_EXPIRY)) this.setMaxAge(maxAge, false)
    }
    return { json: read.json, stamp: read.stamp, expired }
  }

  due (): boolean {
    if (!this.koa.renew || this.expire === undefined) return false
    const lifetime = this.maxAge
    return typeof lifetime === 'number' && lifetime > 0 && this.expire - Date.now() < lifetime / 2
  }

  /**
   * Writes the session's store record and cookies now (koa-session's commit), for the app that
   * asked (save(), regenerate(), manuallyCommit()): it rejects with what kept them from being
   * written (a SessionTooLargeError, say), and the response goes on without them.
   */
  async commitNow (): Promise<void> {
    const saving = this.save()
    if (saving instanceof Promise) await saving
    if (writeTo(this, this.ctx.res)) this.committed = true
  }

  /** koa-session's save(): the session is written now, and with the response, whatever it holds. */
  async forceSave (): Promise<void> {
    this.force()
    await this.commitNow()
  }

  /** koa-session's regenerate(): the same content under a new key, written now. */
  async regenerateKeeping (): Promise<void> {
    await this.rekey()
    await this.commitNow()
  }
}
