// Concurrent requests on one session over real HTTP, with the real middlewares: an Express app
// running real express-session, and the same app running our cookieSession({ keys, store }), on the
// same store. Each request of a scenario goes to an app instance of its own (as if each were served
// by a different process behind the same store), and every database call that instance makes is
// held by the race harness (gate.ts) until the scheduler releases it, one at a time, so each run is
// one interleaving of the requests' database calls, made to happen, not hoped for.
//
// What is held, per store (see races.ts for the gated views):
// - Redis: the node-redis client's commands (`sendCommand`, which our atomic driver's GET and EVAL
//   go through, and `get`, `set`, `del`, `expire`, which connect-redis calls for express-session).
// - MariaDB: express-mysql-session's `query` (our atomic driver's SELECT/UPDATE/DELETE, and the
//   store's own get/set/touch/destroy, which call it).
// - MemoryStore: its `get`, `set`, `destroy`, `touch` (ours goes through them with the generic driver).
// A route between loading and saving waits for nothing: the interleavings of the database calls
// include every way a slow route can overlap the others (its load before, its save after theirs).
//
// After each run, with an app instance whose store is not held: the old cookie is read back
// (a session there after a logout answered is an undone logout; a key a request set, answered 200,
// missing is a lost update), the record is read straight from the store (anything but
// `{ cookie, user, ...keys set }` is corrupt), and every answer but a 200 is an error (untyped when
// it is not our SessionStoreError).
import type { RequestHandler } from 'express'
import express from 'express'
import session from 'express-session'
import { listen, type Listening } from './browser.js'
import { enumerate, sample, Scheduler, type Choose } from './gate.js'
import type { Backend } from './races.js'
import { dataOf, errorJson } from './session-app.js'

/** The value each key is set to (the seeded session holds `user`). */
export const VALUES: Readonly<Record<string, unknown>> = Object.freeze({ user: 'ann', cart: ['tea'], theme: 'dark', lang: 'en' })

const HOUR = 3_600_000

/** Options a scenario gives both middlewares. */
export interface ScenarioOptions {
  /** Refresh the session's lifetime on every request (both middlewares' `rolling`). */
  rolling?: boolean
  /** express-session's `resave` (its default is true; ours has no such option: it never rewrites an unchanged session). */
  resave?: boolean
}

/** A session middleware under test, as an Express app mounts it. */
export interface HttpSubject {
  readonly name: string
  /** The middleware over `store` (a held view, or the store itself). */
  middleware (store: object, options: ScenarioOptions): RequestHandler
  /** The store key of the session the Cookie header names. */
  storeId (cookieHeader: string): string
}

/** One request of a scenario. */
export interface HttpRequest {
  readonly kind: 'write' | 'read' | 'logout'
  /** write: the key it sets. logout: how ours logs out (express-session has only destroy()). */
  readonly key?: string
  readonly how?: 'destroy' | 'null'
}

export interface HttpScenario {
  readonly name: string
  readonly requests: readonly HttpRequest[]
  readonly options: ScenarioOptions
  /** express-session's options where they differ (its `resave` default, for one). */
  readonly expressOptions?: ScenarioOptions
  /** undefined: every interleaving; a number: that many, drawn from a seeded PRNG. */
  readonly sampled?: number
  /** Run with one subject only (a logout by `= null` is ours: express-session does not destroy the record then). */
  readonly only?: 'ours' | 'express-session'
}

export const write = (key: string): HttpRequest => ({ kind: 'write', key })
export const read: HttpRequest = { kind: 'read' }
export const logout = (how: 'destroy' | 'null' = 'destroy'): HttpRequest => ({ kind: 'logout', how })

function path (request: HttpRequest): string {
  if (request.kind === 'write') return `/set/${request.key!}`
  if (request.kind === 'read') return '/read'
  return request.how === 'null' ? '/null' : '/logout'
}

const method = (request: HttpRequest): 'GET' | 'POST' => request.kind === 'read' ? 'GET' : 'POST'

/** The app every instance runs: its session middleware is `slot.current`, swapped per run. */
function raceApp (slot: { current: RequestHandler | undefined }): express.Express {
  const app = express()
  app.use((req, res, next) => { slot.current!(req, res, next) })
  app.get('/session', (req: any, res) => { res.json(dataOf(req.session)) })
  app.post('/set/:key', (req: any, res) => {
    const key = req.params.key as string
    req.session[key] = VALUES[key]
    res.json(dataOf(req.session))
  })
  // A read-only request: it loads the session, reads a key and changes nothing.
  app.get('/read', (req: any, res) => { res.json(req.session?.user ?? null) })
  app.post('/logout', (req: any, res, next) => { req.session.destroy((err?: Error) => err ? next(err) : res.json('out')) })
  app.post('/null', (req: any, res) => { req.session = null; res.json('out') })
  app.use(errorJson)
  return app
}

interface Instance { readonly slot: { current: RequestHandler | undefined }, readonly server: Listening }

