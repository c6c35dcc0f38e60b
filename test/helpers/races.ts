// Concurrent requests on one session, run through the race harness (gate.ts) in every interleaving
// of their store calls, for two subjects on the same store: our driver, and a model of what
// express-session does (get when the request starts; at its end, a set of the whole record if the
// session changed, else touch; destroy when asked). After each run the invariants are checked and
// every breach counted: an undone logout (the record is in the store after the logout resolved),
// a stale read (a load that started after the logout resolved found the session), a lost update (a
// key whose write was answered 'ok' is missing at the end), a corrupt record, an error. A tally
// counts the interleavings in which each happened.
import type { Store } from 'express-session'
import { SessionStoreError } from '../../src/errors.js'
import { driverFor, type DriverOptions } from '../../src/store/driver.js'
import type { Change, StoredRecord } from '../../src/store/types.js'
import { enumerate, sample, Scheduler, type Choose } from './gate.js'

const HOUR = 3_600_000
const info = { maxAge: HOUR, rolling: false }
const cookie = () => ({ originalMaxAge: HOUR, expires: new Date(Date.now() + HOUR) })

/** What one request does with its session, as a subject does it. */
export interface RequestModel {
  load (): Promise<StoredRecord | undefined>
  update (loaded: StoredRecord, change: Change): Promise<'ok' | 'gone'>
  touch (loaded: StoredRecord): Promise<'ok' | 'gone'>
  destroy (): Promise<void>
}

/** A store under test, with the gated view each actor gets of it. */
export interface Backend {
  readonly name: string
  /** The store itself (ungated): to seed and inspect. */
  readonly store: object
  /** Actor `actor`'s view of the store, every call to it (or to its client) held by `scheduler`. */
  view (scheduler: Scheduler, actor: number): object
  /** The store's record for `id` as the store itself answers get (ungated). */
  raw (id: string): Promise<unknown>
  /** driverFor's options for this store. */
  readonly driverOptions?: Partial<DriverOptions>
}

/** Who handles the requests: our driver, or express-session's calls. */
export interface Subject {
  readonly name: string
  readonly atomic: (backend: Backend) => boolean
  model (store: object, backend: Backend, id: string): RequestModel
  /** Writes the session before a run, as this subject would have (ungated). */
  seed (backend: Backend, id: string, record: StoredRecord): Promise<void>
  /** The session after a run, as this subject's next request would load it (ungated). */
  loadAfter (backend: Backend, id: string): Promise<unknown>
}

export const ours: Subject = {
  name: 'ours',
  atomic: (backend) => driverFor(backend.store, { timeout: 5000, ...backend.driverOptions }).atomic,
  model (store, backend, id) {
    const driver = driverFor(store, { timeout: 5000, ...backend.driverOptions })
    return {
      load: async () => await driver.load(id, info),
      update: async (_loaded, change) => await driver.update(id, change, cookie(), info),
      touch: async () => await driver.touch(id, cookie(), info),
      destroy: async () => { await driver.destroy(id, info) }
    }
  },
  async seed (backend, id, record) {
    await driverFor(backend.store, { timeout: 5000, ...backend.driverOptions }).create(id, record, info)
  },
  async loadAfter (backend, id) {
    return await driverFor(backend.store, { timeout: 5000, ...backend.driverOptions }).load(id, info)
  }
}

/** Calls an express-session store method with a callback, as a promise. */
export async function callback<T> (store: object, method: string, ...args: unknown[]): Promise<T> {
  return await new Promise((resolve, reject) => {
    const fn = (store as Record<string, (...args: unknown[]) => unknown>)[method]!
    fn.call(store, ...args, (err: unknown, value: T) => err ? reject(err) : resolve(value))
  })
}

export const expressSession: Subject = {
  name: 'express-session',
  atomic: () => false,
  model (store, _backend, id) {
    const s = store as Store
    return {
      load: async () => (await callback<StoredRecord | null>(s, 'get', id)) ?? undefined,
      async update (loaded, change) {
        // The whole session as this request holds it, whatever the store holds now.
        const record: StoredRecord = { ...loaded, ...change.set, cookie: cookie() }
        for (const key of change.unset) delete record[key]
        await callback(s, 'set', id, record)
        return 'ok'
      },
      async touch (loaded) {
        await callback(s, 'touch', id, { ...loaded, cookie: cookie() })
        return 'ok'
      },
      destroy: async () => { await callback(s, 'destroy', id) }
    }
  },
  async seed (backend, id, record) {
    await callback(backend.store, 'set', id, record)
  },
  async loadAfter (backend, id) {
    return (await backend.raw(id)) ?? undefined
  }
}

