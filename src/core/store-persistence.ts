// The session in a store (the `store` option): the cookie holds a signed (or sealed) random id, the
// data lives in the store as `{ cookie, ...data }`, the `cookie` field being what express-session
// stores read a record's lifetime from. The record is read before the app runs (load) and written
// before the response ends (save); the id cookie goes out with the headers. A cookie that holds a
// whole session (from before the store was on) is read by the cookie persistence held here, and
// moved into the store.
//
// What makes a logout final and concurrent requests safe is the driver's (src/store/): a write
// sends only the top-level keys this request changed, applied to the record as the store holds it
// then, and never recreates a record that is gone (destroyed by another request, or expired); a
// refresh (rolling, renew, touch) only extends a record that still exists. Within one request the
// store calls run in the order they were asked for.
//
// The id cookie is this library's (the id and `<name>.sig`, or sealed) or express-session's
// (`s:<id>.<signature>`, options/express-session.ts's cookieFormat); either is read, and written in
// the configured one when it is next sent, so express-session's users keep their sessions. The
// record's `cookie` is express-session's Cookie data, so express-session reads our records too;
// with express-session's options a session keeps its own lifetime there (session-cookie.ts).
import { SessionOptionError, SessionStoreError, SessionWriteError } from '../errors.js'
import type { Effective } from '../options/settings.js'
import { after, type MaybePromise } from '../platform/maybe.js'
import type { CookieAttributes, CookieWrite } from '../platform/types.js'
import type { CallInfo, Change, RecordCookie, StoreDriver, StoredRecord } from '../store/types.js'
import { parse, stringify } from '../wire/codec.js'
import { clearedLine, parseSignedId, setCookieLine, signedIdValue, type LineAttributes } from '../wire/express-session-cookie.js'
import { isSealed, sealedLength } from '../wire/sealed.js'
import { CookiePersistence } from './cookie-persistence.js'
import { openValue, tooLong } from './envelope.js'
import { createdAt, isExpired, mustResend, type Stamp } from './expiry.js'
import type { Owner, Persistence } from './persistence.js'
import { SessionState } from './session.js'
import { cookieData, Lifetime, SessionCookie } from './session-cookie.js'

/** A session id is 32 random bytes, base64url (platform.newId()); a cookie-mode value (padded base64, or sealed JSON) never has this shape. */
const ID_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** Characters of an express-session signature (HMAC-SHA256, base64 without padding), for measuring. */
const SHA256_SIGNATURE_LENGTH = 43

/** The generic driver keeps a destroyed session's tombstone under `<id>.gone`: no id may end so. */
const TOMBSTONE_SUFFIX = '.gone'

/** The attributes a write of the id cookie has: this response's, Secure decided for this connection. */
type Resolved = CookieAttributes & { readonly secure: boolean }

/** What the store held for this session when it was last read or written in this request. */
interface Held {
  /** The data's JSON text as read (each key's JSON is worked out from it only when the session is written). */
  readonly json?: string
  /** Each top-level key's JSON, to tell which keys the request changed. */
  keys?: ReadonlyMap<string, string>
  readonly stamp: Stamp | undefined
  /** Read at load, not yet written by this request: an unchanged session (isChanged false) is unchanged against it. */
  readonly asLoaded: boolean
}

/** Each top-level key's JSON in what the store held. */
function heldKeys (held: Held): ReadonlyMap<string, string> {
  held.keys ??= keyJson(parse(held.json as string) as Record<string, unknown>)
  return held.keys
}

const NO_CHANGE: Change = Object.freeze({ set: Object.freeze({}), unset: Object.freeze([]) })

