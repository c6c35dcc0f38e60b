// Concurrent requests on one session in every interleaving of their store calls (three at once:
// a seeded sample), on real Redis and MariaDB, with our atomic drivers and with express-session's
// calls on the same stores; MemoryStore (generic driver) for comparison. Prints the table docs/store.md
// quotes, and holds our drivers to zero: no logout undone, no stale read, no update lost.
import type { Store } from 'express-session'
import { MemoryStore } from 'express-session'
import { describe, expect, it } from 'vitest'
import { expressSession, mysqlBackend, ours, plainBackend, redisBackend, scenarios, table, tally, type Backend, type Tally } from '../helpers/races.js'
import { mariadb, redis, type StoreKit } from '../helpers/stores.js'
import { useStoreServer } from './scenarios.js'

const tallies: Tally[] = []

function races (kit: StoreKit, backend: (store: Store) => Backend): void {
  describe(`races on ${kit.name}`, () => {
    const servers = useStoreServer(kit)

    for (const scenario of scenarios) {
      it(`${scenario.name}: ours keeps every logout and every update; express-session's calls are counted`, async () => {
        const subject = backend((await servers.open()).store)
        const mine = await tally(subject, ours, scenario)
        const theirs = await tally(subject, expressSession, scenario)
        tallies.push(mine, theirs)
        expect(ours.atomic(subject)).toBe(true)
        expect(mine.runs).toBeGreaterThan(1)
        expect(mine, JSON.stringify(mine.examples)).toMatchObject({ undoneLogouts: 0, staleReads: 0, lostUpdates: 0, corrupt: 0, errors: 0 })
        expect(theirs.corrupt + theirs.errors).toBe(0)
        if (scenario.name === 'update vs logout') expect(theirs.undoneLogouts).toBeGreaterThan(0)
        if (scenario.name === 'update vs update' || scenario.name === 'three updates') expect(theirs.lostUpdates).toBeGreaterThan(0)
      })
    }
  })
}

races(redis, (store) => redisBackend(store as Store & { client: object }))
races(mariadb, (store) => mysqlBackend(store))

describe('the same races on MemoryStore (generic driver), for the table', () => {
  it('undoes no logout; loses updates that overlap (counted)', async () => {
    for (const scenario of scenarios) {
      const memory = plainBackend('MemoryStore', new MemoryStore(), ['get', 'set', 'destroy', 'touch'])
      const mine = await tally(memory, ours, scenario)
      tallies.push(mine, await tally(memory, expressSession, scenario))
      expect(mine).toMatchObject({ undoneLogouts: 0, staleReads: 0, corrupt: 0, errors: 0 })
    }
    const order = ['Redis (connect-redis)', 'MariaDB (express-mysql-session)', 'MemoryStore']
    const sorted = [...tallies].sort((a, b) => order.indexOf(a.store) - order.indexOf(b.store))
    const sampled = scenarios.filter((scenario) => scenario.sampled !== undefined).map((scenario) => `"${scenario.name}": ${scenario.sampled!}`).join(', ')
    console.log(`\nConcurrent requests on one session, every interleaving of their store calls (three requests: a seeded sample, ${sampled}):\n${table(sorted)}\n`)
  })
})