/** One request's part in a scenario; `clock()` counts the store calls released so far. */
type Actor = (request: RequestModel, clock: () => number) => Promise<Outcome>

type Outcome =
  | { kind: 'update', key: string, value: unknown, answer: 'ok' | 'gone' | 'no session', reload?: { at: number, found: boolean } }
  | { kind: 'logout', resolvedAt?: number, reloadFound?: boolean }
  | { kind: 'touch', answer: 'ok' | 'gone' | 'no session' }

const VALUES: Record<string, unknown> = { user: 'ann', cart: ['tea'], theme: 'dark', lang: 'en' }

/** Loads the session, sets `key`, and (with `reload`) loads it once more afterwards. */
function updater (key: string, reload = false): Actor {
  return async (request, clock) => {
    const loaded = await request.load()
    if (loaded === undefined) return { kind: 'update', key, value: VALUES[key], answer: 'no session' }
    const answer = await request.update(loaded, { set: { [key]: VALUES[key] }, unset: [] })
    if (!reload) return { kind: 'update', key, value: VALUES[key], answer }
    const at = clock()
    const found = await request.load() !== undefined
    return { kind: 'update', key, value: VALUES[key], answer, reload: { at, found } }
  }
}

/** Loads the session, destroys it, and (with `reload`) loads it once more: it must be gone. */
function logout (reload = false): Actor {
  return async (request, clock) => {
    if (await request.load() === undefined) return { kind: 'logout' }
    await request.destroy()
    const resolvedAt = clock()
    return reload ? { kind: 'logout', resolvedAt, reloadFound: await request.load() !== undefined } : { kind: 'logout', resolvedAt }
  }
}

const toucher: Actor = async (request) => {
  const loaded = await request.load()
  return { kind: 'touch', answer: loaded === undefined ? 'no session' : await request.touch(loaded) }
}

export interface Scenario {
  readonly name: string
  readonly actors: readonly Actor[]
  /** undefined: every interleaving; a number: that many, drawn at random (seeded). */
  readonly sampled?: number
}

export const scenarios: readonly Scenario[] = [
  { name: 'update vs logout', actors: [updater('cart', true), logout(true)] },
  { name: 'update vs update', actors: [updater('cart'), updater('theme')] },
  { name: 'touch vs logout', actors: [toucher, logout(true)] },
  { name: 'two updates vs logout', actors: [updater('cart'), updater('theme'), logout()], sampled: 150 },
  { name: 'three updates', actors: [updater('cart'), updater('theme'), updater('lang')], sampled: 150 }
]

/** What went wrong in one run, each 0 or 1 (all zero: every invariant held). */
export interface Breaches {
  undoneLogouts: number
  staleReads: number
  lostUpdates: number
  corrupt: number
  errors: number
  /** Errors that were not a SessionStoreError (the drivers promise only those). */
  untypedErrors: number
}

export interface Tally extends Breaches {
  store: string
  subject: string
  scenario: string
  runs: number
  /** One interleaving (released calls, in order) per kind of breach, to read when one appears. */
  examples: Partial<Record<keyof Breaches, string>>
}

let sessions = 0
/** A new session id per run (43 base64url characters, like ours), so runs never see each other's records. */
function nextId (): string {
  sessions++
  return `race${process.pid.toString(36)}x${sessions.toString(36)}`.padEnd(43, '_')
}

/** Checks a record left in the store: only the keys the scenario writes, with their values. */
function corruption (record: unknown): string | undefined {
  if (record === undefined || record === null) return undefined
  if (typeof record !== 'object' || Array.isArray(record)) return `not an object: ${JSON.stringify(record)}`
  const { cookie: kept, ...data } = record as Record<string, unknown>
  if (typeof kept !== 'object' || kept === null || !('originalMaxAge' in kept) || !('expires' in kept)) return `bad cookie: ${JSON.stringify(kept)}`
  for (const [key, value] of Object.entries(data)) {
    if (!(key in VALUES) || JSON.stringify(value) !== JSON.stringify(VALUES[key])) return `unexpected ${key}: ${JSON.stringify(value)}`
  }
  return undefined
}

