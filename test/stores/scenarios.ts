// The store scenarios of issue 13, written once and run for every session middleware (express-session
// as the reference, ours in store mode) on every store (MariaDB, Redis), with real servers.
import type { RequestHandler } from 'express'
import type { Store } from 'express-session'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { Browser, listen, type Answer } from '../helpers/browser.js'
import type { RealServer } from '../helpers/servers.js'
import { sessionApp } from '../helpers/session-app.js'
import type { StoreKit } from '../helpers/stores.js'

export interface Subject {
  name: string
  /** The session middleware of one app instance, keeping its sessions in `store`. */
  middleware (store: Store): RequestHandler
  /** Checks the 500 answered while the store server is down (status already checked). */
  expectStoreError (body: any, kit: StoreKit): void
}

/** A session of 100 KB, varied enough that no layer could compress it away unnoticed. */
export const bigValue = Array.from({ length: 100 * 1024 / 16 }, (_, i) => `${i.toString(36)}-ünï`.padEnd(16, '-')).join('')

/** Starts the kit's server for the describe block, and opens app instances that are closed after each test. */
export function useStoreServer (kit: StoreKit) {
  let server: RealServer | undefined
  const closing: Array<() => Promise<void>> = []
  beforeAll(async () => { server = await kit.start() }, 60_000)
  afterEach(async () => {
    for (const close of closing.splice(0).reverse()) await close()
    // A test that failed while the server was down must not leave it down for the next one.
    if (server !== undefined && !server.running) await server.restart()
  })
  afterAll(async () => { await server?.stop() })

  return {
    get server (): RealServer {
      if (server === undefined) throw new Error(`${kit.name} did not start`)
      return server
    },
    /** A new store (own connections) over the running server. */
    async open () {
      const opened = await kit.open(this.server)
      closing.push(opened.close)
      return opened
    },
    /** An app instance: a new store, `make(store)` serving on its own port; close() stops both. */
    async instance (make: (store: Store) => Parameters<typeof listen>[0]) {
      const opened = await kit.open(this.server)
      const app = await listen(make(opened.store))
      let closed = false
      const close = async () => {
        if (closed) return
        closed = true
        await app.close()
        await opened.close()
      }
      closing.push(close)
      return { url: app.url, store: opened.store, close }
    }
  }
}

/** Repeats `attempt` until it answers 200 (a client reconnecting), for at most `ms`. */
export async function until200 (attempt: () => Promise<Answer>, ms = 10_000): Promise<Answer> {
  const deadline = Date.now() + ms
  for (;;) {
    const answer = await attempt()
    if (answer.status === 200 || Date.now() > deadline) return answer
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export function storeScenarios (subject: Subject, kit: StoreKit): void {
  describe(`${subject.name} with ${kit.name}`, () => {
    const servers = useStoreServer(kit)
    const app = async () => await servers.instance((store) => sessionApp(subject.middleware(store)))

    it('keeps the session when the app restarts (a new app and a new store over the same database)', async () => {
      const browser = new Browser()
      const first = await app()
      expect((await browser.post(`${first.url}/session`, { user: 'ann' })).body).toEqual({ user: 'ann' })
      await first.close()

      const second = await app()
      const read = await browser.get(`${second.url}/session`)
      expect(read.status).toBe(200)
      expect(read.body).toEqual({ user: 'ann' })
    })

    it('shares one session between two app instances behind the same store', async () => {
      const [a, b] = [await app(), await app()]
      const browser = new Browser()
      await browser.post(`${a.url}/session`, { cart: ['tea'] })
      expect((await browser.get(`${b.url}/session`)).body).toEqual({ cart: ['tea'] })
      await browser.post(`${b.url}/session`, { user: 'ann' })
      expect((await browser.get(`${a.url}/session`)).body).toEqual({ cart: ['tea'], user: 'ann' })
    })

    it('destroy in one instance revokes the cookie in the other, and every copy of it', async () => {
      const [a, b] = [await app(), await app()]
      const browser = new Browser()
      await browser.post(`${a.url}/session`, { user: 'ann' })
      const stolen = browser.copy()
      expect((await stolen.get(`${b.url}/session`)).body).toEqual({ user: 'ann' })

      expect((await browser.post(`${a.url}/destroy`)).body).toBe('destroyed')
      expect((await stolen.get(`${b.url}/session`)).body).toEqual({})
      expect((await stolen.get(`${a.url}/session`)).body).toEqual({})
      expect((await browser.get(`${b.url}/session`)).body).toEqual({})
    })

    it('answers an error while the store server is down, and recovers when it is back', async () => {
      const a = await app()
      const browser = new Browser()
      await browser.post(`${a.url}/session`, { user: 'ann' })

      await servers.server.kill()
      const down = await browser.get(`${a.url}/session`)
      expect(down.status).toBe(500)
      subject.expectStoreError(down.body, kit)

      await servers.server.restart()
      const back = await until200(async () => await browser.get(`${a.url}/session`))
      expect(back.status).toBe(200)
      // Redis runs without persistence here, so its sessions end with the server; MariaDB's stay.
      expect(back.body).toEqual(kit.durable ? { user: 'ann' } : {})
      await browser.post(`${a.url}/session`, { user: 'bob' })
      expect((await browser.get(`${a.url}/session`)).body).toEqual({ user: 'bob' })
    })

    it('keeps a session of 100 KB', async () => {
      const [a, b] = [await app(), await app()]
      const browser = new Browser()
      const write = await browser.post(`${a.url}/session`, { big: bigValue })
      expect(write.status).toBe(200)
      const read = await browser.get(`${b.url}/session`)
      expect(read.body.big).toBe(bigValue)
      expect(browser.cookieHeader.length).toBeLessThan(300)
    })
  })
}
