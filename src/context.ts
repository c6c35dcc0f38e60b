// One request's session, with no knowledge of any HTTP framework: loads the session from a Cookie
// header when first asked, and at the end says which Set-Cookie lines the response needs.
import { decodeText, encode, parse } from './codec.js'
import { attributeString, expiryOf, readCookie, type CookieAttributes, type SetCookie } from './cookie.js'
import { isSealed } from './encryption.js'
import { InsecureConnectionError, SessionOptionError, SessionTooLargeError } from './errors.js'
import { isExpired, nowSeconds, readStamp, withStamp, type Stamp } from './expiry.js'
import { checkSessionOptions, type SessionOptions, type Settings } from './options.js'
import { debug } from './report.js'
import { SessionState, type Session, type SessionHost } from './session.js'

interface Effective {
  readonly attributes: CookieAttributes
  readonly maxSize: number
}

/** The JSON text of an authentic cookie, and whether it must be written again (older key or format). */
interface Opened {
  readonly json: string
  readonly reissue: boolean
}

export abstract class SessionContext implements SessionHost {
  readonly settings: Settings
  /** The framework's request object, handed to the validate and beforeSave hooks. */
  protected readonly request: unknown
  /** undefined: not loaded yet; null: destroyed; else the session. */
  protected state: SessionState | null | undefined
  private options: SessionOptions | undefined
  /** The session as read from a valid cookie, and its expiry stamp. */
  private loaded: SessionState | undefined
  private stamp: Stamp | undefined
  /** Valid, but signed with an older key or in an older format: write it again. */
  private reissue = false
  /** The `.sig` cookie did not verify: clear it. */
  private clearSignature = false
  /** The cookie was authentic but is not to be used (expired, rejected by validate, undecryptable). */
  private discarded = false
  /** The app assigned an object to req.session. */
  private replaced = false
  /** Send the cookie even if unchanged (req.session.touch()). */
  private touched = false
  /** regenerate() or destroy happened: a session made after it is a new one (new creation time). */
  private restarted = false

  constructor (settings: Settings, request: unknown) {
    this.settings = settings
    this.request = request
  }

  /** Whether the app touched req.session at all (if not, there is nothing to write). */
  get accessed (): boolean {
    return this.state !== undefined
  }

  /** The request's Cookie header. */
  protected abstract cookieHeader (): string | undefined
  /** Whether the connection is HTTPS (directly, or through a trusted proxy). */
  protected abstract isSecure (): boolean

  get session (): Session | null {
    if (this.state === undefined) this.state = this.load()
    return this.state === null ? null : this.state.proxy
  }

  set session (value: unknown) {
    if (value === null || value === undefined) {
      this.state = null
      this.restarted = true
    } else if (typeof value === 'object') {
      this.state = SessionState.from(this, value, this.settings.stamped)
      this.replaced = true
    } else {
      // cookie-session's message, kept so existing checks still match.
      throw new TypeError('req.session can only be set as null or an object.')
    }
  }

  regenerate (): void {
    this.session = {}
    this.restarted = true
  }

  destroy (): void {
    this.session = null
  }

  reload (): void {
    this.replaced = this.reissue = this.clearSignature = this.discarded = this.restarted = false
    this.loaded = this.stamp = undefined
    this.state = this.load()
  }

  check (): void {
    this.setCookies(false)
  }

  touch (): void {
    this.touched = true
  }

  /** `req.sessionOptions`: a copy of the cookie options, made on first access. */
  get sessionOptions (): SessionOptions {
    this.options ??= { ...this.settings.sessionOptions }
    return this.options
  }

  set sessionOptions (value: SessionOptions) {
    if (value === null || typeof value !== 'object') {
      throw new TypeError('req.sessionOptions can only be set to an object of cookie options')
    }
    // Options the object leaves out keep the middleware's values (cookie-session would fall back to
    // the cookie defaults, silently turning e.g. signed: false back on).
    this.options = { ...this.settings.sessionOptions, ...value }
  }

  private effective (): Effective {
    if (this.options === undefined) return this.settings
    const effective = checkSessionOptions(this.options)
    if (effective.attributes.signed && this.settings.signer === undefined && this.settings.cipher === undefined) {
      throw new SessionOptionError('option "signed" is true for this request, but the middleware has no keys to sign with')
    }
    return effective
  }

  private load (): SessionState {
    const header = this.cookieHeader()
    const { settings } = this
    const value = header ? readCookie(header, settings.name) : undefined
    if (!value) return this.fresh()
    const opened = this.open(header as string, value)
    if (opened === undefined) return this.fresh()
    const data = parse(opened.json)
    if (data === undefined) {
      debug('cookie %s is not a session; starting a new one', settings.name)
      return this.fresh()
    }
    const stamp = settings.stamped ? readStamp(data) : undefined
    if (isExpired(stamp, settings, Date.now())) {
      debug('session in %s has expired', settings.name)
      this.discarded = true
      return this.fresh()
    }
    const state = new SessionState(this, data, false, opened.json, settings.stamped)
    if (settings.validate !== undefined && !this.validated(state)) {
      debug('validate() rejected the session in %s', settings.name)
      this.discarded = true
      return this.fresh()
    }
    this.reissue = opened.reissue
    this.stamp = stamp
    this.loaded = state
    return state
  }

  private validated (state: SessionState): boolean {
    const verdict: unknown = (this.settings.validate as NonNullable<Settings['validate']>)(state.proxy, this.request)
    if (typeof (verdict as Promise<unknown> | undefined)?.then === 'function') {
      // An async validate would look truthy and accept every session.
      throw new SessionOptionError('option "validate" must return a boolean, not a Promise: it runs synchronously when req.session is first read')
    }
    return Boolean(verdict)
  }