/** One run: seed the session, run the actors in the interleaving `choose` picks, check the invariants. */
async function runOnce (backend: Backend, subject: Subject, scenario: Scenario, choose: Choose): Promise<{ breaches: Breaches, order: string }> {
  const id = nextId()
  await subject.seed(backend, id, { cookie: cookie(), user: 'ann' })
  const scheduler = new Scheduler()
  const clock = () => scheduler.order.length
  const outcomes = await scheduler.run(scenario.actors.map((actor, index) => async () =>
    await actor(subject.model(backend.view(scheduler, index), backend, id), clock)), choose)
  const breaches: Breaches = { undoneLogouts: 0, staleReads: 0, lostUpdates: 0, corrupt: 0, errors: 0, untypedErrors: 0 }
  const raw = await backend.raw(id)
  const after = await subject.loadAfter(backend, id)
  const results = outcomes.flatMap(({ value, error }) => {
    if (error !== undefined) {
      breaches.errors++
      if (!(error instanceof SessionStoreError)) breaches.untypedErrors++
    }
    return value === undefined ? [] : [value]
  })
  const loggedOut = results.find((result) => result.kind === 'logout' && result.resolvedAt !== undefined) as { resolvedAt: number } | undefined
  if (loggedOut !== undefined) {
    if ((raw !== undefined && raw !== null) || after !== undefined) breaches.undoneLogouts++
    for (const result of results) {
      if (result.kind === 'update' && result.reload !== undefined && result.reload.at >= loggedOut.resolvedAt && result.reload.found) breaches.staleReads++
      if (result.kind === 'logout' && result.reloadFound === true) breaches.staleReads++
    }
  } else {
    for (const result of results) {
      if (result.kind !== 'update' || result.answer !== 'ok') continue
      const kept = (after as Record<string, unknown> | undefined)?.[result.key]
      if (JSON.stringify(kept) !== JSON.stringify(result.value)) breaches.lostUpdates++
    }
  }
  if (corruption(raw) !== undefined) breaches.corrupt++
  // Each column counts interleavings in which it happened (out of the runs), not how often.
  for (const key of Object.keys(breaches) as Array<keyof Breaches>) breaches[key] = Math.min(1, breaches[key])
  return { breaches, order: scheduler.order.join(' ') }
}

/** Every interleaving of `scenario` (or its sample) with `subject` on `backend`, tallied. */
export async function tally (backend: Backend, subject: Subject, scenario: Scenario): Promise<Tally> {
  const once = async (choose: Choose) => await runOnce(backend, subject, scenario, choose)
  const runs = scenario.sampled === undefined ? await enumerate(once, 5000) : await sample(once, scenario.sampled, 21)
  const none: Breaches = { undoneLogouts: 0, staleReads: 0, lostUpdates: 0, corrupt: 0, errors: 0, untypedErrors: 0 }
  const total: Tally = { ...none, store: backend.name, subject: subject.name, scenario: scenario.name, runs: runs.length, examples: {} }
  for (const { breaches, order } of runs) {
    for (const key of Object.keys(breaches) as Array<keyof Breaches>) {
      total[key] += breaches[key]
      if (breaches[key] > 0) total.examples[key] ??= order
    }
  }
  return total
}

/** The tallies as a Markdown table (docs/store.md quotes it). */
export function table (tallies: readonly Tally[]): string {
  const lines = [
    '| store | scenario | subject | interleavings | undone logouts | stale reads | lost updates | corrupt | errors |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |'
  ]
  for (const t of tallies) {
    lines.push(`| ${t.store} | ${t.scenario} | ${t.subject} | ${t.runs} | ${t.undoneLogouts} | ${t.staleReads} | ${t.lostUpdates} | ${t.corrupt} | ${t.errors} |`)
  }
  return lines.join('\n')
}

/** A store whose own methods are its calls (MemoryStore, a koa-session store): those are gated. */
export function plainBackend (name: string, store: object, methods: readonly string[]): Backend {
  return {
    name,
    store,
    view: (scheduler, actor) => scheduler.gate(store, actor, { methods, self: 'view' }),
    async raw (id) {
      const get = (store as { get: (...args: unknown[]) => unknown }).get
      // A promise store answers get's promise; a callback store calls back.
      return get.length >= 3 || Object.prototype.toString.call(get) === '[object AsyncFunction]'
        ? await get.call(store, id, HOUR, {})
        : await callback(store, 'get', id)
    }
  }
}

/** connect-redis: its client's commands are gated (the driver's and the store's own). */
export function redisBackend (store: object & { client: object }): Backend {
  return {
    name: 'Redis (connect-redis)',
    store,
    view (scheduler, actor) {
      const client = scheduler.gate(store.client, actor, { methods: ['sendCommand', 'get', 'set', 'del', 'expire'], self: 'target' })
      return scheduler.gate(store, actor, { methods: [], overrides: { client }, self: 'view' })
    },
    raw: async (id) => (await callback(store, 'get', id)) ?? undefined
  }
}

/** express-mysql-session: its query() is gated (the driver's and the store's own). */
export function mysqlBackend (store: object): Backend {
  return {
    name: 'MariaDB (express-mysql-session)',
    store,
    view: (scheduler, actor) => scheduler.gate(store, actor, { methods: ['query'], self: 'view' }),
    raw: async (id) => (await callback(store, 'get', id)) ?? undefined
  }
}
