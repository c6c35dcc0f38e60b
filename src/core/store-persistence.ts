// The session in a store (the `store` option): the cookie holds a signed (or sealed) random id, the
// data lives in the store as `{ cookie, ...data }`, the `cookie` field being what express-session
// stores read a record's lifetime from. The record is read before the app runs (load) and written
// before the response ends (save); the id cookie goes out with the headers. A cookie that holds a
// whole session (from before the store was on) is read by the cookie persistence it holds, and
// moved into the store.
import { SessionOptionError, SessionWriteError } from '../errors.js'
import type { Effective } from '../options/settings.js'
import { after, type MaybePromise } from '../platform/maybe.js'
import type { CookieWrite } from '../platform/types.js'
import { parse } from '../wire/codec.js'
import { isSealed, sealedLength } from '../wire/sealed.js'
import { CookiePersistence } from './cookie-persistence.js'
import { openValue, tooLong } from './envelope.js'
import { createdAt, isExpired, mustResend, type Stamp } from './expiry.js'
import type { Owner, Persistence } from './persistence.js'
import { SessionState } from './session.js'
import { isId, sessionStoreFor, type RecordCookie, type SessionStore } from './store.js'

/** A record read from the store. */
interface Record_ {
  readonly data: Record<string, unknown>
  readonly json: string
  readonly stamp: Stamp | undefined
}

export class StorePersistence implements Persistence {
  readonly savesBeforeEnd = true
  private readonly owner: Owner
  private readonly store: SessionStore
  /** Reads a cookie that holds a whole session (to move it into the store), and writes the id cookie. */
  private readonly cookie: CookiePersistence
  /** The verified id the request's cookie carried. */
  private requestId: string | undefined
  /** What the store held under it. */
  private loaded: Record_ | undefined
  /** The id the session is stored under, or will be (a new one, made when first needed). */
  private id: string | undefined
  /** Whether the store holds a record under `id`. */
  private live = false
  /** The JSON last written under `id` during this request. */
  private written: string | undefined
  /** The cookie held no id: maybe a cookie-mode session, moved into the store when it is one. */
  private payload = false
  private migrate = false
  /** The id cookie verified with an older key, or from before encryption: send it again. */
  private reissue = false
  /** The record was not to be used (gone, expired, rejected by validate): the id cookie is cleared. */
  private discarded = false
  /** Loading or saving failed (the app was told): no cookie is written. */
  private failed = false
  /** A record the session left (restarted with `= null` then a new object): deleted when the new one is saved. */
  private stale: string | undefined
  private started = false

  constructor (owner: Owner) {
    this.owner = owner
    this.store = sessionStoreFor(owner.settings.store as NonNullable<Owner['settings']['store']>)
    this.cookie = new CookiePersistence(owner)
  }

  /** Reads the id from the cookie and its record from the store (no store call without a valid id). */
  load (): Promise<void> {
    this.started = true
    const { settings, jar } = this.owner
    const value = jar.get(settings.name)
    if (!value || tooLong(settings, value)) return Promise.resolve()
    return Promise.resolve(openValue(settings, value, settings.attributes.signed, () => jar.get(settings.sigName))).then(async (opened) => {
      const text = typeof opened !== 'object' ? undefined : settings.cipher !== undefined && isSealed(value) ? opened.json : value
      if (text === undefined || !isId(text)) {
        // Not an id: the cookie persistence decides what it is (a session to move into the store, a forgery, nothing).
        this.payload = true
        return await this.cookie.load()
      }
      this.requestId = text
      this.reissue = opened !== undefined && typeof opened === 'object' && opened.reissue
      await this.fetch(text)
    })
  }

  /** Reads the record of `id` again (session.reload()). */
  async reload (): Promise<void> {
    if (this.payload) await this.cookie.reload()
    if (this.live && this.id !== undefined) await this.fetch(this.id)
    this.written = undefined
    this.discarded = false
  }

