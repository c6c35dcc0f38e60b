// One request's session lifecycle, with no knowledge of any HTTP framework or of where the session
// lives: `req.session` read (from the persistence) when first asked for, replaced or destroyed by
// the app, express-session's methods, `req.sessionOptions`, and at the end the cookies the response
// needs. Where the session lives is the persistence's (persistence.ts): the cookie itself, or a
// store. The adapters call load(), setCookies() and save(), and never ask which.
import { InsecureConnectionError, SessionOptionError, SessionTooLargeError, SessionWriteError } from '../errors.js'
import { checkSessionOptions, type Effective, type SessionOptions, type Settings } from '../options/settings.js'
import { settled, after, type MaybePromise } from '../platform/maybe.js'
import type { CookieAttributes, CookieSource, CookieWrite, Jar } from '../platform/types.js'
import { lineName } from '../wire/express-session-cookie.js'
import { CookiePersistence } from './cookie-persistence.js'
import { DecodingJar } from './decoding-jar.js'
import { Acts, type Owner, type Persistence } from './persistence.js'
import { SESSION_API, SessionState, type Session, type SessionApi } from './session.js'
import type { SessionCookie } from './session-cookie.js'
import { StorePersistence } from './store-persistence.js'
import { storeApi } from './store-session-api.js'

/** The writes a response needs, and the Secure attribute and size limit they take (cookieWrites()). */
export interface CookieWrites {
  readonly writes: readonly CookieWrite[]
  readonly secure: boolean
  readonly maxSize: number
}

export abstract class RequestSession implements Owner {
  readonly settings: Settings
  /** The framework's request object, handed to the validate and beforeSave hooks. */
  readonly request: unknown
  /** undefined: not read yet; null: destroyed; else the session. */
  state: SessionState | null | undefined
  acts = new Acts()
  /** The names the adapter's sessions answer besides their data (an adapter may add methods). */
  protected readonly adapterApi: SessionApi = SESSION_API
  /** express-session's `sameSite: 'auto'` for this request (its `cookie` option, or the function's result). */
  sameSiteAuto: boolean
  private readonly persistence: Persistence
  /** The persistence, when it is a store's. */
  private readonly storePersistence: StorePersistence | undefined
  private readonly source: CookieSource
  private jarOf: Jar | undefined
  private options: SessionOptions | undefined
  /** What `options` started from: the middleware's, or this request's from express-session's `cookie` function. */
  private baseOptions: Readonly<SessionOptions>
  /** session.destroy() was called (express-session then has no req.session at all). */
  private destroyedByMethod = false

  constructor (settings: Settings, request: unknown, source: CookieSource) {
    this.settings = settings
    this.request = request
    this.source = source
    this.sameSiteAuto = settings.expressSession.sameSiteAuto
    this.baseOptions = settings.sessionOptions
    this.storePersistence = settings.store === undefined ? undefined : new StorePersistence(this)
    this.persistence = this.storePersistence ?? new CookiePersistence(this)
  }

  /** The names this request's sessions answer besides their data: in store mode `id` and `cookie` too. */
  get api (): SessionApi {
    return this.storePersistence === undefined ? this.adapterApi : storeApi(this.adapterApi, this.settings.expressSession.style)
  }

  /** Whether the app touched the session at all (if not, there is nothing to write). */
  get accessed (): boolean {
    return this.state !== undefined
  }

  /** Whether the connection is HTTPS (directly, or through a trusted proxy). */
  abstract isSecure (): boolean

  /** Hands a failure to the app's onError with the adapter's own arguments (or warns once). */
  abstract reportError (err: unknown): void

  /** The request's cookies, read through the one place that percent-decodes them (decoding-jar.ts). */
  get jar (): Jar {
    this.jarOf ??= new DecodingJar(this.createJar())
    return this.jarOf
  }

  /** The request's cookies as the platform reads them; an adapter that reads a framework's cookie store gives its own. */
  protected createJar (): Jar {
    return this.settings.platform.createJar(this.source, this.settings.signer)
  }

