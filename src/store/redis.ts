// The Redis driver: connect-redis's RedisStore (9, and earlier versions of the same shape) over a
// node-redis client, atomic. It talks to Redis through the store's own client and keeps
// connect-redis's key names, serializer and TTL rules, so express-session with connect-redis reads
// the records it writes, and it reads theirs.
//
// update(): GET the record, apply the change in JavaScript, then a script sets the new value only if
// the key still holds exactly what was read (compare-and-set), else the driver reads again and
// retries (bounded); a missing key is 'gone', never recreated. destroy() is a DEL: after it, every
// compare-and-set of a request that read the record finds no key and answers 'gone'. So concurrent
// updates to different keys all land, and a destroy is final, in every interleaving: each script is
// one atomic step, and a write that does not see what its read saw changes nothing.
//
// destroyAll() on the indexed path (passport.user by default) reads the index that the write
// scripts keep in the same atomic step (redis-scripts.ts); on another path it reads every session
// through connect-redis's all(). Either way each record is checked and removed by compare-and-set,
// so a session whose value changed meanwhile is left alone. Sessions written by another app
// (express-session itself) are not in the index.
//
// Not for a Redis cluster (the scripts touch keys in several slots): driverFor() gives a cluster
// client's store the generic driver.
import { callsFor } from './calls.js'
import type { DriverSettings, StoreDriver, StoredRecord } from './types.js'
import { asStoreError, storeAnswer, type StoreOperation } from './errors.js'
import { applyChange, canonicalJson, hasEnded, isRecord, valueAt, withCookie } from './record.js'
import { DESTROY, MEMBERS, TOUCH, WRITE } from './redis-scripts.js'
import { withRetries, type Attempt } from './retry.js'
import { holds, idsHolding } from './scan.js'
import { within } from './settle.js'

/** connect-redis's RedisStore, as far as this driver reads it. */
export interface RedisStoreShape {
  client: { sendCommand (args: string[]): Promise<unknown> }
  prefix: string
  serializer: { parse (text: string): unknown, stringify (value: unknown): string }
  ttl?: number | ((session: unknown) => number)
  disableTTL?: boolean
  disableTouch?: boolean
}

/**
 * Whether `store` is connect-redis's RedisStore over a node-redis (v4, v5) client that is not a
 * cluster: a `prefix`, a `serializer` and a `client` with node-redis's `sendCommand(args)` and
 * `scanIterator` (ioredis has neither) and no `masters` (a cluster client has them).
 */
export function isRedisStore (store: object): store is RedisStoreShape {
  const { client, prefix, serializer } = store as Partial<Record<string, unknown>>
  if (typeof prefix !== 'string' || typeof client !== 'object' || client === null) return false
  const serializes = typeof serializer === 'object' && serializer !== null &&
    typeof (serializer as { parse?: unknown }).parse === 'function' && typeof (serializer as { stringify?: unknown }).stringify === 'function'
  const methods = client as Partial<Record<string, unknown>>
  const own = store as Partial<Record<string, unknown>>
  return serializes && typeof methods.sendCommand === 'function' && typeof methods.scanIterator === 'function' && !('masters' in client) &&
    ['get', 'set', 'destroy'].every((name) => typeof own[name] === 'function')
}

const INDEX_PREFIX = 'scs-index:'
const ENTRY_PREFIX = 'scs-index-of:'