  private async fetch (id: string): Promise<void> {
    let record: unknown
    try {
      record = await this.store.get(id)
    } catch (err) {
      this.failed = true
      throw err
    }
    this.loaded = this.recordData(record)
    this.live = this.loaded !== undefined
    this.id = this.live ? id : undefined
  }

  private recordData (record: unknown): Record_ | undefined {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined
    const { cookie, ...rest } = record as Record<string, unknown>
    const stamp = stampOf(cookie)
    if (isExpired(stamp, this.owner.settings, Date.now())) return undefined
    // Through the codec's parse, as a cookie is: a copy, and nothing that could pollute a prototype.
    const json = JSON.stringify(rest)
    const data = parse(json)
    return data === undefined ? undefined : { data, json, stamp }
  }

  state (): SessionState {
    const { owner } = this
    if (!this.started) {
      // Koa's koaSession(options, app) lets middleware before this one read ctx.session.
      throw new SessionOptionError('with option "store", the session can only be read once the session middleware has loaded it ' +
        '(mount the session middleware before the middleware that reads it)')
    }
    if (this.payload) {
      const state = this.cookie.state()
      this.migrate = !state.isNew
      return state
    }
    const { loaded } = this
    if (loaded === undefined) {
      if (this.requestId !== undefined) this.discarded = true
      return owner.fresh()
    }
    const state = new SessionState(owner, loaded.data, false, loaded.json)
    if (owner.settings.validate !== undefined && !owner.accepts(state)) {
      this.discarded = true
      // The new session must not be saved under the rejected one's id (whoever sent it may not own
      // it): it gets an id of its own; the rejected record is left to its owner.
      this.id = undefined
      this.live = false
      this.loaded = undefined
      return owner.fresh()
    }
    return state
  }

  /** Deletes the record (regenerate, destroy, an emptied session): every copy of the cookie stops working. */
  async drop (): Promise<void> {
    const { id, live } = this
    this.id = undefined
    this.live = false
    this.written = undefined
    this.loaded = undefined
    if (id !== undefined && live) await this.guard(this.store.destroy(id))
  }

  /** The stamp of the record this session came from (none for a new one). */
  private get stamp (): Stamp | undefined {
    return this.loaded?.stamp
  }

  /** Whether an unchanged session is written again (touched, rolling, due for renewal, re-issued id). */
  private mustResend (effective: Effective): boolean {
    return mustResend(this.owner.settings, effective, { stamp: this.stamp, reissue: this.reissue }, this.owner.acts.resend)
  }

  /**
   * A session started anew (`req.session = null`, then an object) gets a new id, as regenerate()
   * gives one: data written after a restart never goes under an id that was handed out before it.
   */
  private leaveIfRestarted (): void {
    if (!this.owner.acts.restarted || this.id === undefined || this.id !== this.requestId || !this.live) return
    this.stale = this.id
    this.id = undefined
    this.live = false
    this.loaded = undefined
  }

  /**
   * Writes the store as the session needs: a changed session is set, an unchanged one touched when
   * rolling, touch()ed or due for renewal, an empty new one not stored. `final`: the response is
   * going out (the beforeSave hook runs); otherwise it is `session.save()`.
   */
  async save (final: boolean): Promise<void> {
    const { owner } = this
    const { state, settings } = owner
    if (state === undefined || this.failed) return
    if (state === null || (state.isNew && !state.isPopulated)) return await this.drop()
    const changed = this.migrate || (this.written === undefined ? state.isChanged : state.serialize() !== this.written)
    const resend = this.mustResend(owner.effective())
    if (!changed && !resend) return
    if (final && settings.beforeSave !== undefined) owner.beforeSave(state)
    if (Object.hasOwn(state.data, 'cookie')) {
      throw new SessionWriteError('"cookie" is a reserved name in store mode (the store keeps the record\'s lifetime there); rename that session field')
    }
    const json = state.serialize()
    this.leaveIfRestarted()
    if (this.stale !== undefined) {
      const stale = this.stale
      this.stale = undefined
      await this.guard(this.store.destroy(stale))
    }
    this.id ??= settings.platform.newId()
    const record = { cookie: this.recordCookie(), ...state.data }
    // With expiry stamps the record itself changes; stores' touch() only extends a record's lifetime.
    const set = changed || !this.live || settings.stamped
    await this.guard(set ? this.store.set(this.id, record) : this.store.touch(this.id, record))
    this.live = true
    this.written = json
    this.migrate = false
  }

