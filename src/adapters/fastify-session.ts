// The methods a Fastify session has on top of every session's: `get`, `set` and `data`, and
// `regenerate(fields)`, which is how Fastify's plugins (@fastify/passport, @fastify/flash) use a
// session, since they are written for @fastify/secure-session. Like `save()`, they are never data,
// and only the Fastify adapter's sessions have them.
import { SessionWriteError } from '../errors.js'
import { withMethods, type SessionState } from '../core/session.js'
import type { DefaultSessionData, SessionBase, SessionCallback, SessionOf, UntypedSessionData } from '../types.js'

/** The flags and methods of a session on Fastify: every session's, and those Fastify's session plugins call. */
export interface FastifySessionBase<Data extends object = DefaultSessionData> extends SessionBase {
  /** The value stored under `key` (as `session[key]`); `undefined` for a name of the session's API, such as `save`. */
  get<K extends keyof Data & string> (key: K): Data[K]
  /** Stores `value` under `key` (as `session[key] = value`); `undefined` deletes the key. A name of the session's API throws a `TypeError`. */
  set<K extends keyof Data & string> (key: K, value: Data[K]): void
  /** A shallow copy of the session's data, as `{ ...session }`. */
  data (): Data
  /**
   * Replaces the contents with a new session holding only the `fields` named (their values taken
   * over): what @fastify/passport does at login. Returns a promise (with a `store`, it settles once
   * the old record is deleted).
   */
  regenerate (fields: readonly (keyof Data & string)[]): Promise<void>
  regenerate (callback: SessionCallback): void
  regenerate (): Promise<void>
}

/** A Fastify session whose data is not declared: any other key holds any value. */
export interface UntypedFastifySession extends FastifySessionBase<UntypedSessionData> {
  [key: string]: any
}

/**
 * `request.session` on Fastify: a session, with the methods Fastify's session plugins call. `Data`
 * is the declared `SessionData` by default; see `Session`.
 * @typeParam Data - the session data type; by default the declared `SessionData` (any key and value when none is declared)
 */
export type FastifySession<Data extends object = DefaultSessionData> = SessionOf<Data, FastifySessionBase<Data>, UntypedFastifySession>

const noop = (): void => {}

function checkKey (name: string, key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new TypeError(`request.session.${name}(key): key must be a string`)
}

function get (state: SessionState, key: unknown): unknown {
  checkKey('get', key)
  return !state.isReserved(key) && Object.hasOwn(state.data, key) ? state.read(state.data, key) : undefined
}

function set (state: SessionState, key: unknown, value: unknown): void {
  checkKey('set', key)
  if (state.isReserved(key)) {
    throw new TypeError(`request.session.set("${key}"): "${key}" is a name of the session's API, not data`)
  }
  const session = state.proxy as Record<string, unknown>
  if (value === undefined) delete session[key]
  else session[key] = value
}

function data (state: SessionState): Record<string, unknown> {
  return { ...state.proxy }
}

/** regenerate(fields), or express-session's regenerate(callback?) for anything but an array. */
function regenerate (state: SessionState, fields?: unknown): unknown {
  if (!Array.isArray(fields)) return (state.method('regenerate') as (callback?: unknown) => unknown)(fields)
  if (!fields.every((field) => typeof field === 'string')) {
    throw new TypeError('request.session.regenerate(fields): fields must be an array of session field names')
  }
  let promise: Promise<void>
  try {
    promise = Promise.resolve(state.host.regenerate(fields)).catch((err: unknown) => { throw SessionWriteError.from(err) })
  } catch (err) {
    promise = Promise.reject(SessionWriteError.from(err))
  }
  // Like the other methods' promises: a failure nobody awaits is not an unhandled rejection.
  promise.catch(noop)
  return promise
}

/** The names a Fastify session answers besides its data. */
export const FASTIFY_SESSION_API = withMethods({ get, set, data, regenerate })
