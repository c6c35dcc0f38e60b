// Store mode's part of a request's session lifecycle (the `store` option): the cookie holds a
// signed (or sealed) random id, the data lives in the store as `{ cookie, ...data }`, the `cookie`
// field being what express-session stores read a record's lifetime from. The adapters await
// load() before the app runs and save() before the response ends; the cookie itself is still
// written by SessionContext when the headers go out, with what cookies() says.
import { SessionOptionError, SessionWriteError } from '../errors.js'
import { isSealed } from '../wire/cipher.js'
import { parse } from '../wire/codec.js'
import { open, tooLong } from './envelope.js'
import { isExpired, type Stamp } from './expiry.js'
import type { CookieAttributes } from '../options/cookie.js'
import type { Settings } from '../options/settings.js'
import type { CookieWrite, Effective, Jar } from './jar.js'
import type { SessionHost } from './session-methods.js'
import { SessionState } from './session.js'
import { isId, newId, type RecordCookie, type SessionStore } from './store.js'

/** A record read from the store. */
interface Loaded {
  readonly data: Record<string, unknown>
  readonly json: string
  readonly stamp: Stamp | undefined
}

/** What the store lifecycle needs from its request's session context (context.ts implements it). */
export interface StoreHost extends SessionHost {
  readonly settings: Settings
  /** The request's cookies. */
  readonly jar: Jar
  /** undefined: not loaded yet; null: destroyed; else the session. */
  readonly state: SessionState | null | undefined
  /** What the load found and the app did since (context.ts's LoadRecord). */
  readonly record: {
    stamp: Stamp | undefined
    discarded: boolean
    clearSignature: boolean
    replaced: boolean
    resend: boolean
    restarted: boolean
  }
  effective (): Effective
  /** The session from a cookie-mode cookie (to move it into the store). */
  loadCookie (): SessionState
  fresh (): SessionState
  validated (state: SessionState): boolean
  beforeSave (state: SessionState): void
  hasCookie (name: string): boolean
  sessionCookies (value: string, effective: Effective): CookieWrite[]
  clearedSignature (attributes: CookieAttributes): CookieWrite
  /** Whether an unchanged session is written again (touched, rolling, due for renewal). */
  mustResend (effective: Effective): boolean
  /** When the session was created, for its stamp. */
  createdAt (now: number): number
}

export class StoreLifecycle {
  private readonly context: StoreHost
  private readonly store: SessionStore
  /** The verified id the request's cookie carried. */
  private requestId: string | undefined
  /** What the store held under it. */
  private loaded: Loaded | undefined
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
  /** Loading or saving failed (the app was told): no cookie is written. */
  private failed = false
  /** A record the session left (restarted with `= null` then a new object): deleted when the new one is saved. */
  private stale: string | undefined
  private started = false

  constructor (context: StoreHost, store: SessionStore) {
    this.context = context
    this.store = store
  }

  /** Reads the id from the cookie and its record from the store (no store call without a valid id). */
  async load (): Promise<void> {
    this.started = true
    const { settings, jar } = this.context
    const value = jar.get(settings.name)
    if (!value || tooLong(settings, value)) return
    const opened = open(settings, value, settings.attributes.signed, () => jar.get(settings.sigName))
    const text = typeof opened !== 'object' ? undefined : settings.cipher !== undefined && isSealed(value) ? opened.json : value
    if (text === undefined || !isId(text)) {
      // Not an id: the cookie load decides what it is (a session to move into the store, a forgery, nothing).
      this.payload = true
      return
    }
    this.requestId = text
    this.reissue = (opened as { reissue: boolean }).reissue
    await this.fetch(text)
  }

