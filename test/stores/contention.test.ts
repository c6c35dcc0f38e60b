// Many requests writing different keys of one session at once (a page firing parallel requests
// that each save something): the atomic drivers merge each change onto the record as it is, so none
// of them has any reason to fail. Found with bench/store.js, where 4 connections writing one
// session got 1.8% of their answers as SessionStoreConflictError and 10 connections 16%.
//
// Made to happen, on the real servers: one request (actor 0) reads the record, then every other
// request in turn reads and writes its own key before actor 0's write lands, so each of actor 0's
// writes finds the record changed. The harness (gate.ts) holds every database call (the
// node-redis client's commands, express-mysql-session's query()) and releases them in exactly that
// order: actor 0, then one other request's read and write, then actor 0 again, and so on.
import { describe, expect, it } from 'vitest'
import { driverFor } from '../../src/store/driver.js'
import type { StoreDriver } from '../../src/store/types.js'
import { Scheduler } from '../helpers/gate.js'
import { mysqlBackend, redisBackend, type Backend } from '../helpers/races.js'
import { mariadb, redis, type StoreKit } from '../helpers/stores.js'
import { useStoreServer } from './scenarios.js'

const HOUR = 3_600_000
const info = { maxAge: HOUR, rolling: false }
const cookie = () => ({ originalMaxAge: HOUR, expires: new Date(Date.now() + HOUR) })
/** Requests writing at once besides actor 0 (8 in all). */
const OTHERS = 7

function contention (kit: StoreKit, backendOf: (store: object) => Backend): void {
  describe(`${OTHERS + 1} concurrent writes of different keys on ${kit.name}`, () => {
    const servers = useStoreServer(kit)

    it('all land, even for the request whose every write found the record changed by another', async () => {
      const backend = backendOf((await servers.open()).store)
      const id = `contention${Date.now().toString(36)}`.padEnd(43, '_')
      await driverFor(backend.store, { timeout: 5000 }).create(id, { cookie: cookie(), user: 'ann' }, info)

      const scheduler = new Scheduler()
      const drivers: StoreDriver[] = Array.from({ length: OTHERS + 1 }, (_, actor) => driverFor(backend.view(scheduler, actor), { timeout: 5000 }))
      // Whose call goes next, as an index into the actors holding a call (in actor order): actor 0,
      // while it waits, is always first. 0: actor 0's read; then 1, 1: the next other request's
      // read and write; then 0: actor 0's write, which finds the record changed; and again.
      const pattern = [0, ...Array.from({ length: OTHERS }, () => [1, 1, 0, 0]).flat()]
      let step = 0
      const outcomes = await scheduler.run(drivers.map((driver, actor) => async () =>
        await driver.update(id, { set: { [`k${actor}`]: actor }, unset: [] }, cookie(), info)), (count) => Math.min(pattern[step++] ?? 0, count - 1))

      expect(outcomes.map((outcome) => outcome.error === undefined ? outcome.value : (outcome.error as Error).name)).toEqual(Array(OTHERS + 1).fill('ok'))
      const record = await driverFor(backend.store, { timeout: 5000 }).load(id, info)
      const { cookie: _, ...data } = record ?? {}
      expect(data).toEqual({ user: 'ann', ...Object.fromEntries(Array.from({ length: OTHERS + 1 }, (_, actor) => [`k${actor}`, actor])) })
    })
  })
}

contention(redis, (store) => redisBackend(store as object & { client: object }))
contention(mariadb, (store) => mysqlBackend(store))
