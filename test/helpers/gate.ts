// A deterministic race harness. Each actor (a request: load, then update, touch or destroy) gets
// its own gated view of a store (or of a store's client); every call through a gate is held until
// the scheduler releases it, and the scheduler releases one call at a time, waiting for it to
// complete and for every actor to come to rest (held at a gate, or done) before choosing whose
// call goes next. So a run is one interleaving of the actors' sequences of store calls, chosen by
// `choose`, and the same choices give the same interleaving. enumerate() walks every interleaving (depth first, replaying
// a prefix of choices each run); sample() draws them at random from a seed.

type AnyFunction = (...args: unknown[]) => unknown

interface Held {
  readonly actor: number
  readonly label: string
  readonly seq: number
  readonly run: () => void
}

/** Picks whose held call goes next, one of `count` actors (0 ≤ answer < count). */
export type Choose = (count: number) => number

export interface GateOptions {
  /** The methods held at the gate (others pass through). */
  methods: readonly string[]
  /** Properties to answer differently (e.g. a store's `client`: its gated view). */
  overrides?: Record<string, unknown>
  /**
   * The `this` of calls: the view itself (so a store's own calls to `this.client` or `this.query`
   * are gated too) or the target (for objects with private state, such as a node-redis client).
   */
  self: 'view' | 'target'
}

export class Scheduler {
  private held: Held[] = []
  private readonly inFlight = new Map<number, number>()
  private readonly running = new Set<number>()
  private waiters: Array<() => void> = []
  private seq = 0
  /** The labels of the calls in the order they were released: the interleaving. */
  readonly order: string[] = []

  /** `target` as actor `actor` sees it: `options.methods` wait for the scheduler. */
  gate<T extends object> (target: T, actor: number, options: GateOptions): T {
    const gated = new Set(options.methods)
    const scheduler = this
    const view: T = new Proxy(target, {
      get (object, property) {
        if (typeof property === 'string' && options.overrides !== undefined && Object.hasOwn(options.overrides, property)) {
          return options.overrides[property]
        }
        const value = Reflect.get(object, property, object) as unknown
        if (typeof value !== 'function') return value
        const self = options.self === 'view' ? view : object
        if (typeof property !== 'string' || !gated.has(property)) return (value as AnyFunction).bind(self)
        const original = value as AnyFunction
        // The same length, and async when the original is: what a driver reads to tell a store's kind.
        const held = Object.prototype.toString.call(original) === '[object AsyncFunction]'
          ? async (...args: unknown[]) => await scheduler.hold(actor, property, self, original, args)
          : (...args: unknown[]) => scheduler.hold(actor, property, self, original, args)
        return Object.defineProperty(held, 'length', { value: original.length })
      }
    })
    return view
  }

  /** Runs the actors to completion, releasing held calls as `choose` picks; their outcomes in order. */
  async run<T> (actors: Array<() => Promise<T>>, choose: Choose): Promise<Array<{ value?: T, error?: unknown }>> {
    const outcomes = actors.map((actor, index) => {
      this.running.add(index)
      return actor().then((value) => ({ value }), (error: unknown) => ({ error })).finally(() => {
        this.running.delete(index)
        this.changed()
      })
    })
    for (;;) {
      await this.rest()
      if (this.running.size === 0) break
      // The choice is whose turn it is; an actor's calls issued together (the generic driver reads
      // a record and its tombstone in parallel) go in the order it issued them.
      const actors = [...new Set(this.held.map((held) => held.actor))].sort((a, b) => a - b)
      const actor = actors[choose(actors.length)]
      if (actor === undefined) throw new Error(`choose() picked outside 0..${actors.length - 1}`)
      const pick = this.held.filter((held) => held.actor === actor).sort((a, b) => a.seq - b.seq)[0]!
      this.held = this.held.filter((held) => held !== pick)
      this.order.push(`${pick.actor}:${pick.label}`)
      pick.run()
    }
    return await Promise.all(outcomes)
  }