  /**
   * Reads what must be read before the app runs (undefined when nothing had to wait). With
   * express-session's options every request has its session from the start, as there.
   */
  load (): MaybePromise<void> {
    const loading = this.persistence.load()
    if (!this.settings.expressSession.style) return loading
    return after(loading, () => { if (this.state === undefined) this.state = this.persistence.state() })
  }

  /** Whether the response must wait for `save()` before it ends. */
  get savesBeforeEnd (): boolean {
    return this.persistence.savesBeforeEnd
  }

  /** Writes what must be written before the response ends (a store's record); runs beforeSave there. */
  save (): MaybePromise<void> {
    return this.persistence.save(true)
  }

  get session (): Session | null {
    if (this.state === undefined) this.state = this.persistence.state()
    return this.state === null ? null : this.state.proxy
  }

  /** `req.session` as the app sees it: with express-session's options, undefined after destroy() (as there). */
  get visibleSession (): Session | null | undefined {
    const session = this.session
    return session === null && this.destroyedByMethod && this.settings.expressSession.style ? undefined : session
  }

  /** Store mode: the session's id (`req.sessionID`, `req.session.id`), made now for a new session; undefined once destroyed. */
  sessionId (): string | undefined {
    if (this.storePersistence === undefined) return undefined
    if (this.state === undefined) this.state = this.persistence.state()
    return this.storePersistence.currentId()
  }

  /** Store mode: `req.session.cookie`, express-session's Cookie. */
  sessionCookie (): SessionCookie {
    return (this.storePersistence as StorePersistence).sessionCookie()
  }

  set session (value: unknown) {
    if (value === null || value === undefined) {
      this.state = null
      this.acts.restarted = true
    } else if (typeof value === 'object') {
      // The replaced session's stamp is read first, so that replacing keeps its creation time.
      if (this.state === undefined && this.settings.stamped) this.state = this.persistence.state()
      this.state = SessionState.from(this, value)
      this.acts.replaced = true
    } else {
      // cookie-session's message, kept so existing checks still match.
      throw new TypeError('req.session can only be set as null or an object.')
    }
  }

  /**
   * A new empty session, or one holding only the fields named in `keep` (their values taken over
   * from the current session: the Fastify adapter's `regenerate(fields)`).
   */
  regenerate (keep?: readonly string[]): MaybePromise<void> {
    const kept: Record<string, unknown> = {}
    const current = keep === undefined ? null : this.session
    if (current !== null) {
      for (const key of keep as readonly string[]) if (Object.hasOwn(current, key)) kept[key] = current[key]
    }
    this.session = kept
    this.acts.restarted = true
    return this.persistence.drop()
  }

  /**
   * The same session under a new key (koa-session's regenerate): a store deletes the old record and
   * keeps the content under a new id; a cookie is written again. Its age goes on (absoluteTimeout).
   */
  rekey (): MaybePromise<void> {
    if (this.state === undefined) this.state = this.persistence.state()
    this.acts.forced = true
    this.acts.resend = true
    return this.persistence.drop(true)
  }

  /** The key the session is stored under (koa-session's externalKey): a store's id, made now for a new session. */
  key (): string | undefined {
    return this.persistence.key()
  }

  destroy (): MaybePromise<void> {
    this.destroyedByMethod = true
    this.session = null
    return this.persistence.drop()
  }

  destroyAll (): MaybePromise<void> {
    const state = this.state === undefined ? this.persistence.state() : this.state
    const done = state === null ? this.persistence.drop() : this.persistence.destroyAll(state)
    this.session = null
    return done
  }

  reload (): MaybePromise<void> {
    return after(this.persistence.reload(), () => {
      this.acts = new Acts()
      this.state = this.persistence.state()
    })
  }

  touch (): void {
    this.acts.resend = true
  }

