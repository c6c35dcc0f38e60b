// Issue 21's side-by-side proof, over real HTTP with the real middlewares: the same Express app with
// real express-session (over connect-redis and express-mysql-session) and with our
// cookieSession({ keys, store }), on the same real Redis and MariaDB servers, in every interleaving
// of the database calls of overlapping requests (three requests: a seeded sample). Each request is
// served by an app instance of its own, whose database calls the harness holds and releases one at
// a time: the node-redis client's commands, express-mysql-session's query(), MemoryStore's methods.
// Our atomic drivers write with their own commands (EVAL, conditional UPDATE), not through the
// store's set(), so the hold is on the client and the pool, below both middlewares (see
// helpers/http-races.ts).
//
// Scenarios: a slow request (it loads, and saves after the others' calls, in the interleavings that
// put it there) overlapping a logout, the slow one then writing a key or only reading with
// `rolling: true` (express-session also with `resave: true`, its default); two overlapping requests
// changing different keys; three requests. Counted per store: undone logouts (the old cookie reads
// a session after the logout answered), lost updates, corrupt records, untyped errors. Ours must
// count 0 of each on Redis and MariaDB; express-session's counts are what docs/store.md quotes. Ours on
// MemoryStore (the generic driver) keeps every logout; its one window, two writes overlapping within
// one store round trip, is counted, not hidden.
import { writeFileSync } from 'node:fs'
import { MemoryStore } from 'express-session'
import { afterAll, describe, expect, it } from 'vitest'
import { expressSubject, httpScenarios, httpTable, httpTally, oursSubject, raceBench, type HttpScenario, type HttpSubject, type HttpTally } from '../helpers/http-races.js'
import { mysqlBackend, plainBackend, redisBackend, type Backend } from '../helpers/races.js'
import { mariadb, redis, type StoreKit } from '../helpers/stores.js'
import { cookieSession } from './store-mode-api.js'
import { useStoreServer } from './scenarios.js'

const ours = oursSubject(cookieSession)
const tallies: HttpTally[] = []

const subjectsOf = (scenario: HttpScenario): HttpSubject[] =>
  [ours, expressSubject].filter((subject) => scenario.only === undefined || scenario.only === subject.name)

const isLogout = (scenario: HttpScenario) => scenario.requests.some((request) => request.kind === 'logout')

/** What express-session is expected to get wrong in `scenario` (and ours never does). */
function expectTheirs (scenario: HttpScenario, theirs: HttpTally): void {
  expect(theirs.corrupt + theirs.errors).toBe(0)
  const resaves = scenario.expressOptions?.resave ?? true
  // A read-only request resurrects the session only when it writes it back (resave); with
  // resave: false it touches, and these stores' touch never creates a record.
  if (isLogout(scenario) && (resaves || scenario.requests.some((request) => request.kind === 'write'))) expect(theirs.undoneLogouts).toBeGreaterThan(0)
  if (isLogout(scenario) && !resaves && !scenario.requests.some((request) => request.kind === 'write')) expect(theirs.undoneLogouts).toBe(0)
  if (!isLogout(scenario)) expect(theirs.lostUpdates).toBeGreaterThan(0)
}

function sideBySide (kit: StoreKit, backendOf: (store: object) => Backend, writes: string): void {
  describe(`over HTTP on ${kit.name}`, () => {
    const servers = useStoreServer(kit)

    for (const scenario of httpScenarios) {
      it(`${scenario.name}: ours loses no logout and no update; express-session's losses are counted`, async () => {
        const bench = await raceBench(backendOf((await servers.open()).store))
        try {
          for (const subject of subjectsOf(scenario)) {
            const tally = await httpTally(bench, subject, scenario)
            tallies.push(tally)
            expect(tally.runs).toBeGreaterThan(1)
            if (subject === ours) {
              // Our atomic driver's own commands were held, not only the store's methods.
              expect([...tally.held]).toContain(writes)
              expect(tally, JSON.stringify(tally.examples)).toMatchObject({ undoneLogouts: 0, lostUpdates: 0, corrupt: 0, errors: 0, untypedErrors: 0 })
            } else {
              expectTheirs(scenario, tally)
            }
          }
        } finally {
          await bench.close()
        }
      })
    }
  })
}

sideBySide(redis, (store) => redisBackend(store as object & { client: object }), 'sendCommand')
sideBySide(mariadb, (store) => mysqlBackend(store), 'query')

describe('over HTTP on MemoryStore (ours: the generic driver)', () => {
  for (const scenario of httpScenarios) {
    it(`${scenario.name}: ours loses no logout; overlapping writes are counted`, async () => {
      const bench = await raceBench(plainBackend('MemoryStore', new MemoryStore(), ['get', 'set', 'destroy', 'touch']))
      try {
        for (const subject of subjectsOf(scenario)) {
          const tally = await httpTally(bench, subject, scenario)
          tallies.push(tally)
          if (subject === ours) expect(tally, JSON.stringify(tally.examples)).toMatchObject({ undoneLogouts: 0, corrupt: 0, errors: 0, untypedErrors: 0 })
          else expectTheirs(scenario, tally)
        }
      } finally {
        await bench.close()
      }
    })
  }
})

afterAll(() => {
  if (tallies.length === 0) return
  const text = `Over HTTP, real express-session and ours on the same stores, every interleaving of the requests' database calls (sampled: a seeded sample):\n\n${httpTable(tallies)}\n`
  console.log(`\n${text}`)
  writeFileSync(new URL('./.race-table.md', import.meta.url), text)
})