  private async guard (pending: Promise<void>): Promise<void> {
    try {
      await pending
    } catch (err) {
      this.failed = true
      throw err
    }
  }

  /** The record's `cookie`: its lifetime for the store, and our expiry stamp. */
  private recordCookie (): RecordCookie {
    const { settings, acts } = this.owner
    const { attributes } = this.owner.effective()
    const now = Date.now()
    const maxAge = attributes.maxAge
    const ends: number[] = []
    if (maxAge !== undefined) ends.push(now + maxAge)
    else if (attributes.expires !== undefined) ends.push(attributes.expires.getTime())
    const cookie: RecordCookie = { originalMaxAge: maxAge ?? null, expires: null }
    if (settings.stamped) {
      const created = createdAt(this.stamp, acts.restarted, now)
      cookie.created = created
      cookie.written = now
      if (settings.idleTimeout !== undefined) ends.push(now + settings.idleTimeout)
      if (settings.absoluteTimeout !== undefined) ends.push(created + settings.absoluteTimeout)
    }
    // The store drops the record when the session ends, whichever way it ends first.
    if (ends.length > 0) cookie.expires = new Date(Math.min(...ends))
    return cookie
  }

  /** The id cookie's value: the id, sealed when encryption is on. */
  private cookieValue (id: string): MaybePromise<string> {
    const { cipher, name } = this.owner.settings
    return cipher === undefined ? id : cipher.seal(id, name)
  }

  measure (_state: SessionState, effective: Effective): { size: number, chunks: number } {
    const { cipher, platform, name } = this.owner.settings
    const id = this.id ?? 'x'.repeat(43)
    // A sealed id has a fixed length: measured with a synchronous cipher, or from the format.
    const value = cipher === undefined ? id : measuredSeal(cipher.seal(id, name), platform.byteLength(id))
    return this.cookie.measureValue(value, effective)
  }

  /** The cookies this response needs: the id cookie, a cleared one, or none. */
  cookies (effective: Effective): MaybePromise<CookieWrite[] | undefined> {
    const { owner } = this
    const { state, acts, settings } = owner
    if (this.failed || state === undefined) return undefined
    if (state !== null && (!state.isNew || state.isPopulated)) {
      // A streamed response sends its headers before the store is written (at the end): the id is made now.
      this.leaveIfRestarted()
      this.id ??= settings.platform.newId()
      if (this.id !== this.requestId || this.reissue || this.mustResend(effective)) {
        // A store's id cookie is always signed (a per-request signed: false would write one the next request refuses).
        return after(this.cookieValue(this.id), (value) => this.cookie.valueCookies(value, effective, true))
      }
    } else if (this.cookie.hasCookie(settings.name) &&
      (this.requestId !== undefined || state === null || acts.replaced || this.discarded || this.cookie.discarded)) {
      // No session to keep: a cookie naming one that is gone must not live on.
      return this.cookie.valueCookies('', effective, true)
    }
    if (this.cookie.clearSignature) return [this.cookie.clearedSignature(effective.attributes)]
    return undefined
  }
}

/** A sealed value of the right length, without waiting for an asynchronous cipher. */
function measuredSeal (sealed: MaybePromise<string>, bytes: number): string {
  if (typeof sealed === 'string') return sealed
  sealed.catch(() => {})
  return 'x'.repeat(sealedLength(bytes))
}

function stampOf (cookie: unknown): Stamp | undefined {
  if (cookie === null || typeof cookie !== 'object') return undefined
  const { created, written } = cookie as { created?: unknown, written?: unknown }
  return Number.isSafeInteger(created) && Number.isSafeInteger(written) ? [created as number, written as number] : undefined
}
