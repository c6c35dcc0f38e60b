// Records as express-session stores keep them, `{ cookie, ...data }`: reading their lifetime,
// applying a request's change to the record a store holds now, finding a value in the data.
import type { Change, RecordCookie, StoredRecord } from './types.js'

/** The lifetime express-session stores give a record whose cookie names none (connect-redis, express-mysql-session). */
export const ONE_DAY = 86_400_000

/** Whether `value` can be a record: a plain object (what a store returns for a session). */
export function isRecord (value: unknown): value is StoredRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** When `cookie` (a record's) says the record ends, in Unix ms; undefined when it does not say. */
export function expiresAt (cookie: unknown): number | undefined {
  if (!isRecord(cookie)) return undefined
  const { expires } = cookie
  if (expires === null || expires === undefined || expires === '') return undefined
  const ms = expires instanceof Date ? expires.getTime() : typeof expires === 'string' || typeof expires === 'number' ? new Date(expires).getTime() : NaN
  return Number.isFinite(ms) ? ms : undefined
}

/** Whether `cookie` says the session has already ended. */
export function hasEnded (cookie: unknown, now: number): boolean {
  const end = expiresAt(cookie)
  return end !== undefined && end <= now
}

/**
 * Milliseconds `cookie` gives its record from `now`: until its `expires`, else `fallback`
 * (koa-session's stores take this as `maxAge`, so their TTLs hold). At least 1.
 */
export function lifetimeOf (cookie: unknown, now: number, fallback: number): number {
  const end = expiresAt(cookie)
  return Math.max(1, end === undefined ? fallback : end - now)
}

/**
 * `current` with `change` applied and `cookie` as its cookie: keys the change sets take their new
 * values, keys it unsets go, every other key keeps what `current` has (what another request may
 * have written meanwhile). The cookie comes first, as express-session writes it.
 */
export function applyChange (current: StoredRecord, change: Change, cookie: RecordCookie): StoredRecord {
  const next: StoredRecord = { cookie }
  const unset = new Set(change.unset)
  for (const [key, value] of Object.entries(current)) {
    if (key !== 'cookie' && !unset.has(key) && !Object.hasOwn(change.set, key)) define(next, key, value)
  }
  for (const [key, value] of Object.entries(change.set)) {
    if (key === 'cookie') throw new TypeError('"cookie" is the record\'s lifetime, not session data: a change cannot set it')
    define(next, key, value)
  }
  return next
}

/** `current` with `cookie` as its cookie, its data as it is. */
export function withCookie (current: StoredRecord, cookie: RecordCookie): StoredRecord {
  return applyChange(current, { set: {}, unset: [] }, cookie)
}

/** An own data property even for a key such as `__proto__` (which an assignment would not create). */
function define (target: StoredRecord, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true })
}

/** The value at `path` in `record`'s data (own properties only), or undefined. */
export function valueAt (record: unknown, path: readonly string[]): unknown {
  let value: unknown = record
  for (const key of path) {
    if (!isRecord(value) || !Object.hasOwn(value, key)) return undefined
    value = value[key]
  }
  return value
}

/** JSON with object keys sorted: the same text for the same value, whatever the key order. */
export function canonicalJson (value: unknown): string | undefined {
  return JSON.stringify(value, (_key, inner: unknown) => {
    // Dates arrive here as strings already (JSON.stringify calls toJSON first).
    if (!isRecord(inner)) return inner
    const sorted: Record<string, unknown> = {}
    for (const key of Object.keys(inner).sort()) define(sorted, key, inner[key])
    return sorted
  })
}
