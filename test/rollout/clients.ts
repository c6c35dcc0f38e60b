// Users of the fleet: each keeps a cookie jar, logs in once, then keeps asking whether it is still
// logged in. An "out" answer to a logged-in user is an unexpected logout; the user logs in again.
import { setTimeout as sleep } from 'node:timers/promises'

export interface Counts {
  requests: number
  unexpectedLogouts: number
  /** Clients that were logged out unexpectedly at least once. */
  usersLoggedOut: number
  /** Requests that failed (connection errors, non-200 answers): a restart that dropped requests. */
  errors: number
}

class Client {
  private readonly jar = new Map<string, string>()
  private loggedIn = false
  private wasLoggedOut = false
  completed = 0

  constructor (private readonly name: string, private readonly base: string, private readonly counts: Counts) {}

  async run (running: () => boolean): Promise<void> {
    while (running()) {
      await this.step()
      this.completed++
      await sleep(5) // a few hundred requests a second in all: load, not a CPU benchmark
    }
  }

  private async step (): Promise<void> {
    const path = this.loggedIn ? '/check' : `/login?user=${this.name}`
    this.counts.requests++
    let res: Response
    try {
      res = await fetch(this.base + path, { method: this.loggedIn ? 'GET' : 'POST', headers: { cookie: this.cookie() } })
    } catch {
      this.counts.errors++
      return
    }
    const body = await res.text()
    if (res.status !== 200) {
      this.counts.errors++
      return
    }
    this.store(res.headers.getSetCookie())
    if (body === 'out') {
      this.counts.unexpectedLogouts++
      if (!this.wasLoggedOut) this.counts.usersLoggedOut++
      this.wasLoggedOut = true
    }
    this.loggedIn = body === 'in'
  }

  private cookie (): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  /** Keeps what a browser would: a cookie with an expiry in the past deletes it. */
  private store (lines: string[]): void {
    for (const line of lines) {
      const [pair = '', ...attributes] = line.split(';')
      const name = pair.slice(0, pair.indexOf('='))
      const expires = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('expires='))
      if (expires && Date.parse(expires.slice('expires='.length)) <= Date.now()) this.jar.delete(name)
      else this.jar.set(name, pair.slice(name.length + 1))
    }
  }
}

/** Starts `n` clients against `base`; `settle()` waits until each has completed two more requests. */
export function startClients (n: number, base: string) {
  const counts: Counts = { requests: 0, unexpectedLogouts: 0, usersLoggedOut: 0, errors: 0 }
  const clients = Array.from({ length: n }, (_, i) => new Client(`user${i}`, base, counts))
  let running = true
  const loops = clients.map((client) => client.run(() => running))
  return {
    counts,
    async settle (): Promise<void> {
      const targets = clients.map((client) => client.completed + 2)
      while (clients.some((client, i) => client.completed < targets[i]!)) await sleep(10)
    },
    async stop (): Promise<Counts> {
      running = false
      await Promise.all(loops)
      return { ...counts }
    }
  }
}
