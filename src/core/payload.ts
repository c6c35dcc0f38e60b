// How the session's JSON carries its expiry, when the request's adapter has a format of its own:
// the Koa adapter writes koa-session's `_expire` and `_maxAge` into the JSON object, so that
// koa-session reads its cookies (and it reads theirs). Without one, the payload is the JSON itself,
// or, with timeouts or renew, the [created, written, {...}] stamp (expiry.ts). The format belongs to
// the request, because what it writes depends on the session (koa-session's maxAge is per session).
import type { Stamp } from './expiry.js'

/** What a payload held: the session's own JSON, and what it said about expiry. */
export interface Unwrapped {
  /** The session's JSON object text, the format's bookkeeping taken out. */
  readonly json: string
  /** When the session was created and last written, if the payload says (timeouts). */
  readonly stamp: Stamp | undefined
  /** The payload says the session has expired: it is not used, and its cookie is cleared. */
  readonly expired: boolean
}

export interface PayloadFormat {
  /** The payload for the session's JSON object text, written `now`; `stamp` when timeouts are on. */
  wrap (json: string, stamp: Stamp | undefined, now: number): string
  /** The session in a payload (a cookie's, or a store record's JSON), or undefined when it holds none. */
  unwrap (payload: string, now: number): Unwrapped | undefined
  /** Whether an unchanged session read from storage is due to be written again now (its renewal). */
  due (): boolean
}
