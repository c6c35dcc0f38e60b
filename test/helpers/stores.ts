// express-session stores over the real servers of servers.ts: express-mysql-session on MariaDB and
// connect-redis on Redis. Every open() is a new store with its own connections, as a second app
// process (or the same app after a restart) would have.
import { RedisStore } from 'connect-redis'
import session, { type Store } from 'express-session'
import mysqlStore from 'express-mysql-session'
import { createClient } from 'redis'
import mysql from 'mysql2/promise'
import { DATABASE, startMariaDB, startRedis, type RealServer } from './servers.js'

const MySQLStore = mysqlStore(session)

export interface OpenStore {
  store: Store
  /** Closes the store's connections (not the server). */
  close (): Promise<void>
}

/** Commands a database server has run so far that read sessions, and that wrote them. */
export interface Commands {
  reads: number
  writes: number
}

export interface StoreKit {
  /** e.g. 'MariaDB (express-mysql-session)' */
  name: string
  /**
   * What the server itself counts (Redis INFO commandstats, MariaDB's Com_* status): the session
   * library may call the store's methods or, for an atomic write, the database directly.
   */
  commands (server: RealServer): Promise<Commands>
  /** Whether the data outlives a restart of the server (MariaDB: yes; Redis here: no, nothing on disk). */
  durable: boolean
  start (): Promise<RealServer>
  open (server: RealServer): Promise<OpenStore>
}

export const mariadb: StoreKit = {
  name: 'MariaDB (express-mysql-session)',
  durable: true,
  start: startMariaDB,
  async commands (server) {
    const connection = await mysql.createConnection({ host: server.host, port: server.port, user: 'root' })
    try {
      const [rows] = await connection.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Com_select', 'Com_insert', 'Com_update', 'Com_delete', 'Com_replace')")
      const count = Object.fromEntries((rows as Array<{ Variable_name: string, Value: string }>).map((row) => [row.Variable_name, Number(row.Value)]))
      return { reads: count.Com_select ?? 0, writes: (count.Com_insert ?? 0) + (count.Com_update ?? 0) + (count.Com_delete ?? 0) + (count.Com_replace ?? 0) }
    } finally {
      await connection.end()
    }
  },
  async open (server) {
    const store = new MySQLStore({
      host: server.host, port: server.port, user: 'root', database: DATABASE, clearExpired: false, connectionLimit: 4
    })
    await store.onReady()
    return { store, close: async () => await store.close() }
  }
}

/** Redis commands that read a session, and that write one (directly or through a script). */
const REDIS_READS = new Set(['get', 'mget'])
const REDIS_WRITES = new Set(['set', 'setex', 'psetex', 'del', 'unlink', 'expire', 'pexpire', 'eval', 'evalsha', 'fcall'])

export const redis: StoreKit = {
  name: 'Redis (connect-redis)',
  durable: false,
  start: startRedis,
  async commands (server) {
    const client = createClient({ socket: { host: server.host, port: server.port } })
    client.on('error', () => {})
    await client.connect()
    try {
      const counts: Commands = { reads: 0, writes: 0 }
      for (const [, name, calls] of (await client.info('commandstats')).matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)) {
        if (REDIS_READS.has(name as string)) counts.reads += Number(calls)
        if (REDIS_WRITES.has(name as string)) counts.writes += Number(calls)
      }
      return counts
    } finally {
      client.destroy()
    }
  },
  async open (server) {
    const client = createClient({
      // Without this, commands wait while the server is down instead of failing.
      disableOfflineQueue: true,
      socket: { host: server.host, port: server.port, connectTimeout: 1000, reconnectStrategy: () => 100 }
    })
    // Connection errors are seen by the commands that fail; the event only needs a listener.
    client.on('error', () => {})
    await client.connect()
    const store = new RedisStore({ client })
    return { store, close: async () => { client.destroy() } }
  }
}

export const storeKits: StoreKit[] = [mariadb, redis]

export type StoreCalls = Record<'get' | 'set' | 'destroy' | 'touch', number>

/** The store, with a count of the calls made to each of its session methods. */
export function counting (store: Store): { store: Store, calls: StoreCalls } {
  const calls: StoreCalls = { get: 0, set: 0, destroy: 0, touch: 0 }
  const counted = new Proxy(store, {
    get (target, property) {
      const value = Reflect.get(target, property, target)
      if (typeof value !== 'function') return value
      if (typeof property === 'string' && property in calls) {
        return (...args: unknown[]) => { calls[property as keyof StoreCalls] += 1; return value.apply(target, args) }
      }
      return value.bind(target)
    }
  })
  return { store: counted, calls }
}