/** App instances for a backend: one per request of the largest scenario, and one direct (unheld) instance. */
export interface RaceBench {
  readonly backend: Backend
  readonly instances: readonly Instance[]
  readonly direct: Instance
  close (): Promise<void>
}

export async function raceBench (backend: Backend, size = 3): Promise<RaceBench> {
  const open = async (): Promise<Instance> => {
    const slot: Instance['slot'] = { current: undefined }
    return { slot, server: await listen(raceApp(slot)) }
  }
  const instances: Instance[] = []
  for (let i = 0; i < size; i++) instances.push(await open())
  const direct = await open()
  // express-session listens for the store's connect/disconnect events: one pair per middleware made.
  const events = backend.store as { setMaxListeners?: (n: number) => void }
  events.setMaxListeners?.(0)
  return {
    backend,
    instances,
    direct,
    async close () { for (const instance of [...instances, direct]) await instance.server.close() }
  }
}

interface Answer { status: number, body: any, setCookie: string[] }

async function send (url: string, verb: 'GET' | 'POST', cookie?: string): Promise<Answer> {
  const res = await fetch(url, { method: verb, headers: cookie === undefined ? {} : { cookie }, redirect: 'manual' })
  const text = await res.text()
  let body: unknown = text
  try { body = JSON.parse(text) } catch {}
  return { status: res.status, body, setCookie: res.headers.getSetCookie() }
}

/** The Cookie header a browser sends after `setCookie`. */
function cookieHeader (setCookie: readonly string[]): string {
  return setCookie.map((line) => line.split(';')[0]).join('; ')
}

/** What went wrong in one run, each 0 or 1. */
export interface HttpBreaches {
  undoneLogouts: number
  lostUpdates: number
  corrupt: number
  errors: number
  untypedErrors: number
}

export interface HttpTally extends HttpBreaches {
  store: string
  subject: string
  scenario: string
  runs: number
  sampled: boolean
  /** The names of the calls the harness held (e.g. sendCommand, query): what was gated. */
  held: Set<string>
  /** One interleaving per kind of breach (the held calls in the order released), to read when one appears. */
  examples: Partial<Record<keyof HttpBreaches, string>>
}

const TYPED = new Set(['SessionStoreError', 'SessionStoreConflictError', 'SessionWriteError'])

/** A record left in the store: `{ cookie, user, ...keys the scenario sets }`, with their values; else what is wrong. */
function corruption (record: unknown): string | undefined {
  if (record === undefined || record === null) return undefined
  if (typeof record !== 'object' || Array.isArray(record)) return `not an object: ${JSON.stringify(record)}`
  const { cookie, ...data } = record as Record<string, unknown>
  if (typeof cookie !== 'object' || cookie === null) return `no cookie: ${JSON.stringify(record)}`
  for (const [key, value] of Object.entries(data)) {
    if (!(key in VALUES) || JSON.stringify(value) !== JSON.stringify(VALUES[key])) return `unexpected ${key}: ${JSON.stringify(value)}`
  }
  return undefined
}

async function runOnce (bench: RaceBench, subject: HttpSubject, scenario: HttpScenario, choose: Choose): Promise<{ breaches: HttpBreaches, order: string }> {
  const { backend, direct } = bench
  const options = subject.name === 'express-session' ? { ...scenario.options, ...scenario.expressOptions } : scenario.options
  // The session every request of the run holds the cookie of, written with nothing held.
  direct.slot.current = subject.middleware(backend.store, options)
  const seeded = await send(`${direct.server.url}/set/user`, 'POST')
  if (seeded.status !== 200 || seeded.setCookie.length === 0) throw new Error(`${subject.name}: seeding answered ${seeded.status} ${JSON.stringify(seeded.body)}`)
  const cookie = cookieHeader(seeded.setCookie)

  const scheduler = new Scheduler()
  scenario.requests.forEach((_, i) => { bench.instances[i]!.slot.current = subject.middleware(backend.view(scheduler, i), options) })
  const outcomes = await scheduler.run(scenario.requests.map((request, i) => async () =>
    await send(`${bench.instances[i]!.server.url}${path(request)}`, method(request), cookie)), choose)

  // Read back with nothing held, and without rolling or resave: this read writes nothing.
  direct.slot.current = subject.middleware(backend.store, { resave: false })
  const after = await send(`${direct.server.url}/session`, 'GET', cookie)
  const raw = await backend.raw(subject.storeId(cookie))

  const breaches: HttpBreaches = { undoneLogouts: 0, lostUpdates: 0, corrupt: 0, errors: 0, untypedErrors: 0 }
  const answers = outcomes.map(({ value, error }) => value ?? { status: 0, body: { name: String(error) }, setCookie: [] })
  if (after.status !== 200) breaches.errors = 1
  for (const answer of answers) {
    if (answer.status === 200) continue
    breaches.errors = 1
    if (!TYPED.has(answer.body?.name)) breaches.untypedErrors = 1
  }
  const data = (after.body ?? {}) as Record<string, unknown>
  const loggedOut = scenario.requests.some((request, i) => request.kind === 'logout' && answers[i]!.status === 200)
  if (loggedOut) {
    // The logout answered: the old cookie must read no session, whatever ran before or after it.
    if (Object.keys(data).length > 0) breaches.undoneLogouts = 1
  } else {
    if (JSON.stringify(data.user) !== JSON.stringify(VALUES.user)) breaches.lostUpdates = 1
    scenario.requests.forEach((request, i) => {
      if (request.kind === 'write' && answers[i]!.status === 200 && JSON.stringify(data[request.key!]) !== JSON.stringify(VALUES[request.key!])) breaches.lostUpdates = 1
    })
  }
  if (corruption(raw) !== undefined) breaches.corrupt = 1
  return { breaches, order: scheduler.order.join(' ') }
}

