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

const NUMBER = '(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)'
const STAMP = '(?:,"_stamp":\\[(\\d{1,16}),(\\d{1,16})\\])?'
/** The fields as koa-session and we write them, last in the object; matched where `"_expire":` or `"_session":` starts. */
const TIMED = new RegExp(`"_expire":${NUMBER},"_maxAge":${NUMBER}${STAMP}\\}$`, 'y')
const BROWSER = new RegExp(`"_session":true${STAMP}\\}$`, 'y')
const FIELDS = ['_expire', '_maxAge', '_session', '_stamp'] as const

/**
 * The session in a payload: the fields taken off its end where they are (every cookie koa-session
 * or we wrote), else out of the parsed object (undefined when it is not JSON). A payload without
 * them is the data as it is.
 */
export function unwrapKoa (payload: string): KoaPayload | undefined {
  if (!payload.includes('"_')) return { json: payload, expire: undefined, maxAge: undefined, stamp: undefined }
  const tail = fromTail(payload)
  // Left behind in the data (only a hand-made cookie has them twice, or elsewhere): the slow way.
  if (tail !== undefined && (!tail.json.includes('"_') || !FIELDS.some((field) => tail.json.includes(`"${field}"`)))) return tail
  return fromObject(payload)
}

function fromTail (payload: string): KoaPayload | undefined {
  const timed = payload.lastIndexOf('"_expire":')
  const at = timed !== -1 ? timed : payload.lastIndexOf('"_session":')
  if (at < 1) return undefined
  const pattern = timed !== -1 ? TIMED : BROWSER
  pattern.lastIndex = at
  const match = pattern.exec(payload)
  const before = payload[at - 1]
  if (match === null || (before !== ',' && before !== '{')) return undefined
  const json = payload.slice(0, before === ',' ? at - 1 : at) + '}'
  const [expire, maxAge, created, written] = timed !== -1 ? [match[1], match[2], match[3], match[4]] : [undefined, undefined, match[1], match[2]]
  return {
    json,
    expire: expire === undefined ? undefined : Number(expire),
    maxAge: timed === -1 ? 'session' : lifetimeOf(Number(maxAge)),
    stamp: stampOf([Number(created), Number(written)])
  }
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
