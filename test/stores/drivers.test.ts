// The atomic store drivers against real servers: the Redis driver over connect-redis (node-redis 5)
// and the MySQL driver over express-mysql-session (MariaDB). Every guarantee is read back from the
// server, and the records stay readable by express-session with the same stores.
import { RedisStore } from 'connect-redis'
import session, { type Store } from 'express-session'
import mysqlStore from 'express-mysql-session'
import mysql from 'mysql2/promise'
import { createClient } from 'redis'
import { describe, expect, it, onTestFinished } from 'vitest'
import { SessionStoreConflictError, SessionStoreError } from '../../src/errors.js'
import { driverFor } from '../../src/store/driver.js'
import type { StoreDriver } from '../../src/store/types.js'
import { callback } from '../helpers/races.js'
import { DATABASE, type RealServer } from '../helpers/servers.js'
import { mariadb, redis } from '../helpers/stores.js'
import { useStoreServer } from './scenarios.js'

const MySQLStore = mysqlStore(session)
const HOUR = 3_600_000
const info = { maxAge: HOUR, rolling: false }
const cookie = (ms = HOUR) => ({ originalMaxAge: ms, expires: new Date(Date.now() + ms) })
const json = (value: unknown) => JSON.parse(JSON.stringify(value))
let ids = 0
/** A fresh 43-character id per call: tests share a server. */
const newId = () => `drv${process.pid.toString(36)}y${(ids++).toString(36)}`.padEnd(43, '-')

/** express-session's own view of a record: what an express-session app would get. */
async function expressSessionLoads (store: Store, id: string): Promise<any> {
  return await new Promise((resolve, reject) => store.load(id, (err, loaded) => err ? reject(err) : resolve(loaded)))
}

