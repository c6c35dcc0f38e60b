// A key rotation across a fleet of three processes under load. Rolled out in one phase (new key
// signing on one server while the others still know only the old one), users are logged out; in two
// phases (verify-only first, then signing), nobody is.
import { afterEach, describe, expect, it } from 'vitest'
import { stopAll } from '../helpers/processes.js'
import { startClients, type Counts } from './clients.js'
import { Fleet } from './fleet.js'

const SERVERS = 3
const CLIENTS = 6
const DWELL = 300 // ms of traffic after each restart
const OLD = 'old key 2b4f9c'
const NEW = 'new key 7e1d03'

let fleet: Fleet | undefined
afterEach(async () => {
  await fleet?.stop()
  fleet = undefined
  await stopAll()
})

/** Starts the fleet on `initial` keys with clients logged in, runs `rollout`, returns the counts. */
async function underLoad (initial: string[], rollout: (fleet: Fleet, settle: () => Promise<void>) => Promise<void>): Promise<Counts & { ms: number }> {
  fleet = new Fleet()
  await fleet.start(SERVERS, initial)
  const clients = startClients(CLIENTS, fleet.url)
  await clients.settle() // everyone logged in
  const started = Date.now()
  await rollout(fleet, clients.settle)
  await clients.settle()
  const counts = await clients.stop()
  return { ...counts, ms: Date.now() - started }
}

const report = (name: string, counts: Counts & { ms: number }): void => {
  console.log(`${name}: ${counts.unexpectedLogouts} unexpected logouts (${counts.usersLoggedOut} of ${CLIENTS} users), ` +
    `${counts.errors} errors, ` +
    `${counts.requests} requests by ${CLIENTS} clients to ${SERVERS} servers in ${counts.ms} ms`)
}

describe('rotating keys on a fleet under load', () => {
  it('two phases (verify-only, then signing) log nobody out', async () => {
    const counts = await underLoad([OLD], async (fleet, settle) => {
      await fleet.roll([OLD, NEW], DWELL) // 1. the new key verifies everywhere; the old one still signs
      await fleet.roll([NEW, OLD], DWELL) // 2. the new key signs everywhere; old cookies are re-issued
      await settle() // every session seen since (in production: wait maxAge)
      await fleet.roll([NEW], DWELL) // 3. the old key goes
    })
    report('two-phase rollout', counts)
    expect(counts.requests).toBeGreaterThan(CLIENTS * 20)
    expect(counts.errors).toBe(0)
    expect(counts.unexpectedLogouts).toBe(0)
  })

  it('one phase (the new key signs on each server as it restarts) logs people out', async () => {
    const counts = await underLoad([OLD], async (fleet) => {
      await fleet.roll([NEW, OLD], DWELL)
    })
    report('one-phase rollout', counts)
    expect(counts.errors).toBe(0)
    expect(counts.unexpectedLogouts).toBeGreaterThan(0)
  })
})
