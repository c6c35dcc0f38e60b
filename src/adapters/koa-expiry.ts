// koa-session's way of keeping a session's expiry, which the Koa adapter writes and reads: inside
// the JSON object, after the data, `"_expire"` (when the session ends, Unix ms) and `"_maxAge"` (its
// lifetime, ms), or `"_session":true` for a browser-session cookie, which no clock ends. Written so,
// koa-session reads our cookies and refuses them once expired; read so, koa-session's cookies keep
// their expiry here. With absoluteTimeout or idleTimeout on, `"_stamp":[created,written]` follows
// (koa-session keeps any `_` field out of a session's data, and drops it when it writes). Pure text.
import type { Stamp } from '../core/expiry.js'
import { parse } from '../wire/codec.js'

/** koa-session's lifetime when none is given: one day, kept by the server (in `_expire`). */
export const ONE_DAY = 86_400_000

/** A session's lifetime in ms, or 'session': until the browser closes. */
export type Lifetime = number | 'session'

/** What a payload says: the data's JSON, and koa-session's bookkeeping (and our stamp) taken out of it. */
export interface KoaPayload {
  readonly json: string
  /** koa-session's `_expire`: when the session ends, if the payload says. */
  readonly expire: number | undefined
  /** The session's own lifetime (`_maxAge`, or 'session' for `_session`), if the payload says. */
  readonly maxAge: Lifetime | undefined
  readonly stamp: Stamp | undefined
}

/** The payload for the session's JSON object text, written `now`. */
export function wrapKoa (json: string, lifetime: Lifetime, stamp: Stamp | undefined, now: number): string {
  let tail = lifetime === 'session' ? '"_session":true' : `"_expire":${now + lifetime},"_maxAge":${lifetime}`
  if (stamp !== undefined) tail += `,"_stamp":[${stamp[0]},${stamp[1]}]`
  return json.length === 2 ? `{${tail}}` : `${json.slice(0, -1)},${tail}}`
}

const EXPIRE = '"_expire":'
const MAX_AGE = ',"_maxAge":'
const SESSION = '"_session":true'
const STAMP = ',"_stamp":['
const FIELDS = ['_expire', '_maxAge', '_session', '_stamp'] as const
/** RFC 8259's number (no leading zero, no plus sign, digits on both sides of a dot), as JSON.parse takes it. */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/
const STAMP_VALUES = /^(0|[1-9]\d{0,15}),(0|[1-9]\d{0,15})\]$/
/** The longest the fields can be at the end of a payload: both numbers, and a stamp. */
const TAIL_WINDOW = 160

/**
 * The session in a payload: the fields taken off its end where they are (every cookie koa-session
 * or we wrote), else out of the parsed object (undefined when it is not JSON). A payload without
 * them is the data as it is. This runs on every read, so the usual case costs a few short scans.
 */
export function unwrapKoa (payload: string): KoaPayload | undefined {
  const tail = fromTail(payload)
  if (tail !== undefined) {
    // The fields once more in the data (only a hand-made cookie has them twice): the slow way.
    const first = payload.indexOf('"_')
    if (first === tail.at) return tail
    const data = payload.slice(0, tail.at)
    return FIELDS.some((field) => data.includes(`"${field}"`)) ? fromObject(payload) : tail
  }
  return payload.includes('"_') ? fromObject(payload) : { json: payload, expire: undefined, maxAge: undefined, stamp: undefined }
}

/** The fields as koa-session and we write them, last in the object (`at`: where they start). */
function fromTail (payload: string): (KoaPayload & { readonly at: number }) | undefined {
  const last = payload.length - 1
  if (payload.charCodeAt(last) !== 0x7d) return undefined
  const window = Math.max(0, payload.length - TAIL_WINDOW)
  let at = payload.indexOf(EXPIRE, window)
  let end: number
  let expire: number | undefined
  let maxAge: Lifetime | undefined
  if (at !== -1) {
    const middle = payload.indexOf(MAX_AGE, at)
    if (middle === -1) return undefined
    end = payload.indexOf(STAMP, middle)
    if (end === -1) end = last
    expire = numberIn(payload, at + EXPIRE.length, middle)
    const age = numberIn(payload, middle + MAX_AGE.length, end)
    if (expire === undefined || age === undefined) return undefined
    maxAge = lifetimeOf(age)
  } else {
    at = payload.indexOf(SESSION, window)
    if (at === -1) return undefined
    end = at + SESSION.length
    if (end !== last && !payload.startsWith(STAMP, end)) return undefined
    maxAge = 'session'
  }
  let stamp: Stamp | undefined
  if (end !== last) {
    const values = STAMP_VALUES.exec(payload.slice(end + STAMP.length, last))
    if (values === null) return undefined
    stamp = stampOf([Number(values[1]), Number(values[2])])
  }
  const before = payload.charCodeAt(at - 1)
  if (before !== 0x2c && before !== 0x7b) return undefined
  return { json: payload.slice(0, before === 0x2c ? at - 1 : at) + '}', expire, maxAge, stamp, at }
}

/** The JSON number in `text` from `start` to `end`, or undefined; whole numbers (the usual) without Number()'s cost. */
function numberIn (text: string, start: number, end: number): number | undefined {
  // A leading zero is JSON only alone (the regular expression decides the rest).
  if (end - start > 0 && end - start <= 15 && (text.charCodeAt(start) !== 0x30 || end - start === 1)) {
    let value = 0
    let i = start
    for (; i < end; i++) {
      const digit = text.charCodeAt(i) - 0x30
      if (digit < 0 || digit > 9) break
      value = value * 10 + digit
    }
    if (i === end) return value
  }
  const number = text.slice(start, end)
  return JSON_NUMBER.test(number) ? Number(number) : undefined
}

function fromObject (payload: string): KoaPayload | undefined {
  const data = parse(payload) as Record<string, unknown> | undefined
  if (data === undefined) return undefined
  const { _expire: expire, _maxAge: maxAge, _session: browser, _stamp: stamp } = data
  for (const field of FIELDS) delete data[field]
  return {
    json: JSON.stringify(data),
    expire: typeof expire === 'number' ? expire : undefined,
    maxAge: browser !== undefined ? 'session' : lifetimeOf(maxAge),
    stamp: Array.isArray(stamp) ? stampOf(stamp) : undefined
  }
}

function lifetimeOf (value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}

function stampOf ([created, written]: unknown[]): Stamp | undefined {
  return Number.isSafeInteger(created) && Number.isSafeInteger(written) ? [created as number, written as number] : undefined
}
