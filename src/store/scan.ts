// destroyAll() by reading every record: for stores with express-session's optional all() and no
// index (MemoryStore, a generic store, a Redis path that is not indexed). It costs a read of the
// whole store; the Redis driver's index and the MySQL driver's query avoid that.
import type { Calls } from './calls.js'
import { canonicalJson, valueAt } from './record.js'

/** Whether `record`'s data holds `value` at `path` (the same JSON, object key order aside). */
export function holds (record: unknown, path: readonly string[], value: unknown): boolean {
  const wanted = canonicalJson(value)
  return wanted !== undefined && canonicalJson(valueAt(record, path)) === wanted
}

/**
 * The ids whose record holds `value` at `path`, by all(). `skip` leaves out keys that are not
 * sessions (the generic driver's tombstones).
 */
export async function idsHolding (all: NonNullable<Calls['all']>, path: readonly string[], value: unknown,
  skip: (id: string) => boolean = () => false): Promise<string[]> {
  const records = await all()
  return records.filter(([id, record]) => !skip(id) && holds(record, path, value)).map(([id]) => id)
}