/** The error `promise` rejects with (fails the test when it resolves). */
async function failure (promise: Promise<unknown>): Promise<SessionStoreError> {
  const outcome = await promise.then((value) => ({ value }), (error: unknown) => ({ error }))
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`)
  expect(outcome.error).toBeInstanceOf(SessionStoreError)
  return outcome.error as SessionStoreError
}

describe('the Redis driver on connect-redis', () => {
  const servers = useStoreServer(redis)
  const open = async (options: Partial<ConstructorParameters<typeof RedisStore>[0]> = {}) => {
    const { store } = await servers.open()
    const client = (store as RedisStore).client as ReturnType<typeof createClient>
    const own = Object.keys(options).length === 0 ? store as RedisStore : new RedisStore({ client, ...options })
    return { store: own, client, driver: driverFor(own, { timeout: 2000 }) }
  }
  const pttl = async (client: ReturnType<typeof createClient>, key: string) => await client.pTTL(key)

  it('is chosen for connect-redis, and is atomic', async () => {
    expect((await open()).driver).toMatchObject({ name: 'redis', atomic: true })
  })

  it('writes what connect-redis and express-session read: its key, its JSON, a TTL from the cookie', async () => {
    const { store, client, driver } = await open()
    const id = newId()
    const record = { cookie: cookie(), user: 'ann' }
    await driver.create(id, record, info)
    expect(JSON.parse((await client.get(`sess:${id}`))!)).toEqual(json(record))
    expect(await callback(store, 'get', id)).toEqual(json(record))
    expect(await pttl(client, `sess:${id}`)).toBeGreaterThan(HOUR - 5000)
    const loaded = await expressSessionLoads(store, id)
    expect(loaded).toBeInstanceOf(session.Session)
    expect(loaded.user).toBe('ann')
    expect(loaded.cookie.expires).toBeInstanceOf(Date)
  })

  it('loads what connect-redis wrote; undefined when there is nothing', async () => {
    const { store, driver } = await open()
    const id = newId()
    await callback(store, 'set', id, { cookie: cookie(), user: 'bob' })
    expect(await driver.load(id, info)).toMatchObject({ user: 'bob', cookie: { originalMaxAge: HOUR } })
    expect(await driver.load(newId(), info)).toBeUndefined()
  })

  it('update merges onto what the store holds now and takes the new cookie\'s TTL', async () => {
    const { store, client, driver } = await open()
    const id = newId()
    await driver.create(id, { cookie: cookie(60_000), user: 'ann', step: 1 }, info)
    await callback(store, 'set', id, { cookie: cookie(60_000), user: 'ann', step: 1, cart: ['tea'] })
    const renewed = cookie(2 * HOUR)
    expect(await driver.update(id, { set: { theme: 'dark' }, unset: ['step'] }, renewed, info)).toBe('ok')
    expect(await callback(store, 'get', id)).toEqual({ cookie: json(renewed), user: 'ann', cart: ['tea'], theme: 'dark' })
    expect(await pttl(client, `sess:${id}`)).toBeGreaterThan(2 * HOUR - 5000)
  })

  it('update of a key that is not there answers gone and creates nothing; an ended cookie deletes the key', async () => {
    const { client, driver } = await open()
    const missing = newId()
    expect(await driver.update(missing, { set: { user: 'ann' }, unset: [] }, cookie(), info)).toBe('gone')
    expect(await client.exists(`sess:${missing}`)).toBe(0)
    const id = newId()
    await driver.create(id, { cookie: cookie(), user: 'ann' }, info)
    expect(await driver.update(id, { set: {}, unset: [] }, { originalMaxAge: 1, expires: new Date(Date.now() - 1) }, info)).toBe('gone')
    expect(await client.exists(`sess:${id}`)).toBe(0)
  })

  it('touch extends the TTL and leaves the value as it is; gone, and nothing created, without a key', async () => {
    const { client, driver } = await open()
    const id = newId()
    await driver.create(id, { cookie: cookie(60_000), user: 'ann' }, info)
    const before = await client.get(`sess:${id}`)
    expect(await driver.touch(id, cookie(2 * HOUR), info)).toBe('ok')
    expect(await client.get(`sess:${id}`)).toBe(before)
    expect(await pttl(client, `sess:${id}`)).toBeGreaterThan(2 * HOUR - 5000)
    const missing = newId()
    expect(await driver.touch(missing, cookie(), info)).toBe('gone')
    expect(await client.exists(`sess:${missing}`)).toBe(0)
  })

  it('with connect-redis\'s disableTouch, touch leaves the TTL alone (as connect-redis does) and still tells gone from ok', async () => {
    const { client, driver } = await open({ disableTouch: true })
    const id = newId()
    await driver.create(id, { cookie: cookie(60_000), user: 'ann' }, info)
    expect(await driver.touch(id, cookie(2 * HOUR), info)).toBe('ok')
    expect(await pttl(client, `sess:${id}`)).toBeLessThanOrEqual(60_000)
    expect(await driver.touch(newId(), cookie(), info)).toBe('gone')
  })

  it('keeps connect-redis\'s prefix, serializer and ttl options: connect-redis reads what the driver writes', async () => {
    const serializer = { stringify: (value: unknown) => `v1:${JSON.stringify(value)}`, parse: async (text: string) => JSON.parse(text.slice(3)) }
    const { store, client, driver } = await open({ prefix: 'app:', serializer, ttl: () => 90 })
    const id = newId()
    await driver.create(id, { cookie: cookie(), user: 'ann' }, info)
    expect(await driver.update(id, { set: { cart: ['tea'] }, unset: [] }, cookie(), info)).toBe('ok')
    expect((await client.get(`app:${id}`))?.startsWith('v1:{"cookie":')).toBe(true)
    expect(await callback(store, 'get', id)).toMatchObject({ user: 'ann', cart: ['tea'] })
    const ttl = await pttl(client, `app:${id}`)
    expect(ttl).toBeGreaterThan(85_000)
    expect(ttl).toBeLessThanOrEqual(90_000)
    expect(await client.exists(`sess:${id}`)).toBe(0)

    const forever = await open({ disableTTL: true })
    const other = newId()
    await forever.driver.create(other, { cookie: cookie(), user: 'ann' }, info)
    expect(await pttl(forever.client, `sess:${other}`)).toBe(-1)
    expect(await forever.driver.touch(other, cookie(), info)).toBe('ok')
    expect(await pttl(forever.client, `sess:${other}`)).toBe(-1)
  })

  it('connect-redis\'s own touch never recreates a session (so express-session\'s touch cannot undo a logout)', async () => {
    const { store, client } = await open()
    const id = newId()
    await callback(store, 'touch', id, { cookie: cookie(), user: 'ann' })
    expect(await client.exists(`sess:${id}`)).toBe(0)
  })

  it('destroy deletes the key and its index entry; an update that read before it answers gone', async () => {
    const { client, driver } = await open()
    const id = newId()
    await driver.create(id, { cookie: cookie(), passport: { user: 'destroyed-user' } }, info)
    const index = 'scs-index:sess:["passport","user"]="destroyed-user"'
    expect(await client.zScore(index, id)).not.toBeNull()
    expect(await client.get(`scs-index-of:sess:${id}`)).toBe(index)
    await driver.destroy(id, info)
    expect(await client.exists([`sess:${id}`, `scs-index-of:sess:${id}`, index])).toBe(0)
    expect(await driver.update(id, { set: { x: 1 }, unset: [] }, cookie(), info)).toBe('gone')
    expect(await client.exists(`sess:${id}`)).toBe(0)
  })

  it('destroyAll by passport.user reads the index: exact JSON values, sessions moved to another user follow, the index expires', async () => {
    const { store, client, driver } = await open()
    const user = `u${newId().slice(0, 12)}`
    const passport = (value: unknown, ms = HOUR) => ({ cookie: cookie(ms), passport: { user: value } })
    const [a1, a2, a3, upper, moved, foreign, n42, s42] = Array.from({ length: 8 }, newId)
    await driver.create(a1!, passport(user), info)
    await driver.create(a2!, passport(user, 2 * HOUR), info)
    await driver.create(a3!, passport(user), info)
    await driver.create(upper!, passport(user.toUpperCase()), info)
    await driver.create(moved!, passport(user), info)
    await driver.update(moved!, { set: { passport: { user: 'someone-else' } }, unset: [] }, cookie(), info)
    await driver.create(foreign!, passport(user), info)
    // express-session (connect-redis itself) changes a session's user: our index does not know, the check does.
    await callback(store, 'set', foreign, passport('someone-else'))
    await driver.create(n42!, passport(42), info)
    await driver.create(s42!, passport('42'), info)
    const index = `scs-index:sess:["passport","user"]=${JSON.stringify(user)}`
    const ttl = await pttl(client, index)
    expect(ttl).toBeGreaterThan(2 * HOUR - 5000)
    expect(ttl).toBeLessThanOrEqual(2 * HOUR)
    expect(await client.zScore(index, moved!)).toBeNull()

    expect(await driver.destroyAll!(['passport', 'user'], user, info)).toBe(3)
    expect(await client.exists([a1, a2, a3].map((id) => `sess:${id!}`))).toBe(0)
    expect(await callback(store, 'get', upper)).toMatchObject({ passport: { user: user.toUpperCase() } })
    expect(await callback(store, 'get', moved)).toMatchObject({ passport: { user: 'someone-else' } })
    expect(await callback(store, 'get', foreign)).toMatchObject({ passport: { user: 'someone-else' } })
    expect(await driver.destroyAll!(['passport', 'user'], 42, info)).toBe(1)
    expect(await callback(store, 'get', s42)).toMatchObject({ passport: { user: '42' } })
  })

  it('destroyAll on a path that is not indexed reads every session (connect-redis\'s all())', async () => {
    const { store, driver } = await open()
    const org = `org-${newId().slice(0, 10)}`
    const [x, y, z] = [newId(), newId(), newId()]
    await driver.create(x, { cookie: cookie(), org }, info)
    await callback(store, 'set', y, { cookie: cookie(), org })
    await driver.create(z, { cookie: cookie(), org: 'other' }, info)
    expect(await driver.destroyAll!(['org'], org, info)).toBe(2)
    expect(await callback(store, 'get', x)).toBeNull()
    expect(await callback(store, 'get', y)).toBeNull()
    expect(await callback(store, 'get', z)).toMatchObject({ org: 'other' })
  })

  it('gives up after the bounded attempts when another writer changes the session between every read and write', async () => {
    const { store, client } = await open()
    const other = await servers.open()
    const id = newId()
    let writes = 0
    // Each time the driver has read the session, another request writes it before the driver's compare-and-set.
    const racing = new Proxy(client, {
      get (target, property) {
        if (property !== 'sendCommand') return Reflect.get(target, property, target)
        return async (args: string[]) => {
          const reply = await target.sendCommand(args)
          if (args[0] === 'GET') await callback(other.store, 'set', id, { cookie: cookie(), user: 'ann', other: ++writes })
          return reply
        }
      }
    })
    const driver = driverFor(new RedisStore({ client: racing }), { timeout: 2000, attempts: 3 })
    await driverFor(store, { timeout: 2000 }).create(id, { cookie: cookie(), user: 'ann' }, info)
    const err = await failure(driver.update(id, { set: { cart: ['tea'] }, unset: [] }, cookie(), info))
    expect(err).toBeInstanceOf(SessionStoreConflictError)
    expect(err).toMatchObject({ code: 'ERR_SESSION_STORE_CONFLICT', operation: 'set', attempts: 3 })
    expect(err.message).toBe('session store set gave up after 3 attempts: other requests kept changing the session between reading it and writing it back; this change was not saved')
    expect(writes).toBe(3)
    expect(await callback(store, 'get', id)).toEqual({ cookie: expect.any(Object), user: 'ann', other: 3 })
  })

  it('a Redis that does not answer in time fails with a timeout naming the operation', async () => {
    const { client } = await open()
    const pauser = createClient({ socket: { host: servers.server.host, port: servers.server.port } })
    await pauser.connect()
    try {
      const driver = driverFor(new RedisStore({ client }), { timeout: 100 })
      await pauser.sendCommand(['CLIENT', 'PAUSE', '400', 'ALL'])
      const err = await failure(driver.load(newId(), info))
      expect(err).toMatchObject({ code: 'ERR_SESSION_STORE', operation: 'get', message: 'session store get timed out after 100 ms' })
    } finally {
      await pauser.sendCommand(['CLIENT', 'UNPAUSE'])
      pauser.destroy()
    }
  })

  it('a Redis that is down fails with a SessionStoreError that names the operation, not the client\'s text', async () => {
    const { client, driver } = await open()
    await servers.server.kill()
    // Once the client has seen the connection go (until then a command fails as the socket closes).
    for (let waited = 0; client.isReady && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20))
    const err = await failure(driver.load(newId(), info))
    expect(err.operation).toBe('get')
    // disableOfflineQueue: node-redis fails at once with its ClientOfflineError (whose `name` is 'Error').
    expect(err.message).toBe('session store get failed (ClientOfflineError)')
    expect(err.cause).toBeInstanceOf(Error)
  })
})

describe('the MySQL driver on express-mysql-session (MariaDB)', () => {
  const servers = useStoreServer(mariadb)
  const open = async (options: Record<string, unknown> = {}) => {
    const server: RealServer = servers.server
    const store = new MySQLStore({
      host: server.host, port: server.port, user: 'root', database: DATABASE, clearExpired: false, connectionLimit: 4, ...options
    })
    await store.onReady()
    const sql = await mysql.createConnection({ host: server.host, port: server.port, user: 'root', database: DATABASE })
    const closeAll = async () => { await sql.end(); await store.close() }
    onTestFinished(closeAll)
    const table = (options.schema as { tableName?: string } | undefined)?.tableName ?? 'sessions'
    const columns = { session_id: 'session_id', expires: 'expires', data: 'data', ...(options.schema as { columnNames?: object } | undefined)?.columnNames }
    const row = async (id: string) => {
      const [rows] = await sql.query('SELECT ?? AS data, ?? AS expires FROM ?? WHERE ?? = ?', [columns.data, columns.expires, table, columns.session_id, id])
      return (rows as Array<{ data: string, expires: number }>)[0]
    }
    return { store, sql, row, driver: driverFor(store, { timeout: 2000 }) as StoreDriver }
  }
  const seconds = (date: Date) => Math.round(date.getTime() / 1000)

  it('is chosen for express-mysql-session, and is atomic', async () => {
    expect((await open()).driver).toMatchObject({ name: 'mysql', atomic: true })
  })

  it('writes rows express-mysql-session and express-session read: data as JSON, expires in seconds from the cookie', async () => {
    const { store, row, driver } = await open()
    const id = newId()
    const record = { cookie: cookie(), user: 'ann' }
    await driver.create(id, record, info)
    expect(await row(id)).toEqual({ data: JSON.stringify(record), expires: seconds(record.cookie.expires) })
    expect(await callback(store, 'get', id)).toEqual(json(record))
    const loaded = await expressSessionLoads(store, id)
    expect(loaded.user).toBe('ann')
    expect(loaded.cookie.expires).toBeInstanceOf(Date)
  })

  it('loads rows express-mysql-session wrote; undefined for a missing or expired row', async () => {
    const { store, sql, driver } = await open()
    const id = newId()
    await callback(store, 'set', id, { cookie: cookie(), user: 'bob' })
    expect(await driver.load(id, info)).toMatchObject({ user: 'bob' })
    expect(await driver.load(newId(), info)).toBeUndefined()
    await sql.query('UPDATE sessions SET expires = ? WHERE session_id = ?', [Math.round(Date.now() / 1000) - 10, id])
    expect(await driver.load(id, info)).toBeUndefined()
  })

  it('update merges onto the row as it is now and moves expires', async () => {
    const { store, row, driver } = await open()
    const id = newId()
    await driver.create(id, { cookie: cookie(60_000), user: 'ann', step: 1 }, info)
    await callback(store, 'set', id, { cookie: cookie(60_000), user: 'ann', step: 1, cart: ['tea'] })
    const renewed = cookie(2 * HOUR)
    expect(await driver.update(id, { set: { theme: 'dark' }, unset: ['step'] }, renewed, info)).toBe('ok')
    expect(await row(id)).toEqual({
      data: JSON.stringify({ cookie: renewed, user: 'ann', cart: ['tea'], theme: 'dark' }),
      expires: seconds(renewed.expires)
    })
  })

  it('update of a missing or expired row answers gone and writes nothing (no INSERT, no revival)', async () => {
    const { sql, row, driver } = await open()
    const missing = newId()
    expect(await driver.update(missing, { set: { user: 'ann' }, unset: [] }, cookie(), info)).toBe('gone')
    expect(await row(missing)).toBeUndefined()
    const id = newId()
    await driver.create(id, { cookie: cookie(), user: 'ann' }, info)
    const past = Math.round(Date.now() / 1000) - 10
    await sql.query('UPDATE sessions SET expires = ? WHERE session_id = ?', [past, id])
    expect(await driver.update(id, { set: { cart: [] }, unset: [] }, cookie(), info)).toBe('gone')
    expect(await driver.touch(id, cookie(), info)).toBe('gone')
    expect((await row(id))?.expires).toBe(past)
  })

  it('touch moves expires only; gone without a row; with disableTouch the row keeps its expires', async () => {
    const { row, driver } = await open()
    const id = newId()
    await driver.create(id, { cookie: cookie(60_000), user: 'ann' }, info)
    const data = (await row(id))!.data
    const renewed = cookie(2 * HOUR)
    expect(await driver.touch(id, renewed, info)).toBe('ok')
    expect(await row(id)).toEqual({ data, expires: seconds(renewed.expires) })
    // The same expires again: still ok (mysql2 counts found rows; the driver does not depend on it).
    expect(await driver.touch(id, renewed, info)).toBe('ok')
    expect(await driver.touch(newId(), renewed, info)).toBe('gone')

    const untouched = await open({ disableTouch: true })
    const other = newId()
    const first = cookie(60_000)
    await untouched.driver.create(other, { cookie: first, user: 'ann' }, info)
    expect(await untouched.driver.touch(other, cookie(2 * HOUR), info)).toBe('ok')
    expect((await untouched.row(other))?.expires).toBe(seconds(first.expires))
  })

  it('express-mysql-session\'s own touch never recreates a row', async () => {
    const { store, row } = await open()
    const id = newId()
    await callback(store, 'touch', id, { cookie: cookie(), user: 'ann' })
    expect(await row(id)).toBeUndefined()
  })

  it('destroy deletes the row; an update that read before it answers gone', async () => {
    const { row, driver } = await open()
    const id = newId()
    await driver.create(id, { cookie: cookie(), user: 'ann' }, info)
    await driver.destroy(id, info)
    expect(await row(id)).toBeUndefined()
    expect(await driver.update(id, { set: { user: 'ann' }, unset: [] }, cookie(), info)).toBe('gone')
    expect(await row(id)).toBeUndefined()
  })

  it('destroyAll matches the exact JSON value (not "Ann" for "ann", not "42" for 42), skips expired rows and rows that are not JSON', async () => {
    const { sql, row, driver } = await open()
    const user = `u-${newId().slice(0, 12)}`
    const passport = (value: unknown) => ({ cookie: cookie(), passport: { user: value } })
    const [a1, a2, upper, expired, n42, s42, object, quoted] = Array.from({ length: 8 }, newId)
    await driver.create(a1!, passport(user), info)
    await driver.create(a2!, passport(user), info)
    await driver.create(upper!, passport(user.toUpperCase()), info)
    await driver.create(expired!, passport(user), info)
    await sql.query('UPDATE sessions SET expires = ? WHERE session_id = ?', [Math.round(Date.now() / 1000) - 10, expired])
    await driver.create(n42!, passport(42), info)
    await driver.create(s42!, passport('42'), info)
    await driver.create(object!, passport({ org: 'x', id: 7 }), info)
    await driver.create(quoted!, passport('a "quoted" \\ name\n'), info)
    await sql.query('INSERT INTO sessions (session_id, expires, data) VALUES (?, ?, ?)', [newId(), Math.round(Date.now() / 1000) + 3600, 'not json'])

    expect(await driver.destroyAll!(['passport', 'user'], user, info)).toBe(2)
    expect(await row(a1!)).toBeUndefined()
    expect(await row(a2!)).toBeUndefined()
    expect(await row(upper!)).toBeDefined()
    expect(await row(expired!)).toBeDefined()
    expect(await driver.destroyAll!(['passport', 'user'], 42, info)).toBe(1)
    expect(await row(s42!)).toBeDefined()
    expect(await driver.destroyAll!(['passport', 'user'], { id: 7, org: 'x' }, info)).toBe(1)
    expect(await driver.destroyAll!(['passport', 'user'], 'a "quoted" \\ name\n', info)).toBe(1)
    expect(await driver.destroyAll!(['passport', 'user'], 'nobody', info)).toBe(0)
  })

  it('works with express-mysql-session\'s schema option (its own table and column names)', async () => {
    const schema = { tableName: 'custom_sessions', columnNames: { session_id: 'sid', expires: 'until', data: 'payload' } }
    const { store, row, driver } = await open({ schema })
    const id = newId()
    await driver.create(id, { cookie: cookie(), passport: { user: 'cus' } }, info)
    expect(await driver.update(id, { set: { cart: ['tea'] }, unset: [] }, cookie(), info)).toBe('ok')
    expect(await callback(store, 'get', id)).toMatchObject({ passport: { user: 'cus' }, cart: ['tea'] })
    expect(await driver.touch(id, cookie(), info)).toBe('ok')
    expect(await driver.destroyAll!(['passport', 'user'], 'cus', info)).toBe(1)
    expect(await row(id)).toBeUndefined()
  })

  it('gives up after the bounded attempts when another writer changes the row between every read and write', async () => {
    const { store, row } = await open()
    const other = await open()
    const id = newId()
    let writes = 0
    const racing = new Proxy(store, {
      get (target, property) {
        const value = Reflect.get(target, property, target)
        if (property !== 'query') return typeof value === 'function' ? value.bind(target) : value
        return async (sql: string, params: unknown[]) => {
          const answer = await (value as (sql: string, params: unknown[]) => Promise<unknown>).call(target, sql, params)
          if (sql.startsWith('SELECT')) await callback(other.store, 'set', id, { cookie: cookie(), user: 'ann', other: ++writes })
          return answer
        }
      }
    })
    const driver = driverFor(racing, { timeout: 2000, attempts: 4 })
    await other.driver.create(id, { cookie: cookie(), user: 'ann' }, info)
    const err = await failure(driver.update(id, { set: { cart: ['tea'] }, unset: [] }, cookie(), info))
    expect(err).toBeInstanceOf(SessionStoreConflictError)
    expect(err).toMatchObject({ code: 'ERR_SESSION_STORE_CONFLICT', operation: 'set', attempts: 4 })
    expect(JSON.parse((await row(id))!.data)).toMatchObject({ user: 'ann', other: 4 })
  })

  it('a database that is down fails with a SessionStoreError naming the operation and the code, not the client\'s text', async () => {
    const { driver } = await open()
    await servers.server.kill()
    const err = await failure(driver.update(newId(), { set: {}, unset: [] }, cookie(), info))
    expect(err.operation).toBe('get')
    expect(err.message).toBe('session store get failed (Error, code ECONNREFUSED)')
    expect((err.cause as Error).message).toContain(String(servers.server.port))
  })
})