  /** session.save(): throws the error that writing the cookie now would meet (store mode: writes the store now); runs no hook. */
  saveNow (): MaybePromise<void> {
    return this.persistence.save(false)
  }

  defer<A> (fn: (arg: A) => void, arg: A): void {
    this.settings.platform.defer(fn, arg)
  }

  /**
   * `req.sessionOptions`: a copy of the cookie options, made on first access, deep enough that
   * nothing done to it (`expires.setFullYear()`) reaches other requests; `name` is read-only.
   */
  get sessionOptions (): SessionOptions {
    this.options ??= this.copyOptions(this.baseOptions)
    return this.options
  }

  set sessionOptions (value: SessionOptions) {
    if (value === null || typeof value !== 'object') {
      throw new TypeError('req.sessionOptions can only be set to an object of cookie options')
    }
    const { name } = value as { name?: unknown }
    if (name !== undefined && name !== this.settings.name) {
      throw new TypeError(`req.sessionOptions.name is read-only: the cookie name is the middleware's ("${this.settings.name}")`)
    }
    // Options the object leaves out keep the middleware's values (cookie-session would fall back to
    // the cookie defaults, silently turning e.g. signed: false back on).
    this.options = this.copyOptions({ ...this.baseOptions, ...value })
  }

  /**
   * This request's cookie settings from express-session's `cookie` function (already turned into
   * cookie options): what req.sessionOptions starts from. Checked when the cookie is written.
   */
  useCookieOptions (options: SessionOptions, sameSiteAuto: boolean): void {
    this.baseOptions = Object.freeze({ ...this.settings.sessionOptions, maxAge: undefined, expires: undefined, ...options })
    this.options = this.copyOptions(this.baseOptions)
    this.sameSiteAuto = sameSiteAuto
  }

  lifetimeOptions (): Pick<CookieAttributes, 'maxAge' | 'expires'> | undefined {
    const { options, baseOptions } = this
    if (options === undefined) return undefined
    const same = (options.maxAge ?? undefined) === (baseOptions.maxAge ?? undefined) &&
      (options.expires?.getTime() ?? undefined) === (baseOptions.expires?.getTime() ?? undefined)
    return same ? undefined : this.effective().attributes
  }

  private copyOptions (template: SessionOptions): SessionOptions {
    const copy = { ...template }
    delete (copy as { name?: unknown }).name
    if (copy.expires instanceof Date) copy.expires = new Date(copy.expires.getTime())
    // cookie-session's sessionOptions carries the cookie name too; code written for it reads it.
    return Object.defineProperty(copy, 'name', { value: this.settings.name, enumerable: true, writable: false, configurable: false })
  }

  get signed (): boolean {
    return this.options?.signed ?? this.settings.attributes.signed
  }

  effective (): Effective {
    if (this.options === undefined) return this.settings
    const effective = checkSessionOptions(this.options, this.settings.name)
    if (effective.attributes.signed && this.settings.signer === undefined && this.settings.cipher === undefined) {
      throw new SessionOptionError('option "signed" is true for this request, but the middleware has no keys to sign with')
    }
    return effective
  }

  accepts (state: SessionState): boolean {
    const verdict: unknown = (this.settings.validate as NonNullable<Settings['validate']>)(state.proxy, this.request)
    if (typeof (verdict as Promise<unknown> | undefined)?.then === 'function') {
      // An async validate would look truthy and accept every session. Its rejection is reported, not left unhandled.
      (verdict as Promise<unknown>).then(undefined, (err: unknown) => this.reportError(err))
      throw new SessionOptionError('option "validate" must return a boolean, not a Promise: it runs synchronously when req.session is first read')
    }
    return Boolean(verdict)
  }

