// The one seam between a request's session lifecycle (request.ts) and where the session lives: in
// the cookie itself (cookie-persistence.ts) or in a store, the cookie holding its id
// (store-persistence.ts). The lifecycle and the adapters call these methods and never ask which
// one they have. A step that may wait (a store, or the Web platform's crypto) returns a
// MaybePromise; on Node in cookie mode nothing ever waits.
import type { Settings, Effective, SessionOptions } from '../options/settings.js'
import type { MaybePromise } from '../platform/maybe.js'
import type { CookieAttributes, CookieWrite, Jar } from '../platform/types.js'
import type { PayloadFormat } from './payload.js'
import type { SessionState, StateHost } from './session.js'

/** What the app did to the session during this request; replaced as a whole by reload(). */
export class Acts {
  /** The app assigned an object to the session. */
  replaced = false
  /** regenerate() or a destroy happened: a session made after it is a new one (new creation time, new id). */
  restarted = false
  /** Send the cookie even if unchanged (session.touch()). */
  resend = false
  /** Write the session even when it is new and empty (koa-session's save()). */
  forced = false
}

/** What a persistence may ask of the request it serves (request.ts implements it). */
export interface Owner extends StateHost {
  readonly settings: Settings
  /** The request's cookies. */
  readonly jar: Jar
  /** The session as the app left it: undefined (never read), null (destroyed), or the session. */
  readonly state: SessionState | null | undefined
  readonly acts: Readonly<Acts>
  /** The framework's request object (Koa's ctx): handed to the hooks, and to koa-session's promise stores. */
  readonly request: unknown
  /** Whether this request's session cookie is signed (`req.sessionOptions.signed`, else the middleware's). */
  readonly signed: boolean
  /** How the payload carries its expiry, when the adapter has a format of its own (payload.ts). */
  readonly format?: PayloadFormat | undefined
  /** The cookie attributes and size limit in force for this response. */
  effective (): Effective
  /** Whether the connection is HTTPS (directly, or through a trusted proxy). */
  isSecure (): boolean
  /**
   * The Secure attribute for a write with these attributes; throws `InsecureConnectionError` when
   * the cookie must be Secure and the connection is not.
   */
  secure (attributes: CookieAttributes): boolean
  /** A new empty session for this request. */
  fresh (): SessionState
  /** The validate hook's verdict on a session read from storage. */
  accepts (state: SessionState): boolean
  /** Runs the beforeSave hook (the response is going out). */
  beforeSave (state: SessionState): void
  /** Hands a failure to the app's onError (or warns once). */
  reportError (err: unknown): void
  /** This request's `req.sessionOptions` (the cookie's attributes set for this response). */
  readonly sessionOptions: SessionOptions
  /** Store mode: the lifetime this request set through req.sessionOptions (`maxAge`, `expires`), when it set one. */
  lifetimeOptions (): Pick<CookieAttributes, 'maxAge' | 'expires'> | undefined
  /** express-session's `sameSite: 'auto'` for this request's cookie: None on a Secure cookie, else Lax. */
  readonly sameSiteAuto: boolean
}

export interface Persistence {
  /**
   * Reads, before the app runs, what must be waited for: the store's record, or the cookie where
   * the platform's crypto is asynchronous. Undefined when nothing had to wait (Node in cookie mode
   * reads the cookie when the session is first read, so an untouched session costs nothing).
   */
  load (): MaybePromise<void>
  /** Whether the response must wait for `save()` before it ends (a store is written at the end). */
  readonly savesBeforeEnd: boolean
  /** The session the request brought (or a new empty one): read when the app first reads it. */
  state (): SessionState
  /**
   * The session was destroyed or regenerated: what held it stops working (a store deletes the
   * record). `keepAge`: the same session goes on under a new key (koa-session's regenerate), so it
   * keeps its creation time.
   */
  drop (keepAge?: boolean): MaybePromise<void>
  /**
   * Ends every session of this session's user (the `userKey` option), this one included: "log out
   * everywhere". Throws `SessionOptionError` where that cannot be done (no store, no userKey, a store
   * that cannot find a user's sessions).
   */
  destroyAll (state: SessionState): MaybePromise<void>
  /** Reads the session again (session.reload()); the lifecycle then asks state() anew. */
  reload (): MaybePromise<void>
  /**
   * Writes what must be written before the response ends (a store's record); `final`: the
   * response is going out, so the beforeSave hook runs. In cookie mode, session.save() checks here
   * that the cookie can be written.
   */
  save (final: boolean): MaybePromise<void>
  /** The cookies this response needs (undefined for none); runs the beforeSave hook in cookie mode. */
  cookies (effective: Effective): MaybePromise<CookieWrite[] | undefined>
  /** The key the session is stored under (koa-session's externalKey): a store's id, made now for a new session; none in a cookie. */
  key (): string | undefined
  /** Bytes of the session cookie's Set-Cookie string(s) if `state` were written now, and how many cookies. */
  measure (state: SessionState, effective: Effective): { readonly size: number, readonly chunks: number }
}
