// N app processes behind the round-robin proxy, restarted one at a time with new keys: out of
// rotation, drained, stopped, started with the new SESSION_KEYS, back in rotation.
import { setTimeout as sleep } from 'node:timers/promises'
import { start, type App } from '../helpers/processes.js'
import { RoundRobinProxy } from './proxy.js'

const script = 'test/rollout/app.js'

export class Fleet {
  private readonly proxy = new RoundRobinProxy()
  private apps: App[] = []

  get url (): string { return `http://127.0.0.1:${this.proxy.port}` }

  async start (n: number, keys: string[]): Promise<void> {
    await this.proxy.listen()
    this.apps = await Promise.all(Array.from({ length: n }, () => start(script, { SESSION_KEYS: keys.join(',') })))
    for (const app of this.apps) this.proxy.add(app.port)
  }

  /**
   * Restarts every process in turn with `keys`, letting traffic run for `dwell` ms after each one
   * (while the fleet runs mixed configurations).
   */
  async roll (keys: string[], dwell: number): Promise<void> {
    for (let i = 0; i < this.apps.length; i++) {
      const old = this.apps[i]!
      await this.proxy.remove(old.port)
      await old.stop()
      const fresh = await start(script, { SESSION_KEYS: keys.join(',') })
      this.apps[i] = fresh
      this.proxy.add(fresh.port)
      await sleep(dwell)
    }
  }

  async stop (): Promise<void> {
    await this.proxy.close()
    await Promise.all(this.apps.map((app) => app.stop()))
  }
}