  beforeSave (state: SessionState): void {
    const result: unknown = (this.settings.beforeSave as NonNullable<Settings['beforeSave']>)(state.proxy, this.request)
    if (typeof (result as Promise<unknown> | undefined)?.then === 'function') {
      // The cookie is written now, with what the hook did before its first await; say so, and
      // report a rejection instead of leaving it unhandled.
      this.reportError(new SessionWriteError('option "beforeSave" returned a Promise: it must be synchronous, and what it did after its first await was not saved'))
      ;(result as Promise<unknown>).then(undefined, (err: unknown) => this.reportError(err))
    }
  }

  fresh (): SessionState {
    return new SessionState(this, {}, true, undefined)
  }

  /** Bytes of the session cookie's Set-Cookie string (all its chunks' together) if it were written now. */
  encodedSize (session: SessionState): number {
    return this.persistence.measure(session, this.effective()).size
  }

  /** How many cookies the session would take if written now (1 unless chunked). */
  encodedChunks (session: SessionState): number {
    if (!this.settings.chunked) return 1
    return this.persistence.measure(session, this.effective()).chunks
  }

  /**
   * `previous` (the response's Set-Cookie lines) with this session's cookies added, or undefined
   * when the session was not touched or need not be written. Throws (or rejects with) a
   * `SessionError` when the cookie cannot be written; then nothing may be. Runs the beforeSave hook.
   */
  setCookies (previous: readonly string[]): MaybePromise<string[] | undefined> {
    const effective = this.effective()
    return after(this.persistence.cookies(effective), (writes) => {
      if (writes === undefined) return undefined
      const formatted = writes.filter((write) => write.line !== undefined)
      if (formatted.length === 0) return this.jar.setCookies(previous, writes, this.secure(effective.attributes), effective.maxSize)
      const rest = writes.filter((write) => write.line === undefined)
      const lines = rest.length === 0 ? previous.slice() : this.jar.setCookies(previous, rest, this.secure(effective.attributes), effective.maxSize)
      return after(lines, (merged) => withLines(merged, formatted, effective.maxSize))
    })
  }

  /**
   * The cookies this response needs as writes, before any line is made (undefined when none), with
   * the Secure attribute and size limit they take: for an adapter that writes through a framework's
   * cookie store, one cookie at a time (the `.sig` is then the adapter's to sign). Throws (or
   * rejects with) what setCookies() would; runs the beforeSave hook.
   */
  cookieWrites (): MaybePromise<CookieWrites | undefined> {
    const effective = this.effective()
    return after(this.persistence.cookies(effective), (writes) => writes === undefined
      ? undefined
      : { writes, secure: this.secure(effective.attributes), maxSize: effective.maxSize })
  }

  /** setCookies() where nothing may wait: the Node adapters' headers hook. */
  setCookiesNow (previous: readonly string[]): string[] | undefined {
    return settled(this.setCookies(previous), 'writing the session cookie')
  }

  secure (attributes: CookieAttributes): boolean {
    const secureConnection = this.isSecure()
    if (attributes.secure === true && !secureConnection) throw new InsecureConnectionError(this.settings.name)
    const secure = attributes.secure ?? secureConnection
    // Browsers drop a SameSite=None or Partitioned cookie that is not Secure: refuse to send one they would drop.
    if (!secure && (attributes.sameSite === 'none' || attributes.partitioned)) {
      throw new InsecureConnectionError(this.settings.name, attributes.partitioned ? 'partitioned' : 'sameSite "none"')
    }
    return secure
  }
}

/**
 * `lines` with the Set-Cookie lines of `writes` added (express-session's cookie, formatted by the
 * persistence): an earlier line of the same name goes where `overwrite` says so. Throws
 * `SessionTooLargeError` for a line over `maxSize`.
 */
function withLines (lines: string[], writes: readonly CookieWrite[], maxSize: number): string[] {
  let merged = lines
  for (const write of writes) {
    const line = write.line as string
    if (line.length > maxSize) throw new SessionTooLargeError(write.name, line.length, maxSize)
    if (write.attributes.overwrite) merged = merged.filter((other) => lineName(other) !== write.name)
    merged.push(line)
  }
  return merged
}
