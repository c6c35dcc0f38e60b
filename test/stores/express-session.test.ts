// The reference: express-session over the same real stores passes every scenario our store mode
// must pass. It proves the stores, clients and servers work, and shows the behaviour to match.
import session, { type Store } from 'express-session'
import { describe, expect, it } from 'vitest'
import { Browser } from '../helpers/browser.js'
import { sessionApp } from '../helpers/session-app.js'
import { counting, redis, storeKits } from '../helpers/stores.js'
import { storeScenarios, useStoreServer, type Subject } from './scenarios.js'

const options = { secret: 'k', resave: false, saveUninitialized: false }

const expressSession: Subject = {
  name: 'express-session',
  middleware: (store: Store) => session({ ...options, store }),
  expectStoreError (body, kit) {
    // The client's own error reaches next(err) untouched.
    if (kit.durable) expect(body).toMatchObject({ code: 'ECONNREFUSED' })
    else expect(body).toMatchObject({ message: 'The client is offline' })
  }
}

for (const kit of storeKits) storeScenarios(expressSession, kit)

describe('express-session store calls (what store mode improves on)', () => {
  const servers = useStoreServer(redis)

  it('skips the store without a cookie, and reads then touches (never sets) on a read-only request', async () => {
    const { store, calls } = counting((await servers.open()).store)
    const a = await servers.instance(() => sessionApp(session({ ...options, store })))
    const browser = new Browser()
    await browser.get(`${a.url}/session`)
    expect(calls).toEqual({ get: 0, set: 0, destroy: 0, touch: 0 })
    await browser.post(`${a.url}/session`, { user: 'ann' })
    expect(calls).toEqual({ get: 0, set: 1, destroy: 0, touch: 0 })
    expect((await browser.get(`${a.url}/session`)).body).toEqual({ user: 'ann' })
    expect(calls).toEqual({ get: 1, set: 1, destroy: 0, touch: 1 })
  })
})
