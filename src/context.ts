// One request's session, with no knowledge of any HTTP framework: loads the session from a Cookie
// header when first asked, and at the end says which Set-Cookie lines the response needs.
import { decodeText, encode, parse, type SessionData } from './codec.js'
import { attributeString, expiryOf, readCookie, type CookieAttributes } from './cookie.js'
import { InsecureConnectionError, SessionTooLargeError } from './errors.js'
import { checkSessionOptions, type SessionOptions, type Settings } from './options.js'
import { SessionState, type SessionHost } from './session.js'
import { debug } from './report.js'

/** A Set-Cookie line and the cookie name it sets (for replacing earlier lines of the same name). */
export interface SetCookie {
  readonly name: string
  readonly line: string
  /** Replace earlier Set-Cookie lines of the same name in this response. */
  readonly overwrite: boolean
}

interface Effective {
  readonly attributes: CookieAttributes
  readonly maxSize: number
}

export abstract class SessionContext implements SessionHost {
  readonly settings: Settings
  /** undefined: not loaded yet; null: destroyed; else the session. */
  protected state: SessionState | null | undefined
  private options: SessionOptions | undefined
  /** The raw cookie value the session was loaded from, when its signature (if any) verified. */
  private loadedValue: string | undefined
  /** It verified with an older key: re-issue it signed with keys[0]. */
  private reissue = false
  /** The `.sig` cookie did not verify: clear it. */
  private clearSignature = false
  /** The app assigned an object to req.session. */
  private replaced = false
  /** Send the cookie even if unchanged (req.session.touch()). */
  private touched = false

  constructor (settings: Settings) {
    this.settings = settings
  }

  /** The request's Cookie header. */
  protected abstract cookieHeader (): string | undefined
  /** Whether the connection is HTTPS (directly, or through a trusted proxy). */
  protected abstract isSecure (): boolean

  get session (): SessionData | null {
    if (this.state === undefined) this.state = this.load()
    return this.state === null ? null : this.state.proxy
  }

  set session (value: unknown) {
    if (value === null || value === undefined) {
      this.state = null
    } else if (typeof value === 'object') {
      this.state = SessionState.from(this, value)
      this.replaced = true
    } else {
      // cookie-session's message, kept so existing checks still match.
      throw new TypeError('req.session can only be set as null or an object.')
    }
  }

  regenerate (): void {
    this.session = {}
  }

  destroy (): void {
    this.state = null
  }

  reload (): void {
    this.replaced = false
    this.reissue = false
    this.clearSignature = false
    this.loadedValue = undefined
    this.state = this.load()
  }

  check (): void {
    this.commit()
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
    return this.options === undefined ? this.settings : checkSessionOptions(this.options)
  }

  private load (): SessionState {
    const header = this.cookieHeader()
    const { settings } = this
    const value = header ? readCookie(header, settings.pattern) : undefined
    if (!value) return this.fresh()
    const signed = this.options?.signed ?? settings.attributes.signed
    if (signed && settings.signer !== undefined) {
      const signature = readCookie(header as string, settings.sigPattern)
      if (!signature) return this.fresh()
      const index = settings.signer.index(settings.name + '=' + value, signature)
      if (index < 0) {
        debug('signature of %s did not verify', settings.name)
        this.clearSignature = true
        return this.fresh()
      }
      this.reissue = index > 0
    }
    const json = decodeText(value)
    const data = parse(json)
    if (data === undefined) {
      debug('cookie %s is not a session; starting a new one', settings.name)
      this.reissue = false
      return this.fresh()
    }
    this.loadedValue = value
    return new SessionState(this, data, false, json)
  }

  /** Whether the request carried a session cookie (valid or not). */
  private broughtCookie (): boolean {
    if (this.loadedValue !== undefined) return true
    const header = this.cookieHeader()
    return header !== undefined && !!readCookie(header, this.settings.pattern)
  }

  private fresh (): SessionState {
    return new SessionState(this, {}, true, undefined)
  }

  /** Bytes of the session cookie's Set-Cookie string if it were written now. */
  encodedSize (state: SessionState): number {
    const { attributes } = this.effective()
    const secure = attributes.secure ?? this.isSecure()
    return this.settings.name.length + 1 + encode(state.serialize()).length +
      attributeString(attributes, secure, expiryOf(attributes, Date.now())).length
  }

  /**
   * The Set-Cookie lines this response needs; none when the session was not touched or did not
   * change. Throws a `SessionError` (and then nothing may be written) when the cookie cannot be.
   */
  commit (): SetCookie[] {
    const { state } = this
    if (state === undefined) return []
    if (state === null) return this.lines('', this.effective(), 0)
    const shouldWrite = (!state.isNew || state.isPopulated) && (this.touched || state.isChanged)
    if (shouldWrite) return this.lines(encode(state.serialize()), this.effective(), undefined)
    if (this.replaced && !state.isPopulated && this.broughtCookie()) {
      // The loaded session was replaced by an empty one: the old cookie must not live on.
      return this.lines('', this.effective(), 0)
    }
    if (this.reissue && this.loadedValue !== undefined) return this.lines(this.loadedValue, this.effective(), undefined)
    if (this.clearSignature) return this.clearedSignature(this.effective().attributes)
    return []
  }

  private lines (value: string, { attributes, maxSize }: Effective, expiresAt: number | undefined): SetCookie[] {
    const { name, sigName, signer } = this.settings
    const secure = this.secureAttribute(attributes)
    const attrs = attributeString(attributes, secure, expiresAt ?? expiryOf(attributes, Date.now()))
    const pair = name + '=' + value
    const line = pair + attrs
    if (line.length > maxSize) throw new SessionTooLargeError(name, line.length, maxSize)
    const { overwrite } = attributes
    if (!attributes.signed || signer === undefined) return [{ name, line, overwrite }]
    const sigLine = sigName + '=' + signer.sign(pair) + attrs
    if (sigLine.length > maxSize) throw new SessionTooLargeError(sigName, sigLine.length, maxSize)
    return [{ name, line, overwrite }, { name: sigName, line: sigLine, overwrite }]
  }

  private clearedSignature (attributes: CookieAttributes): SetCookie[] {
    const { sigName } = this.settings
    const line = sigName + '=' + attributeString(attributes, this.secureAttribute(attributes), 0)
    return [{ name: sigName, line, overwrite: attributes.overwrite }]
  }

  private secureAttribute (attributes: CookieAttributes): boolean {
    const secureConnection = this.isSecure()
    if (attributes.secure === true && !secureConnection) throw new InsecureConnectionError(this.settings.name)
    return attributes.secure ?? secureConnection
  }
}
