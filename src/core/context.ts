// One request's session, with no knowledge of any HTTP framework: loads the session from the
// request's cookies when first asked, and at the end decides which cookies the response needs.
// The cookie format (signing, sealing) is envelope.ts's; the wire is jar.ts's.
import { InsecureConnectionError, SessionOptionError, SessionWriteError } from '../errors.js'
import type { CookieAttributes } from '../options/cookie.js'
import { checkSessionOptions, type SessionOptions, type Settings } from '../options/settings.js'
import { debug } from '../report.js'
import { parse } from '../wire/codec.js'
import { readChunks, writeChunks } from './chunking.js'
import { open, seal, tooLong } from './envelope.js'
import { isExpired, unstamp, withStamp, type Stamp } from './expiry.js'
import { Jar, type CookieSource, type CookieWrite, type Effective } from './jar.js'
import type { SessionHost } from './session-methods.js'
import { SessionState, type Session } from './session.js'
import { StoreLifecycle, type StoreHost } from './store-context.js'
import { sessionStoreFor } from './store.js'

/**
 * What one load of the cookie found and what the app has done since: reset together, by
 * replacing the record, when the session is loaded again (reload()).
 */
class LoadRecord {
  /** The expiry stamp of the session read from the cookie. */
  stamp: Stamp | undefined = undefined
  /** The cookie value the session was read from, when it can be sent again as it is (signed, unstamped). */
  value: string | undefined = undefined
  /** Valid, but signed with an older key or in an older format: write it again. */
  reissue = false
  /** The `.sig` cookie did not verify: clear it. */
  clearSignature = false
  /** The cookie was authentic but is not to be used (expired, rejected by validate, undecryptable). */
  discarded = false
  /** The app assigned an object to the session. */
  replaced = false
  /** Send the cookie even if unchanged (session.touch()). */
  resend = false
  /** regenerate() or destroy happened: a session made after it is a new one (new creation time). */
  restarted = false
}

export abstract class SessionContext implements SessionHost, StoreHost {
  readonly settings: Settings
  /** The framework's request object, handed to the validate and beforeSave hooks. */
  protected readonly request: unknown
  /** undefined: not loaded yet; null: destroyed; else the session. (Read by the store lifecycle too.) */
  state: SessionState | null | undefined
  /** With the `store` option: the session lives in the store, the cookie holds its id (store-context.ts). */
  readonly stored: StoreLifecycle | undefined
  private readonly source: CookieSource
  private jarOf: Jar | undefined
  private options: SessionOptions | undefined
  record = new LoadRecord()

  constructor (settings: Settings, request: unknown, source: CookieSource) {
    this.settings = settings
    this.request = request
    this.source = source
    this.stored = settings.store === undefined ? undefined : new StoreLifecycle(this, sessionStoreFor(settings.store))
  }

  /** Whether the app touched the session at all (if not, there is nothing to write). */
  get accessed (): boolean {
    return this.state !== undefined
  }

  /** Whether the connection is HTTPS (directly, or through a trusted proxy). */
  protected abstract isSecure (): boolean

  /** Hands a failure to the app's onError with the adapter's own arguments (or warns once). */
  abstract reportError (err: unknown): void

  get jar (): Jar {
    this.jarOf ??= new Jar(this.source, this.settings.signer)
    return this.jarOf
  }

  get session (): Session | null {
    if (this.state === undefined) this.state = this.load()
    return this.state === null ? null : this.state.proxy
  }

  set session (value: unknown) {
    if (value === null || value === undefined) {
      this.state = null
      this.record.restarted = true
    } else if (typeof value === 'object') {
      this.state = SessionState.from(this, value)
      this.record.replaced = true
    } else {
      // cookie-session's message, kept so existing checks still match.
      throw new TypeError('req.session can only be set as null or an object.')
    }
  }

  regenerate (): void | Promise<void> {
    this.session = {}
    this.record.restarted = true
    return this.stored?.drop()
  }

  destroy (): void | Promise<void> {
    this.session = null
    return this.stored?.drop()
  }

  reload (): void | Promise<void> {
    if (this.stored !== undefined) return this.stored.reload().then(() => this.loadAgain())
    this.loadAgain()
  }

  private loadAgain (): void {
    this.record = new LoadRecord()
    this.state = this.load()
  }

  touch (): void {
    this.record.resend = true
  }

  /** Throws the error that writing the cookie now would meet, if any (session.save()); runs no hook. */
  check (): void | Promise<void> {
    if (this.stored !== undefined) return this.stored.save(false)
    this.writes(false, this.effective())
  }

