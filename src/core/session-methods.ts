// The express-session methods that passport >= 0.6 and other middleware call on req.session, with
// the meaning they can honestly have when the whole session is the cookie.
import { SessionWriteError, type SessionWriteFailure } from '../errors.js'

/** What a session needs from the request it belongs to (its SessionContext). */
export interface SessionHost {
  /** Bytes of the Set-Cookie string for a session with this JSON text, if written now. */
  encodedSize (session: { serialize (): string }): number
  /** Replace the session with a new empty one. */
  regenerate (): void
  destroy (): void
  /** Load the session from the request's cookie again, dropping this request's changes. */
  reload (): void
  /** Throw the error that writing the cookie now would meet, if any. */
  check (): void
  /** Send the cookie with this response even if unchanged (its expiry starts again). */
  touch (): void
}

export type SessionCallback = (err: SessionWriteFailure | null) => void

/** express-session's methods, as they work on a cookie session. Callbacks run asynchronously, once. */
export interface SessionMethods {
  /** Replaces the contents with a new empty session (what passport does at login against session fixation). */
  regenerate (callback?: SessionCallback): void
  /** Checks now that the session can be written (size, JSON); the callback gets that error or `null`. The cookie is still written when the headers go out. */
  save (callback?: SessionCallback): void
  /** Same as `req.session = null`. */
  destroy (callback?: SessionCallback): void
  /** Reads the session from the request's cookie again, dropping this request's changes. */
  reload (callback?: SessionCallback): void
  /** Sends the cookie with this response even if unchanged, so its `maxAge` starts again. */
  touch (): void
}

export type MethodName = keyof SessionMethods

/** Callbacks run asynchronously and exactly once, as with express-session's stores. */
function settle (callback: SessionCallback | undefined, err: SessionWriteFailure | null): void {
  if (callback !== undefined) process.nextTick(callback, err)
}

function checked (callback: unknown, method: string): SessionCallback | undefined {
  if (callback === undefined || typeof callback === 'function') return callback as SessionCallback | undefined
  throw new TypeError(`req.session.${method}(callback): callback must be a function`)
}

const implementations: Record<MethodName, (host: SessionHost, callback?: SessionCallback) => void> = {
  regenerate (host, callback) {
    host.regenerate()
    settle(callback, null)
  },
  save (host, callback) {
    let failure: SessionWriteFailure | null = null
    try {
      host.check()
    } catch (err) {
      failure = SessionWriteError.from(err)
    }
    settle(callback, failure)
  },
  destroy (host, callback) {
    host.destroy()
    settle(callback, null)
  },
  reload (host, callback) {
    host.reload()
    settle(callback, null)
  },
  touch (host) {
    host.touch()
  }
}

export const METHOD_NAMES = Object.keys(implementations) as MethodName[]

/** The methods of one session, bound to its request, so `const { save } = req.session` works too. */
export function bindMethods (host: SessionHost): SessionMethods {
  const bound = {} as Record<MethodName, (callback?: unknown) => void>
  for (const name of METHOD_NAMES) {
    bound[name] = (callback?: unknown) => implementations[name](host, checked(callback, name))
  }
  return bound
}
