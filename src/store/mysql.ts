// The MySQL/MariaDB driver: express-mysql-session's MySQLStore, atomic. It queries the store's
// own table through the store's own connection (its `query`), with the table and column names of
// its `schema` option, and writes rows as it does (`data`: the record as JSON; `expires`: Unix
// seconds, from the cookie's expires or else `expiration` from now), so express-session with
// express-mysql-session reads the rows it writes, and it reads theirs.
//
// update(): SELECT the row with SHA2(data) as its version, apply the change in JavaScript, then
// UPDATE ... WHERE session_id = ? AND SHA2(data) = <version read> AND expires >= now. No row
// updated means another request changed the row, or it was deleted or expired: the next attempt's
// SELECT tells which ('gone' for the latter, never an INSERT), bounded. destroy() is a DELETE; after
// it no conditional UPDATE matches. InnoDB applies each UPDATE to the latest committed row under
// its lock, so in any interleaving a write based on a stale read changes nothing: concurrent updates
// to different keys all land, and a destroy is final. The version is a hash of the data rather than
// the data itself so that a column collation that ignores case cannot make two texts equal.
//
// destroyAll() narrows the rows with JSON_EXTRACT in SQL, then checks each in JavaScript (the same
// JSON value exactly) and deletes it with the same conditional DELETE.
import type { DriverSettings, StoreDriver, StoredRecord } from './types.js'
import { asStoreError, storeAnswer, type StoreOperation } from './errors.js'
import { applyChange, canonicalJson, expiresAt, hasEnded, isRecord } from './record.js'
import { withRetries, type Attempt } from './retry.js'
import { holds } from './scan.js'
import { within } from './settle.js'

/** express-mysql-session's MySQLStore, as far as this driver reads it. */
export interface MySQLStoreShape {
  options: {
    expiration: number
    disableTouch?: boolean
    schema: { tableName: string, columnNames: { session_id: string, expires: string, data: string } }
  }
  /** Runs one statement on the store's connection (pool); resolves to [rows or result, fields]. */
  query (sql: string, params: unknown[]): Promise<[unknown, unknown]>
}

/** Whether `store` is express-mysql-session's MySQLStore: its `query` and the `schema` of its options. */
export function isMySQLStore (store: object): store is MySQLStoreShape {
  const { options, query } = store as Partial<Record<string, unknown>>
  const schema = (options as { schema?: { tableName?: unknown, columnNames?: Record<string, unknown> } } | undefined)?.schema
  const columns = schema?.columnNames
  return typeof query === 'function' && typeof (options as { expiration?: unknown }).expiration === 'number' &&
    typeof schema?.tableName === 'string' && columns !== undefined &&
    ['session_id', 'expires', 'data'].every((name) => typeof columns[name] === 'string')
}

interface Row { data: unknown, expires: number, version: string | null }