  /** The JSON in the cookie when it is authentic, else undefined. */
  private open (header: string, value: string): Opened | undefined {
    const { name, cipher, signer } = this.settings
    if (cipher !== undefined && isSealed(value)) {
      const opened = cipher.open(value, name)
      if (opened === undefined) {
        debug('cookie %s did not decrypt', name)
        this.discarded = true
        return undefined
      }
      return { json: opened.json, reissue: opened.index > 0 }
    }
    const signed = this.options?.signed ?? this.settings.attributes.signed
    // Signed but no keys (signed: true set per request on an unsigned middleware): nothing verifies.
    if (signed && signer === undefined && cipher === undefined) return undefined
    if (signed && signer !== undefined) {
      const signature = readCookie(header, this.settings.sigName)
      if (!signature) return undefined
      const index = signer.index(name + '=' + value, signature)
      if (index < 0) {
        debug('signature of %s did not verify', name)
        this.clearSignature = true
        return undefined
      }
      // With encryption on, a signed cookie from before it was switched on is still accepted (while its
      // key is in keys) and re-issued encrypted.
      return { json: decodeText(value), reissue: index > 0 || cipher !== undefined }
    }
    // Once encryption is on, an unsigned plain cookie would be a forgery.
    return cipher === undefined ? { json: decodeText(value), reissue: false } : undefined
  }

  private hasCookie (name: string): boolean {
    const header = this.cookieHeader()
    return header !== undefined && !!readCookie(header, name)
  }

  private fresh (): SessionState {
    return new SessionState(this, {}, true, undefined, this.settings.stamped)
  }

  /** The cookie value for the session as it is now. */
  private valueOf (state: SessionState): string {
    const { settings } = this
    let json = state.serialize()
    if (settings.stamped) {
      const now = nowSeconds()
      // Replacing the contents (req.session = {...req.session}) keeps the session's age; only
      // regenerate() or destroying starts a new one, so absoluteTimeout cannot be dodged.
      const created = this.stamp !== undefined && !this.restarted ? this.stamp[0] : now
      json = withStamp(json, [created, now])
    }
    return settings.cipher === undefined ? encode(json) : settings.cipher.seal(json, settings.name)
  }

  /** Bytes of the session cookie's Set-Cookie string if it were written now. */
  encodedSize (state: SessionState): number {
    const { attributes } = this.effective()
    const secure = attributes.secure ?? this.isSecure()
    return this.settings.name.length + 1 + this.valueOf(state).length +
      attributeString(attributes, secure, expiryOf(attributes, Date.now())).length
  }

  /**
   * The Set-Cookie lines this response needs; none when the session was not touched or did not
   * change. Throws a `SessionError` (and then nothing may be written) when the cookie cannot be.
   * `final` is false for a check (req.session.save()) that must not run the beforeSave hook.
   */
  setCookies (final = true): SetCookie[] {
    const { state } = this
    if (state === undefined) return []
    const effective = this.effective()
    if (state === null) return this.lines('', effective, 0)
    const stored = !state.isNew || state.isPopulated
    if (stored && (state.isChanged || this.mustResend(effective))) {
      if (final && this.settings.beforeSave !== undefined) this.settings.beforeSave(state.proxy, this.request)
      return this.lines(this.valueOf(state), effective, undefined)
    }
    if (!stored && (this.replaced || this.discarded) && this.hasCookie(this.settings.name)) {
      // The request's session was replaced by an empty one, or is not to be used: the cookie must not live on.
      return this.lines('', effective, 0)
    }
    if (this.clearSignature) return [this.clearedSignature(effective.attributes)]
    return []
  }

  /** An unchanged session is written again when touched, rolling, due for renewal, or in need of re-issue. */
  private mustResend ({ attributes }: Effective): boolean {
    const { rolling, renew } = this.settings
    if (this.touched || this.reissue || rolling) return true
    if (!renew || attributes.maxAge === undefined) return false
    return this.stamp === undefined || Date.now() - this.stamp[1] * 1000 > attributes.maxAge / 2
  }

  private lines (value: string, { attributes, maxSize }: Effective, expiresAt: number | undefined): SetCookie[] {
    const { name, sigName, signer, cipher } = this.settings
    const secure = this.secureAttribute(attributes)
    const attrs = attributeString(attributes, secure, expiresAt ?? expiryOf(attributes, Date.now()))
    const pair = name + '=' + value
    const line = pair + attrs
    if (line.length > maxSize) throw new SessionTooLargeError(name, line.length, maxSize)
    const { overwrite } = attributes
    if (cipher !== undefined) {
      // Encrypted cookies need no .sig; one left from before encryption is cleared.
      const main = { name, line, overwrite }
      return this.hasCookie(this.settings.sigName) ? [main, this.clearedSignature(attributes)] : [main]
    }
    if (!attributes.signed || signer === undefined) return [{ name, line, overwrite }]
    const sigLine = sigName + '=' + signer.sign(pair) + attrs
    if (sigLine.length > maxSize) throw new SessionTooLargeError(sigName, sigLine.length, maxSize)
    return [{ name, line, overwrite }, { name: sigName, line: sigLine, overwrite }]
  }

  private clearedSignature (attributes: CookieAttributes): SetCookie {
    const { sigName } = this.settings
    const line = sigName + '=' + attributeString(attributes, this.secureAttribute(attributes), 0)
    return { name: sigName, line, overwrite: attributes.overwrite }
  }

  private secureAttribute (attributes: CookieAttributes): boolean {
    const secureConnection = this.isSecure()
    if (attributes.secure === true && !secureConnection) throw new InsecureConnectionError(this.settings.name)
    return attributes.secure ?? secureConnection
  }
}
