// The store drivers: what store mode asks of a session store, whatever the store is. The core
// (its store "persistence") calls a driver; a driver calls the store. Three drivers: one for any
// express-session or koa-session store (generic.ts), one atomic driver each for connect-redis
// (redis.ts) and express-mysql-session (mysql.ts), chosen here by the store's shape.
//
// Nothing under src/store/ imports a node: module: the same code runs on Cloudflare Workers.
import { callsFor } from './calls.js'
import type { StoreKind } from './kind.js'
import { genericDriver } from './generic.js'
import { isMySQLStore, mysqlDriver } from './mysql.js'
import { isRedisStore, redisDriver } from './redis.js'
import type { StoreDriver } from './types.js'

export interface DriverOptions {
  /** Milliseconds a store call may take before it fails with a SessionStoreError. */
  timeout: number
  /** How the store is called, when its shape cannot tell (see calls.ts's storeKind). */
  kind?: StoreKind
  /**
   * 'generic' uses the generic driver even for a store an atomic driver knows (for comparison, or
   * for a deployment the atomic driver does not support). Default 'auto'.
   */
  driver?: 'auto' | 'generic'
  /** Attempts of an atomic update against concurrent writers before SessionStoreConflictError (and at most `timeout` ms of them). Default 100. */
  attempts?: number
  /** The data path the Redis driver indexes for destroyAll(). Default ['passport', 'user']. */
  index?: readonly string[]
}

export const DEFAULT_ATTEMPTS = 100
export const DEFAULT_INDEX: readonly string[] = Object.freeze(['passport', 'user'])

/**
 * The driver for `store`: the Redis driver for connect-redis's RedisStore over a node-redis client
 * (not a cluster), the MySQL driver for express-mysql-session's MySQLStore, else the generic driver
 * (which throws a SessionOptionError when it cannot tell how the store is called: see storeKind).
 */
export function driverFor (store: object, options: DriverOptions): StoreDriver {
  const settings = {
    timeout: options.timeout,
    attempts: options.attempts ?? DEFAULT_ATTEMPTS,
    index: options.index ?? DEFAULT_INDEX
  }
  if (options.driver !== 'generic') {
    if (isRedisStore(store)) return redisDriver(store, settings)
    if (isMySQLStore(store)) return mysqlDriver(store, settings)
  }
  return genericDriver(callsFor(store, options.kind, options.timeout), settings)
}
