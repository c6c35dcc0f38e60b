// Which kind of store, and which driver: the rules of src/store/kind.ts and driverFor().
import { RedisStore } from 'connect-redis'
import session, { MemoryStore } from 'express-session'
import mysqlStore from 'express-mysql-session'
import { createClient, createCluster } from 'redis'
import { afterAll, describe, expect, it } from 'vitest'
import { SessionOptionError } from '../../src/errors.js'
import { driverFor } from '../../src/store/driver.js'
import { storeKind } from '../../src/store/kind.js'
import { fetchSession } from '../../src/fetch.js'
import { KoaStyleStore } from '../helpers/koa-store.js'

const MySQLStore = mysqlStore(session)
const KEY = 'a key of thirty-two bytes or more!'
// Never connects: no table is created, no expiry timer runs; the pool opens no connection until a query.
const mysql = new MySQLStore({ host: '127.0.0.1', port: 9, createDatabaseTable: false, clearExpired: false })
afterAll(async () => { await mysql.onReady(); await mysql.close() })

/** A node-redis client that is never connected (driverFor only looks at its shape). */
const redisClient = () => createClient({ socket: { host: '127.0.0.1', port: 9 } })

describe('storeKind', () => {
  it('a store built on express-session\'s Store class is a callback store, even with async methods (connect-redis) or promises (express-mysql-session)', () => {
    expect(storeKind(new MemoryStore())).toBe('callback')
    expect(storeKind(new RedisStore({ client: redisClient() }))).toBe('callback')
    expect(storeKind(mysql)).toBe('callback')
  })

  it('a store with async methods is a promise store (koa-redis and most koa stores)', () => {
    expect(storeKind(new KoaStyleStore())).toBe('promise')
    expect(storeKind({ async get (key: string) { return key }, set () {}, destroy () {} })).toBe('promise')
  })

  it('by the parameters: get(sid, cb) with set(sid, sess, cb) and destroy(sid, cb) is callback; get(key, maxAge, options) is promise', () => {
    expect(storeKind({ get (_s: string, _cb: unknown) {}, set (_s: string, _v: unknown, _cb: unknown) {}, destroy (_s: string, _cb: unknown) {} })).toBe('callback')
    expect(storeKind({ get: (_k: string, _m: unknown, _o: unknown) => Promise.resolve(), set () {}, destroy () {} })).toBe('promise')
    expect(storeKind({ get () {}, set: (_k: string, _s: unknown, _m: unknown, _o: unknown) => Promise.resolve(), destroy () {} })).toBe('promise')
  })

  it('cannot tell get(...args): asks for storeKind', () => {
    const ambiguous = { get: (...args: unknown[]) => args, set: (...args: unknown[]) => args, destroy: (...args: unknown[]) => args }
    expect(() => storeKind(ambiguous)).toThrow(SessionOptionError)
    expect(() => storeKind(ambiguous)).toThrow('say which with option "storeKind": "callback" (express-session) or "promise" (koa-session)')
    expect(storeKind(ambiguous, 'promise')).toBe('promise')
  })

  it('a store that answers to every method name (a Durable Object stub, an RPC proxy) is refused with what to do, not taken for an express-session store whose calls never answer', () => {
    // What workerd's Durable Object stubs and other RPC proxies look like from here: any name is a method.
    const stub = new Proxy({}, { get: () => async () => undefined }) as { get: () => Promise<undefined>, set: () => Promise<undefined>, destroy: () => Promise<undefined> }
    expect(() => fetchSession({ keys: [KEY], store: stub })).toThrow(SessionOptionError)
    expect(() => fetchSession({ keys: [KEY], store: stub })).toThrow('option "store" answers to every method name (a Durable Object stub, or another RPC proxy?): ' +
      'give an object of your own whose get, set and destroy call it')
  })

  it('what the user says wins over the shape', () => {
    expect(storeKind(new KoaStyleStore(), 'callback')).toBe('callback')
  })
})

describe('driverFor', () => {
  it('connect-redis over a node-redis client: the atomic Redis driver', () => {
    const driver = driverFor(new RedisStore({ client: redisClient() }), { timeout: 1000 })
    expect(driver).toMatchObject({ name: 'redis', atomic: true })
    expect(driver.destroyAll).toBeTypeOf('function')
  })

  it('connect-redis over a cluster client: the generic driver (the scripts touch keys in several slots)', () => {
    const cluster = createCluster({ rootNodes: [{ socket: { host: '127.0.0.1', port: 9 } }] })
    const driver = driverFor(new RedisStore({ client: cluster }), { timeout: 1000 })
    expect(driver).toMatchObject({ name: 'generic', atomic: false })
    // connect-redis has all(): sessions can be found by reading them all.
    expect(driver.destroyAll).toBeTypeOf('function')
  })

  it('express-mysql-session: the atomic MySQL driver', () => {
    expect(driverFor(mysql, { timeout: 1000 })).toMatchObject({ name: 'mysql', atomic: true })
  })

  it('MemoryStore, a koa-session store, anything else: the generic driver; destroyAll only with all()', () => {
    expect(driverFor(new MemoryStore(), { timeout: 1000 })).toMatchObject({ name: 'generic', atomic: false })
    expect(driverFor(new MemoryStore(), { timeout: 1000 }).destroyAll).toBeTypeOf('function')
    const koa = driverFor(new KoaStyleStore(), { timeout: 1000 })
    expect(koa).toMatchObject({ name: 'generic', atomic: false })
    expect(koa.destroyAll).toBeUndefined()
  })

  it('driver: "generic" uses the generic driver even for a store an atomic driver knows', () => {
    expect(driverFor(mysql, { timeout: 1000, driver: 'generic' })).toMatchObject({ name: 'generic', atomic: false })
  })
})