export function mysqlDriver (store: MySQLStoreShape, settings: DriverSettings): StoreDriver {
  const { timeout, attempts } = settings
  /** An optimistic write, tried again while other requests keep changing the record, for at most the store timeout. */
  const retrying = async (attempt: () => Promise<Attempt>) => await withRetries(attempts, attempt, timeout)
  const { tableName: table, columnNames: { session_id: idColumn, expires: expiresColumn, data: dataColumn } } = store.options.schema

  const query = async (operation: StoreOperation, sql: string, params: unknown[]): Promise<unknown> => {
    const answer = await within(operation, timeout, () => store.query(sql, params))
    if (!Array.isArray(answer)) throw storeAnswer(operation, 'a query with something other than [rows, fields]')
    return answer[0]
  }
  /** Rows changed (or matched: mysql2 asks for found rows) by an UPDATE or DELETE. */
  const affected = async (operation: StoreOperation, sql: string, params: unknown[]): Promise<number> => {
    const result = await query(operation, sql, params) as { affectedRows?: unknown }
    if (typeof result?.affectedRows !== 'number') throw storeAnswer(operation, 'a write without a count of affected rows')
    return result.affectedRows
  }
  /** Unix seconds, rounded, as express-mysql-session counts them. */
  const seconds = (ms: number) => Math.round(ms / 1000)
  /** The `expires` column for a record's cookie: express-mysql-session's rule. */
  const expiresFor = (cookie: unknown) => seconds(expiresAt(cookie) ?? Date.now() + store.options.expiration)

  /** The live row of `id` (not expired), or undefined. */
  const row = async (id: string): Promise<Row | undefined> => {
    const rows = await query('get', 'SELECT ?? AS data, ?? AS expires, SHA2(??, 256) AS version FROM ?? WHERE ?? = ?',
      [dataColumn, expiresColumn, dataColumn, table, idColumn, id])
    if (!Array.isArray(rows)) throw storeAnswer('get', 'a SELECT without rows')
    const found = rows[0] as Row | undefined
    if (found === undefined || found.data === null || found.data === undefined || found.expires < seconds(Date.now())) return undefined
    return found
  }

  const parse = (data: unknown): StoredRecord => {
    let record: unknown = data
    if (typeof data === 'string') {
      try {
        record = JSON.parse(data)
      } catch (err) {
        throw asStoreError('get', err)
      }
    }
    if (!isRecord(record)) throw storeAnswer('get', 'a session that is not an object')
    return record
  }

  const stringify = (record: StoredRecord): string => {
    try {
      return JSON.stringify(record)
    } catch (err) {
      throw asStoreError('set', err)
    }
  }

  /** Deletes the row of `id` if its data is still `version`; whether it did. */
  const removeIf = async (id: string, version: string | null): Promise<boolean> => await affected('destroy',
    'DELETE FROM ?? WHERE ?? = ? AND SHA2(??, 256) = ?', [table, idColumn, id, dataColumn, version]) > 0

  const destroy = async (id: string): Promise<void> => {
    await query('destroy', 'DELETE FROM ?? WHERE ?? = ?', [table, idColumn, id])
  }

  /** The row each record load() answered was read from: the version its conditional UPDATE is against. */
  const versions = new WeakMap<StoredRecord, Row>()

  return {
    atomic: true,
    name: 'mysql',

    async load (id) {
      const found = await row(id)
      if (found === undefined) return undefined
      const record = parse(found.data)
      if (hasEnded(record.cookie, Date.now())) return undefined
      versions.set(record, found)
      return record
    },

    async create (id, record) {
      if (hasEnded(record.cookie, Date.now())) return
      await query('set', 'INSERT INTO ?? (??, ??, ??) VALUES (?, ?, ?)',
        [table, idColumn, expiresColumn, dataColumn, id, expiresFor(record.cookie), stringify(record)])
    },

    async update (id, change, cookie, _info, loaded) {
      // The first attempt against the row as loaded, if it is still what the table holds.
      let base = loaded === undefined ? undefined : versions.get(loaded)
      return await retrying(async () => {
        const asLoaded = base !== undefined
        const found = base ?? await row(id)
        base = undefined
        if (found === undefined) return 'gone'
        const current = asLoaded ? loaded as StoredRecord : parse(found.data)
        // Ended as loaded, it may have been extended since: only a fresh read says it is gone.
        if (hasEnded(current.cookie, Date.now())) return asLoaded ? 'conflict' : 'gone'
        if (hasEnded(cookie, Date.now())) return await removeIf(id, found.version) ? 'gone' : 'conflict'
        let next: StoredRecord
        try {
          next = applyChange(current, change, cookie)
        } catch (err) {
          throw asStoreError('set', err)
        }
        const text = stringify(next)
        const expires = expiresFor(cookie)
        // Nothing to write (and a server that counts changed rows, not found ones, would answer 0);
        // known only from a fresh read: the row as loaded may have changed or gone since.
        if (!asLoaded && text === found.data && expires === found.expires) return 'ok'
        const updated = await affected('set', 'UPDATE ?? SET ?? = ?, ?? = ? WHERE ?? = ? AND SHA2(??, 256) = ? AND ?? >= ?',
          [table, dataColumn, text, expiresColumn, expires, idColumn, id, dataColumn, found.version, expiresColumn, seconds(Date.now())])
        return updated > 0 ? 'ok' : 'conflict'
      })
    },

    async touch (id, cookie) {
      const now = Date.now()
      if (hasEnded(cookie, now)) {
        await destroy(id)
        return 'gone'
      }
      if (store.options.disableTouch !== true) {
        const updated = await affected('touch', 'UPDATE ?? SET ?? = ? WHERE ?? = ? AND ?? >= ?',
          [table, expiresColumn, expiresFor(cookie), idColumn, id, expiresColumn, seconds(now)])
        if (updated > 0) return 'ok'
      }
      // Touch disabled (the row keeps its lifetime, as express-mysql-session leaves it), or no row
      // counted: gone, or one that already expires at that second on a server counting changed rows.
      return await row(id) === undefined ? 'gone' : 'ok'
    },

    destroy,

    async destroyAll (path, value) {
      if (canonicalJson(value) === undefined) return 0
      const jsonPath = '$' + path.map((name) => '.' + JSON.stringify(name)).join('')
      // A superset of the matches, in SQL (MariaDB's JSON comparisons are not exact: "ann" never
      // equals "ann", 42 equals "42"); each is checked below. JSON_VALID first: MySQL fails the
      // whole query on a row that is not JSON.
      const data = 'CASE WHEN JSON_VALID(??) THEN ?? END'
      const primitive = value === null || typeof value !== 'object'
      const rows = await query('get', primitive
        ? `SELECT ?? AS id FROM ?? WHERE ?? >= ? AND JSON_UNQUOTE(JSON_EXTRACT(${data}, ?)) = ?`
        : `SELECT ?? AS id FROM ?? WHERE ?? >= ? AND JSON_EXTRACT(${data}, ?) IS NOT NULL`,
      [idColumn, table, expiresColumn, seconds(Date.now()), dataColumn, dataColumn, jsonPath,
        ...(primitive ? [typeof value === 'string' ? value : JSON.stringify(value)] : [])])
      if (!Array.isArray(rows)) throw storeAnswer('get', 'a SELECT without rows')
      let count = 0
      for (const { id } of rows as Array<{ id: string }>) {
        let removed = false
        await retrying(async () => {
          const found = await row(id)
          if (found === undefined || !holds(parse(found.data), path, value)) return 'gone'
          removed = await removeIf(id, found.version)
          return removed ? 'ok' : 'conflict'
        })
        if (removed) count++
      }
      return count
    }
  }
}