  private hold (actor: number, label: string, self: unknown, method: AnyFunction, args: unknown[]): unknown {
    const last = args[args.length - 1]
    if (typeof last === 'function') {
      // A callback method (express-session's stores): call it when released; complete on its callback.
      this.held.push({
        actor,
        label,
        seq: this.seq++,
        run: () => {
          this.started(actor)
          method.apply(self, [...args.slice(0, -1), (...results: unknown[]) => {
            this.completed(actor)
            ;(last as AnyFunction)(...results)
          }])
        }
      })
      this.changed()
      return undefined
    }
    // A promise method (a client's command, a promise store): the promise settles once released and done.
    return new Promise((resolve, reject) => {
      this.held.push({
        actor,
        label,
        seq: this.seq++,
        run: () => {
          this.started(actor)
          let answer: unknown
          try {
            answer = method.apply(self, args)
          } catch (err) {
            this.completed(actor)
            reject(err)
            return
          }
          Promise.resolve(answer).then((value) => {
            this.completed(actor)
            resolve(value)
          }, (err: unknown) => {
            this.completed(actor)
            reject(err)
          })
        }
      })
      this.changed()
    })
  }

  private started (actor: number): void {
    this.inFlight.set(actor, (this.inFlight.get(actor) ?? 0) + 1)
  }

  private completed (actor: number): void {
    this.inFlight.set(actor, (this.inFlight.get(actor) ?? 1) - 1)
    this.changed()
  }

  /** An actor is at rest when done, or when it waits only on held calls (none of its calls is in flight). */
  private atRest (): boolean {
    for (const actor of this.running) {
      if ((this.inFlight.get(actor) ?? 0) > 0 || !this.held.some((held) => held.actor === actor)) return false
    }
    return true
  }

  /** Resolves once every actor is at rest, and still is after the microtasks and immediates queued by then. */
  private async rest (): Promise<void> {
    const deadline = Date.now() + 10_000
    for (;;) {
      if (this.atRest()) {
        await new Promise((resolve) => setImmediate(resolve))
        if (this.atRest()) return
      }
      if (Date.now() > deadline) throw new Error(`race harness: actors ${[...this.running].join(', ')} never came to rest (held: ${this.held.map((h) => `${h.actor}:${h.label}`).join(', ')})`)
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve)
        setTimeout(resolve, 50)
      })
    }
  }

  private changed (): void {
    const waiters = this.waiters
    this.waiters = []
    for (const wake of waiters) wake()
  }
}

/**
 * Runs `once` for every interleaving: depth first over the choices, each run replaying the
 * choices that lead to the next unexplored one. Throws past `limit` runs (an unexpectedly large space).
 */
export async function enumerate<T> (once: (choose: Choose) => Promise<T>, limit: number): Promise<T[]> {
  const results: T[] = []
  let prefix: number[] = []
  for (;;) {
    const trace: Array<{ choice: number, count: number }> = []
    const choose: Choose = (count) => {
      const choice = prefix[trace.length] ?? 0
      if (choice >= count) throw new Error('race harness: a replayed run offered fewer choices than before (not deterministic)')
      trace.push({ choice, count })
      return choice
    }
    results.push(await once(choose))
    let last = trace.length - 1
    while (last >= 0 && trace[last]!.choice + 1 >= trace[last]!.count) last--
    if (last < 0) return results
    prefix = [...trace.slice(0, last).map((step) => step.choice), trace[last]!.choice + 1]
    if (results.length >= limit) throw new Error(`race harness: more than ${limit} interleavings`)
  }
}

/** Runs `once` `runs` times with choices drawn from a PRNG seeded with `seed` (the same seed, the same runs). */
export async function sample<T> (once: (choose: Choose) => Promise<T>, runs: number, seed: number): Promise<T[]> {
  let state = seed >>> 0
  const next = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const results: T[] = []
  for (let i = 0; i < runs; i++) results.push(await once((count) => Math.floor(next() * count)))
  return results
}
