// The whole session in the cookie (cookie-session's way): read from the request's cookie when first
// needed, written back as the response's Set-Cookie lines when it changed (or must be re-sent).
// The value's format is envelope.ts's; chunks are chunked-cookies.ts's; the wire is the jar's.
import { SessionOptionError } from '../errors.js'
import type { Effective } from '../options/settings.js'
import { settled, after, type MaybePromise } from '../platform/maybe.js'
import type { CookieAttributes, CookieWrite } from '../platform/types.js'
import { parse, type SessionData } from '../wire/codec.js'
import { readIronCookie } from '../wire/iron.js'
import { readChunks, writeChunks } from './chunked-cookies.js'
import { encodedLength, encodeValue, openValue, tooLong, type Opened, type Rejected } from './envelope.js'
import { createdAt, isExpired, mustResend, unstamp, withStamp, type Stamp } from './expiry.js'
import type { Owner, Persistence } from './persistence.js'
import { SessionState } from './session.js'

/**
 * What the request's cookie held, once verified: the cookie value (chunks joined) and what opening
 * it gave ('chunks': its chunks did not add up, so it was not opened); or, when ours gave no
 * session, the data of the iron-session cookie the request carried (the `ironSession` option).
 */
interface Found {
  readonly value: string
  readonly opened: Opened | Rejected | 'chunks' | undefined
  readonly iron?: SessionData
}

/** No session cookie, or one dropped before any crypto. */
const NOTHING: Found = Object.freeze({ value: '', opened: undefined })
const BROKEN_CHUNKS: Found = Object.freeze({ value: '', opened: 'chunks' })

/** What one read of the cookie found: replaced as a whole when the session is read again (reload()). */
class Loaded {
  /** The expiry stamp of the session read from the cookie. */
  stamp: Stamp | undefined = undefined
  /** The cookie value the session was read from, when it can be sent again as it is (signed, unstamped). */
  value: string | undefined = undefined
  /** Valid, but signed with an older key or in an older format: write it again. */
  reissue = false
  /** The `.sig` cookie did not verify: clear it. */
  clearSignature = false
  /** The cookie was authentic but is not to be used (expired, rejected by validate, undecryptable): clear it. */
  discarded = false
}

export class CookiePersistence implements Persistence {
  readonly savesBeforeEnd = false
  private readonly owner: Owner
  /** The verified cookie, once read (or a promise of it, while the platform's crypto works). */
  private found: Found | Promise<void> | undefined
  private loaded = new Loaded()

  constructor (owner: Owner) {
    this.owner = owner
  }

  /** The `.sig` cookie did not verify (the response clears it). */
  get clearSignature (): boolean {
    return this.loaded.clearSignature
  }

  /** An authentic-looking cookie was not used (the response clears it). */
  get discarded (): boolean {
    return this.loaded.discarded
  }

  load (): Promise<void> | undefined {
    // A synchronous platform reads the cookie when the session is first read: untouched costs
    // nothing. Only an iron-session cookie (which Web Crypto unseals) may make it wait.
    if (this.found === undefined && (!this.owner.settings.platform.synchronous || this.ironSeal() !== undefined)) {
      const found = this.find()
      this.found = found instanceof Promise ? found.then((value) => { this.found = value }) : found
    }
    return this.found instanceof Promise ? this.found : undefined
  }

  reload (): Promise<void> | undefined {
    this.found = undefined
    this.loaded = new Loaded()
    return this.load()
  }

  /**
   * Reads and verifies the session cookie, or when it gives no session, the iron-session cookie:
   * the part of reading that may wait for the platform's crypto.
   */
  private find (): MaybePromise<Found> {
    const ours = this.findOurs()
    if (this.owner.settings.iron === undefined) return ours
    return after(ours, (found) => typeof found.opened === 'object' ? found : this.findIron(found))
  }

  /** The iron-session cookie's value (its iron-session 9 chunks joined), when the option is on and the request has one. */
  private ironSeal (): string | undefined {
    const { settings, jar } = this.owner
    return settings.iron === undefined ? undefined : readIronCookie(settings.iron.cookieName, (name) => jar.get(name))
  }

  /** The session in the iron-session cookie, or what ours gave (`ours`) when there is none. */
  private findIron (ours: Found): MaybePromise<Found> {
    const seal = this.ironSeal()
    if (seal === undefined) return ours
    const { platform, iron, name } = this.owner.settings
    platform.debug('no session in %s; reading the iron-session cookie %s', name, (iron as NonNullable<typeof iron>).cookieName)
    return platform.unsealIron(seal, (iron as NonNullable<typeof iron>).passwords).then((data) => data === undefined ? ours : { value: '', opened: undefined, iron: data })
  }

