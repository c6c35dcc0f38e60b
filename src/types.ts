// The public types of a session, at the bottom of the house so that the options (whose hooks take
// a session) and the core (which makes it) both depend on them, not on each other.
import type { SessionWriteFailure } from './errors.js'

/**
 * The session object: your data, plus read-only flags and express-session's methods (for passport
 * and friends), none of which are ever stored.
 */
export interface Session extends SessionMethods {
  /** True when the request brought no valid session (or it was replaced this request). */
  readonly isNew: boolean
  /** True when the contents differ from what the request brought (always for a new session). */
  readonly isChanged: boolean
  /** True when the session holds any data. */
  readonly isPopulated: boolean
  /** Bytes the session cookie's Set-Cookie string would take if written now (see `maxSize`). */
  readonly encodedSize: number
  /** How many cookies the session would take if written now: 1, or more with `chunked: true`. */
  readonly encodedChunks: number
  [key: string]: any
}

export type SessionCallback = (err: SessionWriteFailure | null) => void

/**
 * express-session's methods, as they work on a cookie session. With a callback, it is called
 * asynchronously, once, with `null` or the error; without one, the method returns a promise.
 */
export interface SessionMethods {
  /** Replaces the contents with a new empty session (what passport does at login against session fixation). */
  regenerate (callback: SessionCallback): void
  regenerate (): Promise<void>
  /**
   * Checks now that the session can be written (size, JSON); the callback gets that error or `null`. The cookie is still written when the headers go out.
   * With the `store` option: writes the store now (the callback runs once it holds the session).
   */
  save (callback: SessionCallback): void
  save (): Promise<void>
  /** Same as `req.session = null`; with the `store` option, the record is deleted before the callback runs. */
  destroy (callback: SessionCallback): void
  destroy (): Promise<void>
  /**
   * Logs the user out everywhere: ends every session whose `userKey` (an option, e.g.
   * `'passport.user'`) holds this session's user, this one included. Needs the `store` option and a
   * store that can find them (connect-redis, express-mysql-session, or one with `all()`).
   */
  destroyAll (callback: SessionCallback): void
  destroyAll (): Promise<void>
  /** Reads the session from the request's cookie again, dropping this request's changes. */
  reload (callback: SessionCallback): void
  reload (): Promise<void>
  /** Sends the cookie with this response even if unchanged, so its `maxAge` starts again. */
  touch (): void
}