  /** Reads the record of `id` again (session.reload()). */
  async reload (): Promise<void> {
    if (this.live && this.id !== undefined) await this.fetch(this.id)
    this.written = undefined
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

  private recordData (record: unknown): Loaded | undefined {
    if (record === null || typeof record !== 'object' || Array.isArray(record)) return undefined
    const { cookie, ...rest } = record as Record<string, unknown>
    const stamp = stampOf(cookie)
    if (isExpired(stamp, this.context.settings, Date.now())) return undefined
    // Through the codec's parse, as a cookie is: a copy, and nothing that could pollute a prototype.
    const json = JSON.stringify(rest)
    const data = parse(json)
    return data === undefined ? undefined : { data, json, stamp }
  }

  /** The session for SessionContext.load(): what the store held, or a cookie-mode session to move. */
  state (): SessionState {
    const context = this.context
    if (!this.started) {
      // Koa's koaSession(options, app) lets middleware before this one read ctx.session.
      throw new SessionOptionError('with option "store", the session can only be read once the session middleware has loaded it ' +
        '(mount the session middleware before the middleware that reads it)')
    }
    if (this.payload) {
      const state = context.loadCookie()
      this.migrate = !state.isNew
      return state
    }
    const { loaded } = this
    if (loaded === undefined) {
      if (this.requestId !== undefined) context.record.discarded = true
      return context.fresh()
    }
    const state = new SessionState(context, loaded.data, false, loaded.json)
    if (context.settings.validate !== undefined && !context.validated(state)) {
      context.record.discarded = true
      // The new session must not be saved under the rejected one's id (whoever sent it may not own
      // it): it gets an id of its own; the rejected record is left to its owner.
      this.id = undefined
      this.live = false
      this.loaded = undefined
      return context.fresh()
    }
    context.record.stamp = loaded.stamp
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

  /**
   * A session started anew (`req.session = null`, then an object) gets a new id, as regenerate()
   * gives one: data written after a restart never goes under an id that was handed out before it.
   */
  private leaveIfRestarted (): void {
    if (!this.context.record.restarted || this.id === undefined || this.id !== this.requestId || !this.live) return
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
    const { context } = this
    const { state, settings } = context
    if (state === undefined || this.failed) return
    if (state === null || (state.isNew && !state.isPopulated)) return await this.drop()
    const changed = this.migrate || (this.written === undefined ? state.isChanged : state.serialize() !== this.written)
    const resend = this.context.mustResend(context.effective())
    if (!changed && !resend) return
    if (final && settings.beforeSave !== undefined) context.beforeSave(state)
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
    this.id ??= newId()
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
    const { settings } = this.context
    const { attributes } = this.context.effective()
    const now = Date.now()
    const maxAge = attributes.maxAge
    const ends: number[] = []
    if (maxAge !== undefined) ends.push(now + maxAge)
    else if (attributes.expires !== undefined) ends.push(attributes.expires.getTime())
    const cookie: RecordCookie = { originalMaxAge: maxAge ?? null, expires: null }
    if (settings.stamped) {
      const created = this.context.createdAt(now)
      cookie.created = created
      cookie.written = now
      if (settings.idleTimeout !== undefined) ends.push(now + settings.idleTimeout)
      if (settings.absoluteTimeout !== undefined) ends.push(created + settings.absoluteTimeout)
    }
    // The store drops the record when the session ends, whichever way it ends first.
    if (ends.length > 0) cookie.expires = new Date(Math.min(...ends))
    return cookie
  }

  /** The id cookie's value (for encodedSize; a new session's id is not made yet, one of the same length stands in). */
  cookieValue (): string {
    const id = this.id ?? 'x'.repeat(43)
    const { cipher, name } = this.context.settings
    return cipher === undefined ? id : cipher.seal(id, name)
  }

  /** The cookies this response needs (SessionContext.writes): the id cookie, a cleared one, or none. */
  cookies (effective: Effective): CookieWrite[] | undefined {
    const { context } = this
    const { state, record, settings } = context
    if (this.failed || state === undefined) return undefined
    if (state !== null && (!state.isNew || state.isPopulated)) {
      // A streamed response sends its headers before the store is written (at the end): the id is made now.
      this.leaveIfRestarted()
      this.id ??= newId()
      if (this.id !== this.requestId || this.reissue || this.context.mustResend(effective)) {
        return context.sessionCookies(this.cookieValue(), effective)
      }
    } else if (context.hasCookie(settings.name) && (this.requestId !== undefined || state === null || record.replaced || record.discarded)) {
      // No session to keep: a cookie naming one that is gone must not live on.
      return context.sessionCookies('', effective)
    }
    if (record.clearSignature) return [context.clearedSignature(effective.attributes)]
    return undefined
  }
}

function stampOf (cookie: unknown): Stamp | undefined {
  if (cookie === null || typeof cookie !== 'object') return undefined
  const { created, written } = cookie as { created?: unknown, written?: unknown }
  return Number.isSafeInteger(created) && Number.isSafeInteger(written) ? [created as number, written as number] : undefined
}