  /**
   * `req.sessionOptions`: a copy of the cookie options, made on first access, deep enough that
   * nothing done to it (`expires.setFullYear()`) reaches other requests; `name` is read-only.
   */
  get sessionOptions (): SessionOptions {
    this.options ??= this.copyOptions(this.settings.sessionOptions)
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
    this.options = this.copyOptions({ ...this.settings.sessionOptions, ...value })
  }

  private copyOptions (template: SessionOptions): SessionOptions {
    const copy = { ...template }
    delete (copy as { name?: unknown }).name
    if (copy.expires instanceof Date) copy.expires = new Date(copy.expires.getTime())
    // cookie-session's sessionOptions carries the cookie name too; code written for it reads it.
    return Object.defineProperty(copy, 'name', { value: this.settings.name, enumerable: true, writable: false, configurable: false })
  }

  effective (): Effective {
    if (this.options === undefined) return this.settings
    const effective = checkSessionOptions(this.options, this.settings.name)
    if (effective.attributes.signed && this.settings.signer === undefined && this.settings.cipher === undefined) {
      throw new SessionOptionError('option "signed" is true for this request, but the middleware has no keys to sign with')
    }
    return effective
  }

  private load (): SessionState {
    return this.stored === undefined ? this.loadCookie() : this.stored.state()
  }

  /** The session in the request's cookie (in store mode: a cookie-mode session, to be moved into the store). */
  loadCookie (): SessionState {
    const { settings, record } = this
    let value = this.jar.get(settings.name)
    if (!value) return this.fresh()
    // Longer than any cookie this middleware could have written: refused before any crypto, so
    // garbage never costs more than a real session.
    if (tooLong(settings, value)) {
      debug('cookie %s is longer than maxSize; starting a new session', settings.name)
      return this.fresh()
    }
    if (settings.chunked && (value = readChunks(this.jar, settings, value)) === undefined) {
      debug('chunks of %s are missing, extra or too long; starting a new session', settings.name)
      record.discarded = true
      return this.fresh()
    }
    const signed = this.options?.signed ?? settings.attributes.signed
    const opened = open(settings, value, signed, () => this.jar.get(settings.sigName))
    if (opened === 'forged') {
      debug('signature of %s did not verify', settings.name)
      record.clearSignature = true
      return this.fresh()
    }
    if (opened === 'undecryptable' || opened === 'uninflatable') {
      debug('cookie %s did not %s', settings.name, opened === 'undecryptable' ? 'decrypt' : 'inflate')
      record.discarded = true
      return this.fresh()
    }
    if (opened === undefined) return this.fresh()
    // A cookie from before stamping was on has no stamp: expired under a timeout, re-issued under renew.
    const stamped = settings.stamped ? unstamp(opened.json) : undefined
    const json = stamped === undefined ? opened.json : stamped.json
    const data = parse(json)
    if (data === undefined) {
      debug('cookie %s is not a session; starting a new one', settings.name)
      return this.fresh()
    }
    const stamp = stamped?.stamp
    if (isExpired(stamp, settings, Date.now())) {
      debug('session in %s has expired', settings.name)
      record.discarded = true
      return this.fresh()
    }
    const state = new SessionState(this, data, false, json)
    if (settings.validate !== undefined && !this.validated(state)) {
      debug('validate() rejected the session in %s', settings.name)
      record.discarded = true
      return this.fresh()
    }
    record.reissue = opened.reissue
    record.stamp = stamp
    if (!settings.stamped && settings.cipher === undefined && !settings.chunked) record.value = value
    return state
  }

  validated (state: SessionState): boolean {
    const verdict: unknown = (this.settings.validate as NonNullable<Settings['validate']>)(state.proxy, this.request)
    if (typeof (verdict as Promise<unknown> | undefined)?.then === 'function') {
      // An async validate would look truthy and accept every session. Its rejection is reported, not left unhandled.
      (verdict as Promise<unknown>).then(undefined, (err: unknown) => this.reportError(err))
      throw new SessionOptionError('option "validate" must return a boolean, not a Promise: it runs synchronously when req.session is first read')
    }
    return Boolean(verdict)
  }

  hasCookie (name: string): boolean {
    return !!this.jar.get(name)
  }

  fresh (): SessionState {
    return new SessionState(this, {}, true, undefined)
  }

  /** The cookie value for a session's JSON text as it is now. */
  private valueOf (session: { serialize (): string, readonly isChanged?: boolean }): string {
    const { settings, record } = this
    // Re-issued unchanged (rotation, touch, rolling): the value it came in is already right.
    if (record.value !== undefined && session.isChanged === false) return record.value
    let json = session.serialize()
    if (settings.stamped) {
      const now = Date.now()
      json = withStamp(json, [this.createdAt(now), now])
    }
    return seal(settings, json)
  }