export function redisDriver (store: RedisStoreShape, settings: DriverSettings): StoreDriver {
  const { prefix, serializer } = store
  const { timeout, attempts } = settings
  /** An optimistic write, tried again while other requests keep changing the record, for at most the store timeout. */
  const retrying = async (attempt: () => Promise<Attempt>) => await withRetries(attempts, attempt, timeout)
  const key = (id: string) => prefix + id
  const entry = (id: string) => ENTRY_PREFIX + prefix + id
  const indexPath = canonicalJson(settings.index) as string
  /** The index a record belongs in ('' when it holds nothing at the indexed path). */
  const indexOf = (record: unknown): string => {
    const value = canonicalJson(valueAt(record, settings.index))
    return value === undefined ? '' : `${INDEX_PREFIX}${prefix}${indexPath}=${value}`
  }

  const command = async (operation: StoreOperation, args: string[]): Promise<unknown> =>
    await within(operation, timeout, () => store.client.sendCommand(args))

  const script = async (operation: StoreOperation, source: string, keys: string[], args: string[]): Promise<number> => {
    const reply = await command(operation, ['EVAL', source, String(keys.length), ...keys, ...args])
    if (typeof reply !== 'number') throw storeAnswer(operation, 'a script with something other than a number')
    return reply
  }

  /** The record's text as stored and the record, or undefined when there is none. */
  const read = async (id: string): Promise<{ text: string, record: StoredRecord } | undefined> => {
    const text = await command('get', ['GET', key(id)])
    if (text === null || text === undefined) return undefined
    if (typeof text !== 'string') throw storeAnswer('get', 'GET with something other than a string')
    let record: unknown
    try {
      record = await serializer.parse(text)
    } catch (err) {
      throw asStoreError('get', err)
    }
    if (!isRecord(record)) throw storeAnswer('get', 'a session that is not an object')
    return { text, record }
  }

  /** connect-redis's TTL rules, in whole seconds; undefined: no expiry (disableTTL). */
  const ttlOf = (record: StoredRecord): number | undefined => {
    if (store.disableTTL === true) return undefined
    const own = (store as { getTTL?: unknown }).getTTL
    let ttl: unknown
    try {
      // connect-redis 9's own rule (a ttl function, else the cookie's expires, else ttl seconds).
      ttl = typeof own === 'function' ? own.call(store, record) : fallbackTTL(store, record)
    } catch (err) {
      throw asStoreError('set', err)
    }
    return Math.ceil(Number(ttl))
  }

  const stringify = (record: StoredRecord): string => {
    try {
      return serializer.stringify(record)
    } catch (err) {
      throw asStoreError('set', err)
    }
  }

  const write = async (mode: 'create' | 'update' | 'remove', id: string, read: string, record: StoredRecord | undefined): Promise<number> => {
    const ttl = record === undefined ? undefined : ttlOf(record)
    const text = record === undefined ? '' : stringify(record)
    return await script(mode === 'remove' ? 'destroy' : 'set', WRITE, [key(id), entry(id)],
      [mode, read, text, ttl === undefined ? '' : String(ttl), id, record === undefined ? '' : indexOf(record)])
  }

  const outcome = (reply: number): Attempt => reply === 1 ? 'ok' : reply === 0 ? 'conflict' : 'gone'

  const ended = (record: StoredRecord): boolean => {
    if (hasEnded(record.cookie, Date.now())) return true
    const ttl = ttlOf(record)
    return ttl !== undefined && !(ttl > 0)
  }

  /** Removes `id` if it still holds `value` at `path`; whether it did. */
  const removeHolding = async (id: string, path: readonly string[], value: unknown): Promise<boolean> => {
    let removed = false
    await retrying(async () => {
      const found = await read(id)
      if (found === undefined || !holds(found.record, path, value)) return 'gone'
      const done = outcome(await write('remove', id, found.text, undefined))
      removed = done === 'ok'
      return done
    })
    return removed
  }

  const { all } = callsFor(store, 'callback', timeout)
  /** The text each record load() answered was read from: the version its compare-and-set is against. */
  const versions = new WeakMap<StoredRecord, string>()

  const driver: StoreDriver = {
    atomic: true,
    name: 'redis',

    async load (id) {
      const found = await read(id)
      if (found === undefined || hasEnded(found.record.cookie, Date.now())) return undefined
      versions.set(found.record, found.text)
      return found.record
    },

    async create (id, record) {
      if (ended(record)) return
      if (await write('create', id, '', record) !== 1) throw storeAnswer('set', 'that a new session id is taken')
    },

    async update (id, change, cookie, _info, loaded) {
      // The first attempt against the record as loaded, if it is still what the store holds.
      const text = loaded === undefined ? undefined : versions.get(loaded)
      let base = text === undefined ? undefined : { text, record: loaded as StoredRecord }
      return await retrying(async () => {
        const asLoaded = base !== undefined
        const found = base ?? await read(id)
        base = undefined
        // Ended as loaded, it may have been extended since: only a fresh read says it is gone.
        if (asLoaded && hasEnded(found?.record.cookie, Date.now())) return 'conflict'
        if (found === undefined || hasEnded(found.record.cookie, Date.now())) return 'gone'
        let next: StoredRecord
        try {
          next = applyChange(found.record, change, cookie)
        } catch (err) {
          throw asStoreError('set', err)
        }
        if (ended(next)) {
          const removed = outcome(await write('remove', id, found.text, undefined))
          return removed === 'ok' ? 'gone' : removed
        }
        return outcome(await write('update', id, found.text, next))
      })
    },

    async touch (id, cookie) {
      if (store.disableTouch === true || store.disableTTL === true) {
        // connect-redis's touch does nothing then: the record keeps its lifetime.
        return await command('touch', ['EXISTS', key(id)]) === 1 ? 'ok' : 'gone'
      }
      // connect-redis's TTL rules see the cookie only: touch does not read the record.
      const lifetime = withCookie({}, cookie)
      if (ended(lifetime)) {
        await driver.destroy(id, { maxAge: undefined, rolling: false })
        return 'gone'
      }
      const ttl = ttlOf(lifetime) as number
      return await script('touch', TOUCH, [key(id), entry(id)], [String(ttl), id]) === 1 ? 'ok' : 'gone'
    },

    async destroy (id) {
      await script('destroy', DESTROY, [key(id), entry(id)], [id])
    },

    async destroyAll (path, value) {
      let ids: string[]
      const index = canonicalJson(path) === indexPath ? indexOf(pathValue(path, value)) : undefined
      if (index === '') return 0
      if (index !== undefined) {
        const members = await command('get', ['EVAL', MEMBERS, '1', index])
        if (!Array.isArray(members)) throw storeAnswer('get', 'an index that is not a list')
        ids = members.filter((member): member is string => typeof member === 'string')
      } else if (all !== undefined) {
        ids = await idsHolding(all, path, value)
      } else {
        throw storeAnswer('all', 'nothing: the store has no all() to find sessions by a path that is not indexed')
      }
      let count = 0
      for (const id of ids) if (await removeHolding(id, path, value)) count++
      return count
    }
  }
  return driver
}

/** A record holding `value` at `path` (to name its index). */
function pathValue (path: readonly string[], value: unknown): StoredRecord {
  const record: StoredRecord = {}
  let inner: Record<string, unknown> = record
  path.forEach((name, i) => {
    const next = i === path.length - 1 ? value : {}
    Object.defineProperty(inner, name, { value: next, enumerable: true, writable: true, configurable: true })
    inner = next as Record<string, unknown>
  })
  return record
}

/** connect-redis 9's TTL rule, for a store object without its getTTL method. */
function fallbackTTL (store: RedisStoreShape, record: StoredRecord): number {
  if (typeof store.ttl === 'function') return store.ttl(record)
  const { expires } = (isRecord(record.cookie) ? record.cookie : {}) as { expires?: unknown }
  if (expires !== undefined && expires !== null && expires !== '') {
    return Math.ceil((new Date(expires as string).getTime() - Date.now()) / 1000)
  }
  return store.ttl ?? 86_400
}