  /** Reads and verifies our session cookie. */
  private findOurs (): MaybePromise<Found> {
    const { settings, jar } = this.owner
    let value = jar.get(settings.name)
    if (!value) return NOTHING
    // Longer than any cookie this middleware could have written: refused before any crypto, so
    // garbage never costs more than a real session.
    if (tooLong(settings, value)) {
      settings.platform.debug('cookie %s is longer than maxSize; starting a new session', settings.name)
      return NOTHING
    }
    if (settings.chunked && (value = readChunks(jar, settings, value)) === undefined) {
      settings.platform.debug('chunks of %s are missing, extra or too long; starting a new session', settings.name)
      return BROKEN_CHUNKS
    }
    const found = value
    return after(openValue(settings, found, this.owner.signed, () => jar.get(settings.sigName)), (opened) => ({ value: found, opened }))
  }

  state (): SessionState {
    const found = this.found ??= settled(this.find(), 'reading the session cookie')
    if (found instanceof Promise) throw new Error('signed-cookie-session: the session was read while its cookie was still being verified (await the load first)')
    return this.stateOf(found)
  }

  /** The session a verified cookie holds, or a new one (noting why the cookie is not used). */
  private stateOf ({ value, opened, iron }: Found): SessionState {
    const { owner, loaded } = this
    const { settings } = owner
    const { debug } = settings.platform
    if (iron !== undefined) return this.imported(iron)
    if (opened === undefined) return owner.fresh()
    if (typeof opened === 'string') {
      if (opened === 'forged') {
        debug('signature of %s did not verify', settings.name)
        loaded.clearSignature = true
      } else {
        if (opened !== 'chunks') debug('cookie %s did not %s', settings.name, opened === 'undecryptable' ? 'decrypt' : 'inflate')
        loaded.discarded = true
      }
      return owner.fresh()
    }
    // A cookie from before stamping was on has no stamp: expired under a timeout, re-issued under renew.
    const stamped = settings.stamped ? unstamp(opened.json) : undefined
    const json = stamped === undefined ? opened.json : stamped.json
    const data = parse(json)
    if (data === undefined) {
      debug('cookie %s is not a session; starting a new one', settings.name)
      return owner.fresh()
    }
    const stamp = stamped?.stamp
    if (isExpired(stamp, settings, Date.now())) {
      debug('session in %s has expired', settings.name)
      loaded.discarded = true
      return owner.fresh()
    }
    const state = new SessionState(owner, data, false, json)
    if (settings.validate !== undefined && !owner.accepts(state)) {
      debug('validate() rejected the session in %s', settings.name)
      loaded.discarded = true
      return owner.fresh()
    }
    loaded.reissue = opened.reissue
    loaded.stamp = stamp
    // Re-sent as it came, unless it is spelled in standard base64 where values are written url-safe.
    if (!settings.stamped && settings.cipher === undefined && !settings.chunked && !(settings.urlSafe && /[+/=]/.test(value))) loaded.value = value
    return state
  }

  /**
   * The session an iron-session cookie held: not new, written as ours by the response (as a cookie
   * signed with an older key is), with a new creation time (iron-session's own expiry was checked).
   */
  private imported (data: SessionData): SessionState {
    const { owner, loaded } = this
    const state = new SessionState(owner, data, false, undefined)
    if (owner.settings.validate !== undefined && !owner.accepts(state)) {
      owner.settings.platform.debug('validate() rejected the session in the iron-session cookie')
      return owner.fresh()
    }
    loaded.reissue = true
    return state
  }

  /** Nothing is kept anywhere but in the cookie, which the response expires. */
  drop (): undefined {
    return undefined
  }

  destroyAll (): never {
    throw new SessionOptionError('req.session.destroyAll() needs option "store": a session kept only in a cookie cannot be ' +
      'revoked on other devices (each browser holds its own copy); destroy() ends this one')
  }

  /** session.save(): throws (or rejects with) what writing the cookie now would meet; runs no hook. */
  save (final: boolean): MaybePromise<void> {
    const { owner } = this
    const { state } = owner
    if (final || state === undefined || state === null) return undefined
    const effective = owner.effective()
    if (!this.mustWrite(state, effective)) return undefined
    // Checks size and connection now; the real write measures again.
    const writes = after(this.valueOf(state), (value) => this.valueCookies(value, effective, effective.attributes.signed))
    return after(writes, (cookies) => after(owner.jar.setCookies([], cookies, owner.secure(effective.attributes), effective.maxSize), () => undefined))
  }

  /** Whether a session that is not destroyed is written: kept, and changed or due to be sent again. */
  private mustWrite (state: SessionState, effective: Effective): boolean {
    const kept = !state.isNew || state.isPopulated
    return kept && (state.isChanged || mustResend(this.owner.settings, effective, this.loaded, this.owner.acts.resend))
  }

