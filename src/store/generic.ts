// The generic driver: any express-session or koa-session store, through get, set, destroy (and
// touch and all() when it has them). Those calls cannot compare-and-set, so this driver gives the
// strongest guarantee they allow:
//
// - update() re-reads the record now and applies the request's change to it (not to what the
//   request loaded), so a concurrent write to another key is kept unless it lands within the one
//   round trip between this read and this write;
// - a destroy is final: destroy() first writes a tombstone under `<id>.gone` (never a session id:
//   ids are 43 base64url characters), then deletes the record; every read looks for the tombstone
//   too (in parallel), and every write looks for it afterwards and deletes the record again if it
//   is there.
//
// Why a destroy is final. Request U updates (or touches): r = read record and tombstone, w = set
// the record, c = read the tombstone, x = delete the record if c saw one. Request D destroys:
// t = write the tombstone, del = delete the record; D resolves after del. Each store call is
// atomic, and the tombstone outlives any update in flight (its lifetime is the session's).
//   1. r after t: r sees the tombstone; U answers 'gone' and writes nothing.
//   2. r before t, w before del: del deletes what w wrote. (If c also ran before t, U answers 'ok':
//      its write happened before the destroy, and the destroy removed it.)
//   3. r before t, w after del: then w is after t, so c (after w) sees the tombstone and x deletes
//      the record again; U answers 'gone'. Between w and x the record is in the store, but every
//      load of this driver reads the tombstone with it and answers undefined.
// So once D has resolved and U has finished, the record is gone, and no load that starts after t
// returns it.
//
// The remaining window: two updates of the same session whose read and write overlap within one
// store round trip (each reads before the other writes) can still lose one's keys; a process that
// dies between w and x leaves the record in the store (our loads still see the tombstone), and an
// app reading the store directly (express-session) can see it during that round trip.
import type { Calls } from './calls.js'
import type { CallInfo, DriverSettings, StoreDriver, StoredRecord } from './types.js'
import { asStoreError } from './errors.js'
import { applyChange, hasEnded, isRecord, ONE_DAY, withCookie } from './record.js'
import { holds, idsHolding } from './scan.js'

/** Where destroy() leaves its tombstone: a key that can never be a session id. */
export function tombstoneKey (id: string): string {
  return `${id}.gone`
}

/** Whether a store key is one of our tombstones rather than a session. */
export function isTombstoneKey (key: string): boolean {
  return key.endsWith('.gone')
}

/** The generic driver over `calls`. */
export function genericDriver (calls: Calls, settings: DriverSettings): StoreDriver {
  /** The record, unless there is none, it has ended, or a tombstone says it was destroyed. */
  const read = async (id: string, info: CallInfo): Promise<StoredRecord | undefined> => {
    const [value, tombstone] = await Promise.all([calls.get(id, info), calls.get(tombstoneKey(id), info)])
    return tombstone === undefined && isRecord(value) && !hasEnded(value.cookie, Date.now()) ? value : undefined
  }

  /** After a write: if the record was destroyed meanwhile, delete it again (case 3 above). */
  const destroyedMeanwhile = async (id: string, info: CallInfo): Promise<boolean> => {
    if (await calls.get(tombstoneKey(id), info) === undefined) return false
    await calls.destroy(id, info)
    return true
  }

  const destroy = async (id: string, info: CallInfo): Promise<void> => {
    const now = Date.now()
    // As long as the session could live, and at least as long as an update in flight can take
    // (its read, write and check, each bounded by the timeout).
    const lifetime = Math.max(info.maxAge ?? ONE_DAY, 4 * settings.timeout)
    const tombstone = { cookie: { originalMaxAge: lifetime, expires: new Date(now + lifetime) }, destroyed: now }
    await calls.set(tombstoneKey(id), tombstone, { ...info, maxAge: lifetime }, true)
    await calls.destroy(id, info)
  }

  const driver: StoreDriver = {
    atomic: false,
    name: 'generic',

    load: read,

    async create (id, record, info) {
      await calls.set(id, record, info, true)
    },

    async update (id, change, cookie, info) {
      const current = await read(id, info)
      if (current === undefined) return 'gone'
      if (hasEnded(cookie, Date.now())) {
        await calls.destroy(id, info)
        return 'gone'
      }
      let next: StoredRecord
      try {
        next = applyChange(current, change, cookie)
      } catch (err) {
        throw asStoreError('set', err)
      }
      await calls.set(id, next, info, true)
      return await destroyedMeanwhile(id, info) ? 'gone' : 'ok'
    },

    async touch (id, cookie, info) {
      const current = await read(id, info)
      if (current === undefined) return 'gone'
      if (hasEnded(cookie, Date.now())) {
        await calls.destroy(id, info)
        return 'gone'
      }
      const record = withCookie(current, cookie)
      // The store's own touch extends the record it holds now and never creates one: MemoryStore's,
      // connect-redis's and express-mysql-session's do so (the tests hold them to it); another
      // store's touch is trusted to, as express-session trusts it. A store without one gets the
      // record as read, with its new cookie (a write within this round trip may be lost).
      if (calls.touch !== undefined) {
        if (!await calls.touch(id, record)) return 'gone'
      } else {
        await calls.set(id, record, info, false)
      }
      return await destroyedMeanwhile(id, info) ? 'gone' : 'ok'
    },

    destroy
  }
  const { all } = calls
  if (all !== undefined) {
    driver.destroyAll = async (path, value, info) => {
      let count = 0
      for (const id of await idsHolding(all, path, value, isTombstoneKey)) {
        // all() may be a moment old: only a record that still holds the value is destroyed.
        const current = await read(id, info)
        if (current === undefined || !holds(current, path, value)) continue
        await destroy(id, info)
        count++
      }
      return count
    }
  }
  return driver
}