export class StorePersistence implements Persistence {
  readonly savesBeforeEnd = true
  private readonly owner: Owner
  private readonly driver: StoreDriver
  /** Reads a cookie that holds a whole session (to move it into the store), and writes the id cookie. */
  private readonly cookie: CookiePersistence
  /** The verified id the request's cookie carried. */
  private requestId: string | undefined
  /** The data and JSON the store held under it, as read (for the session's state). */
  private loaded: { readonly data: Record<string, unknown>, readonly json: string } | undefined
  /** What the store holds under `id`, as far as this request knows; undefined when it holds nothing. */
  private held: Held | undefined
  /** The record as the driver loaded it (its version, for the first compare-and-set); undefined once written. */
  private base: StoredRecord | undefined
  /** The id the session is stored under, or will be (a new one, made when first needed). */
  private id: string | undefined
  /** The cookie held no id: maybe a cookie-mode session, moved into the store when it is one. */
  private payload = false
  private migrate = false
  /** The id cookie verified with an older key, or from before encryption: send it again. */
  private reissue = false
  /** The record was not to be used (gone, expired, rejected by validate): the id cookie is cleared. */
  private discarded = false
  /** The record went away while this request ran (another request logged out): it stays gone, the cookie is cleared. */
  private ended = false
  /** Loading or the final write failed (the app was told): no cookie is written. */
  private failed = false
  /** This request wrote the record (created, changed or refreshed it): its lifetime starts again (resave writes it once). */
  private written = false
  /** Failures of store calls the app asked for during the request, reported when the response goes out. */
  private readonly failures: unknown[] = []
  /** A record the session left (replaced, or restarted): deleted before the new one is written. */
  private stale: string | undefined
  private started = false
  /** The stamp of a record the session left under regenerate-with-content (koa-session's regenerate): its age goes on. */
  private carried: Stamp | undefined
  /** This request's store calls, one after another. */
  private queue: Promise<void> = Promise.resolve()
  /** The request's id came in express-session's cookie (`s:<id>.<signature>`). */
  private signedId = false
  /** ... under express-session's name, which is not this middleware's (connect.sid). */
  private foreign = false
  /** The record's `cookie` as loaded: with express-session's options, the session's lifetime. */
  private loadedCookie: unknown
  /** This request's lifetime of the session (express-session's Cookie), made when first needed. */
  private lifetimeOf: Lifetime | undefined
  /** The lifetime has been restarted for this response (express-session's touch at the end of a request). */
  private restarted = false
  /** The app changed the session's cookie (req.session.cookie): the record and the cookie are written. */
  private cookieChanged = false
  /** session.save() was called: an empty new session is stored too. */
  private keepEmpty = false
  private cookieObject: SessionCookie | undefined

  constructor (owner: Owner) {
    this.owner = owner
    this.driver = owner.settings.storeDriver as StoreDriver
    this.cookie = new CookiePersistence(owner)
  }