  /**
   * When the session was created, for its stamp: replacing the contents (req.session = {...})
   * keeps its age; only regenerate() or destroying starts a new one, so absoluteTimeout cannot be dodged.
   */
  createdAt (now: number): number {
    const { record } = this
    return record.stamp !== undefined && !record.restarted ? record.stamp[0] : now
  }

  /** Bytes of the session cookie's Set-Cookie string (all its chunks' together) if it were written now. */
  encodedSize (session: { serialize (): string }): number {
    const { attributes, maxSize } = this.effective()
    const value = this.stored === undefined ? this.valueOf(session) : this.stored.cookieValue()
    const write: CookieWrite = { name: this.settings.name, value, attributes, signed: false }
    const secure = attributes.secure ?? this.isSecure()
    if (this.settings.chunked) return writeChunks(this.jar, this.settings, write, [], secure, maxSize, Infinity).size
    const [line] = this.jar.setCookies([], [write], secure, Infinity)
    return (line as string).length
  }

  /** How many cookies the session would take if written now (1 unless chunked). */
  encodedChunks (session: { serialize (): string }): number {
    if (!this.settings.chunked) return 1
    const { attributes, maxSize } = this.effective()
    const write: CookieWrite = { name: this.settings.name, value: this.valueOf(session), attributes, signed: false }
    return writeChunks(this.jar, this.settings, write, [], attributes.secure ?? this.isSecure(), maxSize, Infinity).chunks
  }

  /**
   * `previous` (the response's Set-Cookie lines) with this session's cookies added, or undefined
   * when the session was not touched or need not be written. Throws a `SessionError` (and then
   * nothing may be written) when the cookie cannot be. Runs the beforeSave hook.
   */
  setCookies (previous: readonly string[]): string[] | undefined {
    const effective = this.effective()
    const writes = this.writes(true, effective)
    if (writes === undefined) return undefined
    return this.jar.setCookies(previous, writes, this.secureAttribute(effective.attributes), effective.maxSize)
  }

  /**
   * The cookies this response needs; undefined for none. `final`: the response is going out, so
   * the beforeSave hook runs; otherwise (save()) the cookies are only measured.
   */
  private writes (final: boolean, effective: Effective): CookieWrite[] | undefined {
    const { state, settings, record } = this
    if (state === undefined) return undefined
    if (this.stored !== undefined) return this.stored.cookies(effective)
    if (state === null) return this.sessionCookies('', effective)
    const stored = !state.isNew || state.isPopulated
    if (stored && (state.isChanged || this.mustResend(effective))) {
      if (final && settings.beforeSave !== undefined) this.beforeSave(state)
      const writes = this.sessionCookies(this.valueOf(state), effective)
      // Checks size and connection now, for save(); the real write measures again.
      if (!final) this.jar.setCookies([], writes, this.secureAttribute(effective.attributes), effective.maxSize)
      return writes
    }
    if (!stored && (record.replaced || record.discarded) && this.hasCookie(settings.name)) {
      // The request's session was replaced by an empty one, or is not to be used: the cookie must not live on.
      return this.sessionCookies('', effective)
    }
    if (record.clearSignature) return [this.clearedSignature(effective.attributes)]
    return undefined
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

  /** An unchanged session is written again when touched, rolling, due for renewal, or in need of re-issue. */
  mustResend ({ attributes }: Effective): boolean {
    const { rolling, renew } = this.settings
    const { record } = this
    if (record.resend || record.reissue || rolling) return true
    if (!renew || attributes.maxAge === undefined) return false
    return record.stamp === undefined || Date.now() - record.stamp[1] > attributes.maxAge / 2
  }

  /** The session cookie with `value` ('' expires it), signed or sealed as the settings say. */
  sessionCookies (value: string, effective: Effective): CookieWrite[] {
    const { attributes } = effective
    const { name, sigName, signer, cipher, chunked } = this.settings
    let main: CookieWrite
    let others: CookieWrite[] = []
    if (cipher !== undefined) {
      // Encrypted cookies need no .sig; one left from before encryption is cleared.
      main = { name, value, attributes, signed: false }
      if (this.hasCookie(sigName)) others = [this.clearedSignature(attributes)]
    } else {
      // A store's id cookie is always signed (a per-request signed: false would write one the next request refuses).
      main = { name, value, attributes, signed: (attributes.signed || this.settings.store !== undefined) && signer !== undefined }
    }
    if (!chunked) return [main, ...others]
    const secure = attributes.secure ?? this.isSecure()
    return writeChunks(this.jar, this.settings, main, others, secure, effective.maxSize, this.settings.maxTotalSize).writes
  }

  clearedSignature (attributes: CookieAttributes): CookieWrite {
    return { name: this.settings.sigName, value: '', attributes, signed: false }
  }

  private secureAttribute (attributes: CookieAttributes): boolean {
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