  cookies (effective: Effective): MaybePromise<CookieWrite[] | undefined> {
    const { owner, loaded } = this
    const { state, settings } = owner
    if (state === undefined) return undefined
    const signed = effective.attributes.signed
    if (state === null) return this.valueCookies('', effective, signed)
    if (this.mustWrite(state, effective)) {
      if (settings.beforeSave !== undefined) owner.beforeSave(state)
      return after(this.valueOf(state), (value) => this.valueCookies(value, effective, signed))
    }
    if ((state.isNew && !state.isPopulated) && (owner.acts.replaced || loaded.discarded) && this.hasCookie(settings.name)) {
      // The request's session was replaced by an empty one, or is not to be used: the cookie must not live on.
      return this.valueCookies('', effective, signed)
    }
    if (loaded.clearSignature) return [this.clearedSignature(effective.attributes)]
    return undefined
  }

  /** The session's JSON text as the cookie carries it (with its stamp when timeouts or renew are on). */
  private payload (state: SessionState): string {
    const json = state.serialize()
    if (!this.owner.settings.stamped) return json
    const now = Date.now()
    return withStamp(json, [createdAt(this.loaded.stamp, this.owner.acts.restarted, now), now])
  }

  /** The cookie value for the session as it is now. */
  private valueOf (state: SessionState): MaybePromise<string> {
    // Re-issued unchanged (rotation, touch, rolling): the value it came in is already right.
    if (this.loaded.value !== undefined && state.isChanged === false) return this.loaded.value
    return encodeValue(this.owner.settings, this.payload(state))
  }

  measure (state: SessionState, effective: Effective): { size: number, chunks: number } {
    const reused = this.loaded.value !== undefined && state.isChanged === false ? this.loaded.value : undefined
    // Only the length of the value matters to the size of its cookies.
    const value = reused ?? 'x'.repeat(encodedLength(this.owner.settings, this.payload(state)))
    return this.measureValue(value, effective)
  }

  /** Bytes and cookies `value` takes as the session cookie (all its chunks), with this response's attributes. */
  measureValue (value: string, { attributes, maxSize }: Effective): { size: number, chunks: number } {
    const { settings, jar } = this.owner
    const write: CookieWrite = { name: settings.name, value, attributes, signed: false }
    const secure = attributes.secure ?? this.owner.isSecure()
    if (!settings.chunked) return { size: jar.line(write, secure).length, chunks: 1 }
    return settled(writeChunks(jar, settings, write, [], secure, maxSize, true), 'measuring')
  }

  /** Whether the request carries a cookie of that name. */
  hasCookie (name: string): boolean {
    return !!this.owner.jar.get(name)
  }

  /** The session cookie with `value` ('' expires it), signed (`signed`) or sealed as the settings say. */
  valueCookies (value: string, effective: Effective, signed: boolean): MaybePromise<CookieWrite[]> {
    const { attributes } = effective
    const { settings } = this.owner
    const { name, sigName, signer, cipher, chunked } = settings
    let main: CookieWrite
    let others: CookieWrite[] = []
    if (cipher !== undefined) {
      // Encrypted cookies need no .sig; one left from before encryption is cleared.
      main = { name, value, attributes, signed: false }
      if (this.hasCookie(sigName)) others = [this.clearedSignature(attributes)]
    } else {
      main = { name, value, attributes, signed: signed && signer !== undefined }
    }
    if (settings.iron !== undefined) others = [...others, ...this.ironCleared(attributes)]
    if (!chunked) return [main, ...others]
    const secure = attributes.secure ?? this.owner.isSecure()
    return after(writeChunks(this.owner.jar, settings, main, others, secure, effective.maxSize), (chunks) => chunks.writes)
  }

  /**
   * Expiries of the iron-session cookies the request carries (their iron-session 9 chunks too), at
   * the path and domain iron-session set them with: ours replaces them. Names that are ours (the
   * option may give iron-session's cookie our own name) are left to our writes.
   */
  private ironCleared (attributes: CookieAttributes): CookieWrite[] {
    const { name, iron } = this.owner.settings
    const { cookieName, path, domain } = iron as NonNullable<typeof iron>
    // Under our name, iron-session 9's chunks 1 to 3 are our chunks' names: our writes see to them.
    const candidates = cookieName === name ? [`${name}.0`] : [cookieName, ...[0, 1, 2, 3].map((index) => `${cookieName}.${index}`)]
    const names = candidates.filter((candidate) => this.hasCookie(candidate))
    if (names.length === 0) return []
    const at: CookieAttributes = { ...attributes, path, domain }
    return names.map((cleared) => ({ name: cleared, value: '', attributes: at, signed: false }))
  }

  clearedSignature (attributes: CookieAttributes): CookieWrite {
    return { name: this.owner.settings.sigName, value: '', attributes, signed: false }
  }
}
