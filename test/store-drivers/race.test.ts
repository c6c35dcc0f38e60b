// The race harness on in-memory stores: every interleaving of concurrent requests on one session,
// with the generic driver on express-session's MemoryStore and on a koa-session promise store, and
// with express-session's own calls on MemoryStore. The same harness runs on real Redis and MariaDB
// in test/stores/races.test.ts.
import { MemoryStore } from 'express-session'
import { describe, expect, it } from 'vitest'
import { enumerate, sample, Scheduler } from '../helpers/gate.js'
import { KoaStyleStore } from '../helpers/koa-store.js'
import { expressSession, ours, plainBackend, scenarios, table, tally, type Tally } from '../helpers/races.js'

const memory = () => plainBackend('MemoryStore', new MemoryStore(), ['get', 'set', 'destroy', 'touch'])
const koa = () => plainBackend('koa-session store', new KoaStyleStore(), ['get', 'set', 'destroy'])

describe('the race harness', () => {
  it('enumerates every interleaving of two actors exactly once (C(5, 2) = 10 for 3 and 2 calls)', async () => {
    const orders = await enumerate(async (choose) => {
      const scheduler = new Scheduler()
      const target = { step: async (label: string) => label }
      const actor = (index: number, calls: number) => async () => {
        const view = scheduler.gate(target, index, { methods: ['step'], self: 'target' })
        for (let i = 0; i < calls; i++) await view.step(`${index}`)
      }
      await scheduler.run([actor(0, 3), actor(1, 2)], choose)
      return scheduler.order.map((call) => call[0]).join('')
    }, 100)
    expect(orders).toHaveLength(10)
    expect(new Set(orders).size).toBe(10)
    expect(orders).toContain('00011')
    expect(orders).toContain('11000')
  })

  it('replays the same interleavings from the same seed', async () => {
    const once = async (choose: (count: number) => number) => {
      const scheduler = new Scheduler()
      const target = { step: async () => undefined }
      const actor = (index: number) => async () => {
        const view = scheduler.gate(target, index, { methods: ['step'], self: 'target' })
        for (let i = 0; i < 3; i++) await view.step()
      }
      await scheduler.run([actor(0), actor(1), actor(2)], choose)
      return scheduler.order.join(' ')
    }
    expect(await sample(once, 20, 7)).toEqual(await sample(once, 20, 7))
  })
})

describe('the generic driver in every interleaving', () => {
  const tallies: Tally[] = []

  for (const scenario of scenarios) {
    it(`${scenario.name}, on MemoryStore and on a koa-session store: no logout undone, no stale read, no corrupt record, no error`, async () => {
      for (const backend of [memory(), koa()]) {
        const result = await tally(backend, ours, scenario)
        tallies.push(result)
        expect(result.runs).toBeGreaterThan(1)
        expect(result, JSON.stringify(result.examples)).toMatchObject({ undoneLogouts: 0, staleReads: 0, corrupt: 0, errors: 0 })
      }
    })
  }

  it('loses an update only when the two overlap within a round trip (counted, not zero: the generic driver cannot compare-and-set)', async () => {
    const result = await tally(memory(), ours, scenarios.find((s) => s.name === 'update vs update')!)
    expect(result.lostUpdates).toBeGreaterThan(0)
    expect(result.lostUpdates).toBeLessThan(result.runs)
  })

  it('express-session\'s own calls on MemoryStore undo logouts and lose updates in the same harness', async () => {
    for (const scenario of scenarios) tallies.push(await tally(memory(), expressSession, scenario))
    const of = (name: string) => tallies.find((t) => t.subject === 'express-session' && t.scenario === name)!
    expect(of('update vs logout').undoneLogouts).toBeGreaterThan(0)
    expect(of('update vs logout').staleReads).toBeGreaterThan(0)
    expect(of('update vs update').lostUpdates).toBeGreaterThan(0)
    console.log(`\nRaces on in-memory stores (generic driver vs express-session):\n${table(tallies)}\n`)
  })
})
