// The reference: express-session over the same real stores passes every scenario our store mode
// must pass. It proves the stores, clients and servers work, and shows the behaviour to match.
import session, { type Store } from 'express-session'
import { expect } from 'vitest'
import { storeKits } from '../helpers/stores.js'
import { storeScenarios, type Subject } from './scenarios.js'

const expressSession: Subject = {
  name: 'express-session',
  middleware: (store: Store) => session({ secret: 'k', store, resave: false, saveUninitialized: false }),
  expectStoreError (body, kit) {
    // The client's own error reaches next(err) untouched.
    if (kit.durable) expect(body).toMatchObject({ code: 'ECONNREFUSED' })
    else expect(body).toMatchObject({ message: 'The client is offline' })
  }
}

for (const kit of storeKits) storeScenarios(expressSession, kit)
