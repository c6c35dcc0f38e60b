// koa-session's session API on `ctx.session`, which only the Koa adapter's sessions have: `populated`,
// `length`, `maxAge` (read and set; setting it writes the session), `save()` (writes it now, even
// new and empty), `regenerate()` (the same content under a new key), `manuallyCommit()`, `toJSON()`,
// Node's inspect symbol, `externalKey`, and koa-session's bookkeeping names, which are never data.
// `save` and `regenerate` here are koa-session's, not express-session's (the other adapters').
import { withMethods, type SessionState } from '../core/session.js'
import type { DefaultSessionData, SessionMethods, SessionOf } from '../types.js'
import type { Lifetime } from './koa-expiry.js'

/** koa-session's callback: called with nothing, or the error. */
export type KoaSessionCallback = (err?: unknown) => void

/** A Koa session's flags and methods besides its data: koa-session's API, and express-session's destroy/reload/touch. */
export interface KoaSessionBase extends Pick<SessionMethods, 'destroy' | 'destroyAll' | 'reload' | 'touch'> {
  /** True when the request brought no valid session (or it was replaced this request). */
  readonly isNew: boolean
  /** True when the contents differ from what the request brought (always for a new session). */
  readonly isChanged: boolean
  /** True when the session holds any data (koa-session's `populated`). */
  readonly isPopulated: boolean
  /** koa-session's: true when the session holds any data. */
  readonly populated: boolean
  /** koa-session's: how many keys the session's data has. */
  readonly length: number
  /**
   * The session's lifetime in ms, or `'session'` (until the browser closes); `undefined` for the
   * default (one day, kept by the server). Setting it writes the session with this response, and
   * later requests keep it (it travels in the cookie as `_maxAge`).
   */
  maxAge: number | 'session' | undefined
  /** With a store: the key the session is stored under (made now for a new session). */
  readonly externalKey: string | undefined
  /** Bytes the session cookie's Set-Cookie string would take if written now (see `maxSize`). */
  readonly encodedSize: number
  /** How many cookies the session would take if written now: 1, or more with `chunked: true`. */
  readonly encodedChunks: number
  /**
   * Writes the session now (also when it is new and empty, or unchanged), and again with the response; the callback gets,
   * or the promise rejects with, what kept it from being written (a SessionTooLargeError, say).
   */
  save (callback: KoaSessionCallback): void
  save (): Promise<void>
  /** The same content under a new key (a new store id; a new cookie), written now. */
  regenerate (callback: KoaSessionCallback): void
  regenerate (): Promise<void>
  /** Writes the session's cookies (and store record) now: what `autoCommit: false` asks the app to call. Rejects with what kept them from being written. */
  manuallyCommit (): Promise<void>
  /** The session's data, as a plain object. */
  toJSON (): Record<string, any>
}

/** A Koa session whose data is not declared: the flags and methods, and any other key holding any value. */
export interface UntypedKoaSession extends KoaSessionBase {
  [key: string]: any
}

/**
 * `ctx.session` on Koa: your data (the declared `SessionData`, or any key when none is declared),
 * with koa-session's API. Data that cannot be a session's makes this a string saying why, as `Session` does.
 */
export type KoaSession<Data extends object = DefaultSessionData> = SessionOf<Data, KoaSessionBase, UntypedKoaSession>

const noop = (): void => {}

/** What these methods need of the request a Koa session belongs to (koa-request.ts implements it). */
export interface KoaSessionHost {
  readonly maxAge: Lifetime | undefined
  readonly expire: number | undefined
  setMaxAge (value: unknown, write: boolean): void
  key (): string | undefined
  commitNow (): Promise<void>
  forceSave (): Promise<void>
  regenerateKeeping (): Promise<void>
}

function hostOf (state: SessionState): KoaSessionHost {
  return state.host as unknown as KoaSessionHost
}

/** A promise for the app, or its callback called once it settles (koa-session calls it with no argument on success). */
function settle (work: Promise<void>, callback: unknown): Promise<void> | undefined {
  if (callback !== undefined && typeof callback !== 'function') throw new TypeError('ctx.session: callback must be a function')
  // Not awaited: the end of the request writes (and reports) again.
  work.catch(noop)
  if (callback === undefined) return work
  work.then(() => (callback as KoaSessionCallback)(), callback as KoaSessionCallback)
  return undefined
}

/** The plain data of a session. */
function dataOf (state: SessionState): Record<string, unknown> {
  return { ...state.proxy }
}

/** The names a Koa session answers besides its data. */
export const KOA_SESSION_API = withMethods({
  save: (state, callback?: unknown) => settle(hostOf(state).forceSave(), callback),
  regenerate: (state, callback?: unknown) => settle(hostOf(state).regenerateKeeping(), callback),
  manuallyCommit: (state) => settle(hostOf(state).commitNow(), undefined),
  toJSON: dataOf,
  [Symbol.for('nodejs.util.inspect.custom')]: dataOf
}, {
  populated: { get: (state) => state.isPopulated },
  length: { get: (state) => Object.keys(state.proxy).length },
  maxAge: { get: (state) => hostOf(state).maxAge, set: (state, value) => { hostOf(state).setMaxAge(value, true) } },
  externalKey: { get: (state) => hostOf(state).key() },
  // koa-session's bookkeeping in the cookie: never data. `_expire` reads when the session read ends.
  _expire: { get: (state) => hostOf(state).expire },
  _maxAge: { get: () => undefined },
  _session: { get: () => undefined }
})