  /**
   * Runs `operation` after every store call asked for before it (an un-awaited save() then a
   * destroy() reach the store in that order). Its caller sees a failure; so does onError, when the
   * response goes out, in case the caller did not wait for it.
   */
  private enqueue<T> (operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation)
    this.queue = run.then(() => {}, (err: unknown) => { this.failures.push(err) })
    return run
  }

  private get info (): CallInfo {
    return { maxAge: this.owner.effective().attributes.maxAge, rolling: this.owner.settings.rolling, ctx: this.owner.request }
  }

  /** Reads the id from the cookie and its record from the store (no store call without a valid id). */
  load (): Promise<void> {
    this.started = true
    const { settings, jar } = this.owner
    if (settings.keyCarrier !== undefined) return this.loadCarried(settings.keyCarrier.get(this.owner.request))
    const value = jar.get(settings.name)
    if (value && !tooLong(settings, value)) {
      const signed = parseSignedId(value)
      return signed === undefined ? this.loadOwn(value) : this.loadSigned(signed.id, signed.signature, false)
    }
    const { foreignName } = settings.expressSession
    const other = foreignName === undefined || value ? undefined : jar.get(foreignName)
    const signed = other && !tooLong(settings, other) ? parseSignedId(other) : undefined
    if (signed !== undefined) return this.loadSigned(signed.id, signed.signature, true)
    if (settings.iron === undefined) return Promise.resolve()
    // No id: the cookie persistence reads the iron-session cookie (the ironSession option), if any, to move it into the store.
    this.payload = true
    return Promise.resolve(this.cookie.load())
  }

  /** An id in express-session's cookie: verified with the secrets (HMAC-SHA256), then its record read. */
  private loadSigned (id: string, signature: string, foreign: boolean): Promise<void> {
    const signer = this.owner.settings.sha256Signer
    if (signer === undefined || id.endsWith(TOMBSTONE_SUFFIX)) return Promise.resolve()
    return Promise.resolve(signer.index(id, signature)).then(async (index) => {
      if (index < 0) {
        this.owner.settings.platform.debug('signature of express-session\'s cookie did not verify')
        return
      }
      this.requestId = id
      this.signedId = true
      this.foreign = foreign
      // Signed with an older secret: sent again, signed with the current one.
      this.reissue = index > 0
      await this.fetchOrFail(id)
    })
  }

  /** Reads the record of `id`; a failure fails the request (and writes nothing). */
  private async fetchOrFail (id: string): Promise<void> {
    try {
      await this.fetch(id)
    } catch (err) {
      this.failed = true
      throw err
    }
  }

  /** This library's id cookie (signed, or sealed), or a whole session from cookie mode. */
  private loadOwn (value: string): Promise<void> {
    const { settings, jar } = this.owner
    return Promise.resolve(openValue(settings, value, settings.attributes.signed, () => jar.get(settings.sigName))).then(async (opened) => {
      const text = typeof opened !== 'object' ? undefined : settings.cipher !== undefined && isSealed(value) ? opened.json : value
      if (text === undefined || !this.isKey(text)) {
        // Not an id: the cookie persistence decides what it is (a session to move into the store, a forgery, nothing).
        this.payload = true
        return await this.cookie.load()
      }
      this.requestId = text
      // Written in express-session's format from now on, when that is the configured one.
      this.reissue = (opened !== undefined && typeof opened === 'object' && opened.reissue) || this.expressFormat
      await this.fetchOrFail(text)
    })
  }

  /** Whether a verified cookie value is a session id (else it may be a whole session, from before the store). */
  private isKey (text: string): boolean {
    const { isKey } = this.owner.settings
    return isKey === undefined ? ID_SHAPE.test(text) : isKey(text)
  }

  /** Loads the session whose key the request carried outside the cookie (koa-session's externalKey): the app's channel vouches for it. */
  private async loadCarried (key: unknown): Promise<void> {
    if (typeof key !== 'string' || key === '' || !this.isKey(key)) return
    this.requestId = key
    try {
      await this.fetch(key)
    } catch (err) {
      this.failed = true
      throw err
    }
  }

  private get expressFormat (): boolean {
    return this.owner.settings.expressSession.cookieFormat === 'express-session'
  }

  /** Reads the record of `id` into `loaded` and `held` (none: gone, expired, or not a session). */
  private async fetch (id: string): Promise<void> {
    const record = await this.driver.load(id, this.info)
    this.loaded = undefined
    this.held = undefined
    this.id = undefined
    this.base = record
    if (record === undefined) return
    const { cookie, ...rest } = record
    const now = Date.now()
    const stamp = stampOf(cookie)
    if (isExpired(stamp, this.owner.settings, now)) return
    // Through the codec's parse, as a cookie is: a copy, and nothing that could pollute a prototype.
    let json = JSON.stringify(rest)
    // The adapter's bookkeeping in the record (koa-session's stores keep _expire in it).
    const { format } = this.owner
    if (format !== undefined) {
      const unwrapped = format.unwrap(json, now)
      if (unwrapped === undefined || unwrapped.expired) return
      json = unwrapped.json
    }
    const data = parse(json)
    if (data === undefined) return
    this.loaded = { data, json }
    this.held = { json, stamp, asLoaded: true }
    this.id = id
    this.loadedCookie = cookie
  }

  reload (): Promise<void> {
    return this.enqueue(async () => {
      if (this.payload) await this.cookie.reload()
      const id = this.id
      const stored = this.held !== undefined && id !== undefined
      if (stored) await this.fetch(id)
      this.discarded = false
      this.lifetimeOf = undefined
      this.restarted = false
      this.cookieChanged = false
      if (stored && this.held === undefined && this.owner.settings.expressSession.style) {
        // express-session's reload fails when the store no longer has the session.
        throw storeGone()
      }
    })
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
      this.held = undefined
      this.loaded = undefined
      return owner.fresh()
    }
    return state
  }

  /** Deletes the record (regenerate, destroy): every copy of the cookie stops working. */
  drop (keepAge = false): Promise<void> {
    const { id } = this
    const live = this.held !== undefined
    if (keepAge) this.carried = this.stamp
    this.id = undefined
    this.held = undefined
    this.loaded = undefined
    this.lifetimeOf = undefined
    this.restarted = false
    return this.enqueue(async () => {
      if (id !== undefined && live) await this.driver.destroy(id, this.info)
    })
  }

  /** Logs the user out everywhere: every record whose user key holds this session's user, this one included. */
  destroyAll (state: SessionState): Promise<void> {
    const { userKey } = this.owner.settings
    const { destroyAll } = this.driver
    if (userKey === undefined) {
      throw new SessionOptionError('req.session.destroyAll() needs option "userKey": the session key that names the user (e.g. "passport.user")')
    }
    if (destroyAll === undefined) {
      throw new SessionOptionError('req.session.destroyAll() needs a store that can find every session of a user: connect-redis, ' +
        'express-mysql-session, or any store with express-session\'s optional all() method; this store has none of these')
    }
    const user = userKey.reduce<unknown>((value, key) => typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined, state.data)
    const destroyed = this.drop()
    if (user === undefined) return destroyed
    return this.enqueue(async () => {
      await destroyed
      await destroyAll.call(this.driver, userKey, user, this.info)
    })
  }

  /** The stamp of the record this session came from (none for a new one; the old record's when it went on under a new key). */
  private get stamp (): Stamp | undefined {
    return this.held?.stamp ?? this.carried
  }

  /** The session's id: the one it is stored under, or a new one made now (written when the session is). */
  key (): string {
    this.leaveIfReplaced()
    this.id ??= this.newId()
    return this.id
  }

  /** Whether an unchanged session is written again (touched, rolling, due for renewal, re-issued id). */
  private mustResend (effective: Effective): boolean {
    return mustResend(this.owner.settings, effective, { stamp: this.stamp, reissue: this.reissue }, this.owner.acts.resend)
  }

  /**
   * A session replaced by the app (`req.session = { user }`, cookie-session's login idiom) or
   * started anew gets a new id, as regenerate() gives one, and the record it left is deleted: an
   * attacker who planted the old id learns nothing of the new session.
   */
  private leaveIfReplaced (): void {
    const { acts } = this.owner
    // An express-session id moving to this library's cookie gets an id of this library's shape.
    const moving = this.signedId && !this.expressFormat
    if (!(acts.restarted || acts.replaced || moving) || this.id === undefined || this.id !== this.requestId || this.held === undefined) return
    this.stale = this.id
    this.id = undefined
    this.held = undefined
  }

  save (final: boolean): Promise<void> {
    // session.save(): the app wants this session kept, even an empty new one.
    if (!final) this.keepEmpty = true
    const write = this.enqueue(async () => { await this.write(final) })
    if (!final) return write
    return write.then(() => {
      // Failures of store calls the app asked for earlier (an un-awaited regenerate() whose destroy failed).
      for (const err of this.failures.splice(0)) this.owner.reportError(err)
    }, (err: unknown) => {
      this.failures.splice(this.failures.indexOf(err) >>> 0, 1)
      for (const earlier of this.failures.splice(0)) this.owner.reportError(earlier)
      this.failed = true
      throw SessionWriteError.from(err)
    })
  }

  /**
   * Writes the store as the session needs: the keys it changed onto the record as the store holds
   * it, a new record for a new session, the lifetime of an unchanged one that is rolling, touched or
   * due for renewal, nothing for an untouched or empty new one. `final`: the response is going out
   * (the beforeSave hook runs); otherwise it is `session.save()`.
   */
  private async write (final: boolean): Promise<void> {
    const { owner } = this
    const { state, settings } = owner
    const express = settings.expressSession
    if (state === undefined || this.failed || this.ended) return
    // unset: 'keep' — req.session = null leaves the stored session as it was (a destroy() has already deleted it).
    if (state === null && express.unset === 'keep') return
    if (state === null || (state.isNew && !state.isPopulated && !owner.acts.forced && !this.keeps(state))) {
      const id = this.id
      const live = this.held !== undefined
      this.id = undefined
      this.held = undefined
      if (id !== undefined && live) await this.driver.destroy(id, this.info)
      return
    }
    this.leaveIfReplaced()
    const effective = owner.effective()
    let change = this.changeOf(state)
    // A session held in the store that did not change: written when refreshed (rolling, renew,
    // touch), when its cookie changed, when the app calls save(), and once per request with resave.
    if (this.held !== undefined && change === undefined && !this.mustResend(effective) && !this.cookieChanged &&
      final && !(express.resave && !this.written)) return
    if (final && settings.beforeSave !== undefined) {
      owner.beforeSave(state)
      change = this.changeOf(state)
    }
    if (Object.hasOwn(state.data, 'cookie')) {
      throw new SessionWriteError('"cookie" is a reserved name in store mode (the store keeps the record\'s lifetime there); rename that session field')
    }
    if (this.stale !== undefined) {
      const stale = this.stale
      this.stale = undefined
      await this.driver.destroy(stale, this.info)
    }
    const cookie = this.recordCookie()
    const keys = keyJson(state.data)
    if (this.held === undefined) {
      const id = this.currentId() as string
      await this.driver.create(id, { cookie, ...state.data }, this.info)
    } else {
      const id = this.id as string
      // touch() extends the record's lifetime only: a record whose cookie (or expiry stamp) changed,
      // or that resave or save() writes back, is updated.
      const outcome = change !== undefined || settings.stamped || this.cookieChanged || !final || express.resave
        ? await this.driver.update(id, change ?? NO_CHANGE, cookie, this.info, this.held.asLoaded ? this.base : undefined)
        : await this.driver.touch(id, cookie, this.info)
      if (outcome === 'gone') {
        // Destroyed (or expired) by someone else while this request ran: it stays gone.
        this.ended = true
        this.held = undefined
        return
      }
    }
    this.held = { keys, stamp: settings.stamped ? [cookie.created as number, cookie.written as number] : this.stamp, asLoaded: false }
    this.migrate = false
    this.written = true
    this.cookieChanged = false
  }

  /** Whether a new session left empty is stored anyway: saveUninitialized, or the app called save(). */
  private keeps (state: SessionState): boolean {
    return state.isNew && (this.owner.settings.expressSession.saveUninitialized || this.keepEmpty)
  }

  /** The top-level keys the session changed against what the store holds; undefined for none. */
  private changeOf (state: SessionState): Change | undefined {
    const { held } = this
    if (held === undefined || this.migrate) return state.isNew && !state.isPopulated ? undefined : { set: { ...state.data }, unset: [] }
    if (held.asLoaded && !state.isChanged) return undefined
    const before = heldKeys(held)
    const set: Record<string, unknown> = {}
    let changed = false
    for (const [key, json] of keyJson(state.data)) {
      if (before.get(key) !== json) {
        set[key] = state.data[key]
        changed = true
      }
    }
    const unset = [...before.keys()].filter((key) => !Object.hasOwn(state.data, key))
    return changed || unset.length > 0 ? { set, unset } : undefined
  }

  /**
   * The record's `cookie`: express-session's Cookie data (its lifetime for the store, and the
   * attributes express-session writes the cookie with), and our expiry stamp.
   */
  private recordCookie (): RecordCookie {
    const { settings, acts } = this.owner
    const now = Date.now()
    const lifetime = this.restartedLifetime(now)
    const data = cookieData(lifetime, this.resolved(this.owner.effective().attributes))
    const ends: number[] = []
    if (lifetime.expires !== null) ends.push(lifetime.expires.getTime())
    const cookie: RecordCookie = { ...data }
    if (settings.stamped) {
      const created = createdAt(this.stamp, acts.restarted, now)
      cookie.created = created
      cookie.written = now
      if (settings.idleTimeout !== undefined) ends.push(now + settings.idleTimeout)
      if (settings.absoluteTimeout !== undefined) ends.push(created + settings.absoluteTimeout)
    }
    // The store drops the record when the session ends, whichever way it ends first.
    cookie.expires = ends.length > 0 ? new Date(Math.min(...ends)) : null
    return cookie
  }

  /**
   * The session's lifetime for this request: with express-session's options, a stored session's
   * own (its record's `originalMaxAge`), unless this request set one through req.sessionOptions;
   * otherwise this response's `maxAge` or `expires`.
   */
  private lifetime (): Lifetime {
    if (this.lifetimeOf === undefined) {
      const { owner } = this
      const override = owner.lifetimeOptions()
      const stored = owner.settings.expressSession.style && override === undefined && this.held !== undefined ? Lifetime.stored(this.loadedCookie) : undefined
      this.lifetimeOf = stored ?? Lifetime.of(override ?? owner.effective().attributes, Date.now())
    }
    return this.lifetimeOf
  }

  /** The lifetime, restarted once for this response: the cookie expires `originalMaxAge` from now (express-session's touch). */
  private restartedLifetime (now: number): Lifetime {
    const lifetime = this.lifetime()
    if (!this.restarted) {
      lifetime.restart(now)
      this.restarted = true
    }
    return lifetime
  }

  /** `attributes` with Secure decided for this connection, and `sameSite: 'auto'` resolved (None only for a Secure cookie). */
  private resolved (attributes: CookieAttributes): Resolved {
    const secure = attributes.secure ?? this.owner.isSecure()
    const sameSite = attributes.sameSite === undefined && this.owner.sameSiteAuto ? (secure ? 'none' : 'lax') : attributes.sameSite
    return { ...attributes, secure, sameSite }
  }

  /** The session's id: the stored one, or (for a new session) one made now; undefined once destroyed. */
  currentId (): string | undefined {
    if (this.owner.state === null) return undefined
    this.leaveIfReplaced()
    this.id ??= this.newId()
    return this.id
  }

  /** A new session id: genid's, or 256 random bits. */
  private newId (): string {
    const { settings, request } = this.owner
    // The adapter's (koa-session's genid(ctx)), else express-session's genid(req), else 256 random bits.
    if (settings.newKey !== undefined) return settings.newKey(request)
    const { genid } = settings.expressSession
    if (genid === undefined) return settings.platform.newId()
    const id: unknown = genid(request)
    if (typeof id !== 'string' || id === '' || id.endsWith(TOMBSTONE_SUFFIX)) {
      throw new SessionWriteError(`option "genid" must return a non-empty string that does not end in "${TOMBSTONE_SUFFIX}", got ${typeof id === 'string' ? JSON.stringify(id) : typeof id}`)
    }
    return id
  }

  /** req.session.cookie: express-session's Cookie over this request's cookie. */
  sessionCookie (): SessionCookie {
    this.cookieObject ??= new SessionCookie({
      lifetime: () => this.lifetime(),
      attributes: () => this.resolved(this.owner.effective().attributes),
      set: (name, value) => { (this.owner.sessionOptions as Record<string, unknown>)[name] = value },
      changed: () => {
        this.cookieChanged = true
        this.restarted = false
      }
    })
    return this.cookieObject
  }

  /** The id cookie's value: the id, sealed when encryption is on. */
  private cookieValue (id: string): MaybePromise<string> {
    const { cipher, name } = this.owner.settings
    return cipher === undefined ? id : cipher.seal(id, name)
  }

  measure (_state: SessionState, effective: Effective): { size: number, chunks: number } {
    const { cipher, platform, name } = this.owner.settings
    const id = this.id ?? 'x'.repeat(43)
    if (this.expressFormat) {
      const line = setCookieLine(name, signedIdValue(id, 'x'.repeat(SHA256_SIGNATURE_LENGTH)), this.lineAttributes(effective.attributes))
      return { size: line.length, chunks: 1 }
    }
    // A sealed id has a fixed length, known from the format without sealing.
    const value = cipher === undefined ? id : 'x'.repeat(sealedLength(platform.byteLength(id)))
    return this.cookie.measureValue(value, effective)
  }

  /** The cookies this response needs: the id cookie, a cleared one, or none. */
  cookies (effective: Effective): MaybePromise<CookieWrite[] | undefined> {
    const { owner } = this
    const { state, acts, settings } = owner
    if (this.failed || state === undefined) return undefined
    const carrier = settings.keyCarrier
    if (this.ended) return carrier === undefined ? this.cleared(effective) : undefined
    if (state !== null && (!state.isNew || state.isPopulated || acts.forced || this.keeps(state))) {
      // A streamed response sends its headers before the store is written (at the end): the id is made now.
      const id = this.currentId() as string
      // A record this request writes (or is about to: a streamed response sends its headers first)
      // lives its lifetime from now, and the cookie naming it must too (as a renewed or changed
      // session's cookie does in cookie mode): once written, the record's new stamp no longer says
      // it was due for renewal, so the write itself is what counts. resave's write back is not a
      // change (express-session sends no cookie for it); a browser-session cookie need not be sent.
      const extended = !state.isNew && (state.isChanged || (this.written && !settings.expressSession.resave)) &&
        this.restartedLifetime(Date.now()).expires !== null
      if (id !== this.requestId || this.reissue || this.mustResend(effective) || this.cookieChanged || extended) {
        // The key travels outside the cookie (koa-session's externalKey): the app's carrier takes it.
        if (carrier !== undefined) {
          carrier.set(owner.request, id)
          return undefined
        }
        return this.idCookies(id, effective)
      }
    } else if (state === null && settings.expressSession.unset === 'keep' && this.held !== undefined) {
      // unset: 'keep' — req.session = null leaves the stored session, and its cookie, as they were.
      return undefined
    } else if (carrier === undefined && this.requestCookie &&
      (this.requestId !== undefined || state === null || acts.replaced || this.discarded || this.cookie.discarded)) {
      // No session to keep: a cookie naming one that is gone must not live on.
      return this.cleared(effective)
    }
    if (this.cookie.clearSignature) return [this.cookie.clearedSignature(effective.attributes)]
    return undefined
  }

  /** Whether the request carried a session cookie of this middleware's (or express-session's, under its own name). */
  private get requestCookie (): boolean {
    return this.cookie.hasCookie(this.owner.settings.name) || this.foreign
  }

  /** The id cookie for `id` in the configured format, and the cookies of the other one cleared. */
  private idCookies (id: string, effective: Effective): MaybePromise<CookieWrite[]> {
    const { settings } = this.owner
    const lifetime = this.restartedLifetime(Date.now())
    const attributes = this.resolved({ ...effective.attributes, maxAge: undefined, expires: lifetime.expires ?? undefined })
    if (this.expressFormat) {
      // The same checks as any write: Secure over plain HTTP, SameSite=None or Partitioned without Secure.
      this.owner.secure(attributes)
      const signer = settings.sha256Signer as NonNullable<typeof settings.sha256Signer>
      return after(signer.sign(id), (signature) => {
        const writes: CookieWrite[] = [this.line(setCookieLine(settings.name, signedIdValue(id, signature), this.lineAttributes(attributes)), attributes)]
        if (this.cookie.hasCookie(settings.sigName)) writes.push(this.cookie.clearedSignature(attributes))
        return writes
      })
    }
    const timed: Effective = { attributes, maxSize: effective.maxSize }
    // A store's id cookie is always signed (a per-request signed: false would write one the next request refuses).
    return after(this.cookieValue(id), (value) => after(this.cookie.valueCookies(value, timed, true), (writes) =>
      this.foreign ? [...writes, this.line(clearedLine(settings.expressSession.foreignName as string, this.lineAttributes(attributes)), attributes)] : writes))
  }

  /** The writes that clear the request's session cookie (in the format it came in). */
  private cleared (effective: Effective): MaybePromise<CookieWrite[] | undefined> {
    const { settings } = this.owner
    if (this.signedId || (this.expressFormat && !this.payload)) {
      if (!this.requestCookie) return undefined
      const attributes = this.resolved(effective.attributes)
      const name = this.foreign ? settings.expressSession.foreignName as string : settings.name
      const writes: CookieWrite[] = [this.line(clearedLine(name, this.lineAttributes(attributes)), attributes)]
      if (this.cookie.hasCookie(settings.sigName)) writes.push(this.cookie.clearedSignature(attributes))
      return writes
    }
    return this.cookie.hasCookie(settings.name) ? this.cookie.valueCookies('', effective, true) : undefined
  }

  /** A Set-Cookie line this persistence formatted itself (express-session's format), as a write. */
  private line (line: string, attributes: CookieAttributes): CookieWrite {
    return { name: line.slice(0, line.indexOf('=')), value: '', attributes, signed: false, line }
  }

  /** What express-session's Set-Cookie line carries of `attributes`. */
  private lineAttributes (attributes: CookieAttributes): LineAttributes {
    const resolved = this.resolved(attributes)
    return {
      path: resolved.path,
      domain: resolved.domain,
      expires: resolved.expires,
      httpOnly: resolved.httpOnly,
      secure: resolved.secure,
      partitioned: resolved.partitioned,
      priority: resolved.priority,
      sameSite: resolved.sameSite
    }
  }
}

/** reload() of a session the store no longer has (destroyed by another request, or expired). */
function storeGone (): SessionStoreError {
  const err = new SessionStoreError('get', undefined)
  Object.defineProperty(err, 'message', {
    // express-session's words, which apps written for it may look for.
    value: 'failed to load session',
    writable: true,
    configurable: true,
    enumerable: false
  })
  return err
}

/** Each top-level key of `data` with its JSON text (through the codec, so what cannot be stored is a SessionSerializeError). */
function keyJson (data: Record<string, unknown>): Map<string, string> {
  const keys = new Map<string, string>()
  for (const key of Object.keys(data)) keys.set(key, stringify({ [key]: data[key] }))
  return keys
}

function stampOf (cookie: unknown): Stamp | undefined {
  if (cookie === null || typeof cookie !== 'object') return undefined
  const { created, written } = cookie as { created?: unknown, written?: unknown }
  return Number.isSafeInteger(created) && Number.isSafeInteger(written) ? [created as number, written as number] : undefined
}
