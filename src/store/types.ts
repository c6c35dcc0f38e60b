// What a store driver is and handles: the records, the changes a request writes, the calls' context,
// and the driver's interface (driver.ts picks one; generic.ts, redis.ts and mysql.ts are the three).

/**
 * What express-session stores read a record's lifetime from, and express-session its cookie's
 * attributes (its Cookie's data); ours adds the expiry stamps.
 */
export interface RecordCookie {
  originalMaxAge: number | null
  partitioned?: true | undefined
  priority?: 'low' | 'medium' | 'high' | undefined
  /** A Date when written by us; a string (ISO 8601) once read back from a store that keeps JSON. */
  expires: Date | string | null
  secure?: boolean
  httpOnly?: boolean
  domain?: string | undefined
  path?: string
  sameSite?: 'strict' | 'lax' | 'none' | undefined
  /** When the session was created and last written, in Unix ms (only with timeouts or renew). */
  created?: number
  written?: number
}

/** A record as stored: `{ cookie, ...data }` (express-session's shape, so express-session can read ours). */
export type StoredRecord = Record<string, unknown> & { cookie?: unknown }

/** Top-level keys a request changed: set (with their new values) and deleted. */
export interface Change {
  readonly set: Readonly<Record<string, unknown>>
  readonly unset: readonly string[]
}

/**
 * Per-call facts that koa-session's promise stores take: `maxAge` (the session's maxAge in ms, when
 * it has one), `rolling`, and koa's `ctx`. Callback stores get none of them.
 */
export interface CallInfo {
  readonly maxAge: number | undefined
  readonly rolling: boolean
  readonly ctx?: unknown
}

/**
 * What store mode asks of a session store. Every method rejects only with a `SessionStoreError`
 * (a `SessionStoreConflictError` when update() gave up against concurrent writers), never with the
 * store's own error, which is its `cause`.
 */
export interface StoreDriver {
  /** Whether update() is atomic against concurrent update() and destroy() (the Redis and MySQL drivers). */
  readonly atomic: boolean
  /** Which driver this is, for messages and tests. */
  readonly name: 'generic' | 'redis' | 'mysql'
  /** The record, or undefined when there is none (missing, expired, destroyed, or the store's "no such session" error). */
  load (id: string, info: CallInfo): Promise<StoredRecord | undefined>
  /** Writes a record under a NEW id (one never used before). */
  create (id: string, record: StoredRecord, info: CallInfo): Promise<void>
  /**
   * Applies `change` to the record AS IT IS IN THE STORE NOW (not as the request loaded it) and
   * gives it `cookie`. 'gone' when there is no record: update never recreates one. A `cookie` whose
   * `expires` has passed ends the session: the record is deleted and the answer is 'gone'.
   * `loaded`: the record load() answered for `id`, when nothing was written since; an atomic driver
   * tries its compare-and-set against it first and reads the record again only when it has changed
   * (a round trip fewer for the usual write).
   */
  update (id: string, change: Change, cookie: RecordCookie, info: CallInfo, loaded?: StoredRecord): Promise<'ok' | 'gone'>
  /** Extends the record's lifetime only (its data is left as it is); 'gone' when there is none; never recreates. */
  touch (id: string, cookie: RecordCookie, info: CallInfo): Promise<'ok' | 'gone'>
  /** Deletes the record for good: once it has resolved, no update() or touch() of any request brings it back. */
  destroy (id: string, info: CallInfo): Promise<void>
  /**
   * Deletes every record whose data at `path` (e.g. ['passport', 'user']) is `value` (the same JSON);
   * resolves to how many. Absent when the store offers no way to find them.
   */
  destroyAll? (path: readonly string[], value: unknown, info: CallInfo): Promise<number>
}

/** The settings every driver takes (driverFor's options with their defaults). */
export interface DriverSettings {
  readonly timeout: number
  readonly attempts: number
  readonly index: readonly string[]
}