/** Every interleaving of `scenario` (or its seeded sample) with `subject` on the bench's store, tallied. */
export async function httpTally (bench: RaceBench, subject: HttpSubject, scenario: HttpScenario): Promise<HttpTally> {
  const once = async (choose: Choose) => await runOnce(bench, subject, scenario, choose)
  const runs = scenario.sampled === undefined ? await enumerate(once, 2000) : await sample(once, scenario.sampled, 13)
  const total: HttpTally = {
    undoneLogouts: 0,
    lostUpdates: 0,
    corrupt: 0,
    errors: 0,
    untypedErrors: 0,
    store: bench.backend.name,
    subject: subject.name,
    scenario: scenario.name,
    runs: runs.length,
    sampled: scenario.sampled !== undefined,
    held: new Set(),
    examples: {}
  }
  for (const { breaches, order } of runs) {
    for (const call of order.split(' ')) total.held.add(call.slice(call.indexOf(':') + 1))
    for (const key of Object.keys(breaches) as Array<keyof HttpBreaches>) {
      total[key] += breaches[key]
      if (breaches[key] > 0) total.examples[key] ??= order
    }
  }
  return total
}

/** express-session, as most apps configure it (the options a scenario does not set are its defaults, but saveUninitialized: false). */
export const expressSubject: HttpSubject = {
  name: 'express-session',
  middleware: (store, options) => session({
    secret: 'race-secret',
    store: store as session.Store,
    resave: options.resave ?? true,
    rolling: options.rolling ?? false,
    saveUninitialized: false,
    cookie: { maxAge: HOUR }
  }),
  storeId (header) {
    // connect.sid=s%3A<id>.<signature>
    const value = decodeURIComponent(/connect\.sid=([^;]+)/.exec(header)![1]!)
    return value.slice(2, value.lastIndexOf('.'))
  }
}

/** Ours, from the built package, with `load` giving cookieSession (so the tests run what users run). */
export function oursSubject (cookieSession: (options: any) => unknown): HttpSubject {
  return {
    name: 'ours',
    middleware: (store, options) => cookieSession({ keys: ['race-key-of-at-least-32-bytes-!!'], store, maxAge: HOUR, rolling: options.rolling ?? false }) as RequestHandler,
    storeId: (header) => /(?:^|; )session=([^;]+)/.exec(header)![1]!
  }
}

/** The scenarios of issue 21, each run with both middlewares. */
export const httpScenarios: readonly HttpScenario[] = [
  { name: 'slow write vs logout', requests: [write('cart'), logout('destroy')], options: {} },
  { name: 'slow write vs logout by = null', requests: [write('cart'), logout('null')], options: {}, only: 'ours' },
  { name: 'slow rolling read vs logout', requests: [read, logout('destroy')], options: { rolling: true }, expressOptions: { resave: true } },
  { name: 'slow rolling read vs logout (express-session resave: false)', requests: [read, logout('destroy')], options: { rolling: true }, expressOptions: { resave: false }, only: 'express-session' },
  { name: 'two writes (cart, theme)', requests: [write('cart'), write('theme')], options: {} },
  { name: 'three writes (cart, theme, lang)', requests: [write('cart'), write('theme'), write('lang')], options: {}, sampled: 100 },
  { name: 'two writes vs logout', requests: [write('cart'), write('theme'), logout('destroy')], options: {}, sampled: 100 }
]

/** The tallies as a Markdown table, one row per store, scenario and subject. */
export function httpTable (tallies: readonly HttpTally[]): string {
  const lines = [
    '| store | scenario | subject | interleavings | undone logouts | lost updates | corrupt | errors | untyped errors |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |'
  ]
  for (const t of tallies) {
    lines.push(`| ${t.store} | ${t.scenario} | ${t.subject} | ${t.runs}${t.sampled ? ' (sample)' : ''} | ${t.undoneLogouts} | ${t.lostUpdates} | ${t.corrupt} | ${t.errors} | ${t.untypedErrors} |`)
  }
  return lines.join('\n')
}
