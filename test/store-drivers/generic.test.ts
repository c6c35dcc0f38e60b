// The generic driver's guarantees, on express-session's MemoryStore (a callback store) and on a
// koa-session promise store: records read back after each operation, from the store itself.
import session, { MemoryStore } from 'express-session'
import { describe, expect, it } from 'vitest'
import { SessionStoreError } from '../../src/errors.js'
import { driverFor } from '../../src/store/driver.js'
import type { StoreDriver } from '../../src/store/types.js'
import { tombstoneKey } from '../../src/store/generic.js'
import { KoaStyleStore } from '../helpers/koa-store.js'
import { callback } from '../helpers/races.js'

const HOUR = 3_600_000
const info = { maxAge: HOUR, rolling: false }
const cookie = (ms = HOUR) => ({ originalMaxAge: ms, expires: new Date(Date.now() + ms) })
const id = (name: string) => name.padEnd(43, 'x')

interface Kit {
  name: string
  make (): { store: object, driver: StoreDriver, raw (key: string): Promise<any>, put (key: string, record: object): Promise<void> }
}

const kits: Kit[] = [
  {
    name: 'MemoryStore',
    make () {
      const store = new MemoryStore()
      return {
        store,
        driver: driverFor(store, { timeout: 1000 }),
        raw: async (key) => (await callback(store, 'get', key)) ?? undefined,
        put: async (key, record) => { await callback(store, 'set', key, record) }
      }
    }
  },
  {
    name: 'a koa-session store',
    make () {
      const store = new KoaStyleStore()
      return {
        store,
        driver: driverFor(store, { timeout: 1000 }),
        raw: async (key) => await store.get(key, undefined, {}),
        put: async (key, record) => { await store.set(key, record, HOUR, {}) }
      }
    }
  }
]

for (const kit of kits) {
  describe(`the generic driver on ${kit.name}`, () => {
    it('create writes the record; load reads it; a missing or ended record loads as undefined', async () => {
      const { driver, raw, put } = kit.make()
      const record = { cookie: cookie(), user: 'ann' }
      await driver.create(id('a'), record, info)
      expect(await raw(id('a'))).toEqual(JSON.parse(JSON.stringify(record)))
      expect(await driver.load(id('a'), info)).toEqual(JSON.parse(JSON.stringify(record)))
      expect(await driver.load(id('none'), info)).toBeUndefined()
      await put(id('old'), { cookie: { originalMaxAge: 1, expires: new Date(Date.now() - 1000) }, user: 'ann' })
      expect(await driver.load(id('old'), info)).toBeUndefined()
    })

    it('update applies the change to the record as the store holds it now, keeping what another request wrote', async () => {
      const { driver, raw, put } = kit.make()
      await driver.create(id('a'), { cookie: cookie(), user: 'ann', theme: 'light', step: 1 }, info)
      // Another request wrote meanwhile (after this one loaded).
      await put(id('a'), { cookie: cookie(), user: 'ann', theme: 'light', step: 1, cart: ['tea'] })
      const renewed = cookie(2 * HOUR)
      expect(await driver.update(id('a'), { set: { theme: 'dark' }, unset: ['step'] }, renewed, info)).toBe('ok')
      expect(await raw(id('a'))).toEqual({ cookie: JSON.parse(JSON.stringify(renewed)), user: 'ann', theme: 'dark', cart: ['tea'] })
    })

    it('update of a record that is not there answers gone and creates nothing', async () => {
      const { driver, raw } = kit.make()
      expect(await driver.update(id('none'), { set: { user: 'ann' }, unset: [] }, cookie(), info)).toBe('gone')
      expect(await raw(id('none'))).toBeUndefined()
    })

    it('update with a cookie that has ended deletes the record and answers gone', async () => {
      const { driver, raw } = kit.make()
      await driver.create(id('a'), { cookie: cookie(), user: 'ann' }, info)
      const ended = { originalMaxAge: 1, expires: new Date(Date.now() - 1) }
      expect(await driver.update(id('a'), { set: { x: 1 }, unset: [] }, ended, info)).toBe('gone')
      expect(await raw(id('a'))).toBeUndefined()
    })

    it('update refuses to set the reserved key cookie, with a typed error, and writes nothing', async () => {
      const { driver, raw } = kit.make()
      await driver.create(id('a'), { cookie: cookie(), user: 'ann' }, info)
      const err = await driver.update(id('a'), { set: { cookie: 1 }, unset: [] }, cookie(), info).catch((error: unknown) => error)
      expect(err).toBeInstanceOf(SessionStoreError)
      expect((err as SessionStoreError).message).toBe('session store set failed (TypeError)')
      expect(await raw(id('a'))).toMatchObject({ user: 'ann' })
    })

    it('touch gives the record the new cookie and keeps its data; gone (and nothing created) without a record', async () => {
      const { driver, raw } = kit.make()
      await driver.create(id('a'), { cookie: cookie(60_000), user: 'ann' }, info)
      const renewed = cookie(2 * HOUR)
      expect(await driver.touch(id('a'), renewed, info)).toBe('ok')
      expect(await raw(id('a'))).toEqual({ cookie: JSON.parse(JSON.stringify(renewed)), user: 'ann' })
      expect(await driver.touch(id('none'), renewed, info)).toBe('gone')
      expect(await raw(id('none'))).toBeUndefined()
    })

    it('touch with a cookie that has ended deletes the record and answers gone', async () => {
      const { driver, raw } = kit.make()
      await driver.create(id('a'), { cookie: cookie(), user: 'ann' }, info)
      expect(await driver.touch(id('a'), { originalMaxAge: 1, expires: new Date(Date.now() - 1) }, info)).toBe('gone')
      expect(await raw(id('a'))).toBeUndefined()
    })

    it('destroy deletes the record and leaves a tombstone for the session\'s lifetime; a later update or touch answers gone', async () => {
      const { driver, raw } = kit.make()
      await driver.create(id('a'), { cookie: cookie(), user: 'ann' }, info)
      await driver.destroy(id('a'), info)
      expect(await raw(id('a'))).toBeUndefined()
      const tombstone = await raw(tombstoneKey(id('a')))
      expect(Object.keys(tombstone)).toEqual(['cookie', 'destroyed'])
      const lifetime = new Date(tombstone.cookie.expires).getTime() - Date.now()
      expect(lifetime).toBeGreaterThan(HOUR - 5000)
      expect(lifetime).toBeLessThanOrEqual(HOUR)
      expect(await driver.update(id('a'), { set: { user: 'ann' }, unset: [] }, cookie(), info)).toBe('gone')
      expect(await driver.touch(id('a'), cookie(), info)).toBe('gone')
      expect(await raw(id('a'))).toBeUndefined()
    })

    it('a record written back after the destroy (a write in flight) is not loaded, and the writer\'s check deletes it', async () => {
      const { driver, raw, put } = kit.make()
      await driver.create(id('a'), { cookie: cookie(), user: 'ann' }, info)
      await driver.destroy(id('a'), info)
      // What an update that read before the destroy writes after it (case 3 in generic.ts).
      await put(id('a'), { cookie: cookie(), user: 'ann', cart: ['tea'] })
      expect(await driver.load(id('a'), info)).toBeUndefined()
      expect(await driver.update(id('a'), { set: { theme: 'dark' }, unset: [] }, cookie(), info)).toBe('gone')
      expect(await raw(id('a'))).toMatchObject({ cart: ['tea'] })
    })

    it('tombstone keys can never be session ids (43 base64url characters)', () => {
      expect(tombstoneKey(id('a'))).toBe(`${id('a')}.gone`)
      expect(tombstoneKey(id('a'))).not.toMatch(/^[A-Za-z0-9_-]{43}$/)
    })
  })
}

describe('the generic driver on a koa-session store: koa-session\'s arguments', () => {
  it('every set gets maxAge in ms from the record\'s cookie; update passes changed: true, touch changed: false; ctx and rolling pass through', async () => {
    const store = new KoaStyleStore()
    const driver = driverFor(store, { timeout: 1000 })
    const ctx = { request: 'koa ctx' }
    const withCtx = { maxAge: HOUR, rolling: true, ctx }
    await driver.create(id('a'), { cookie: cookie(10 * 60_000), user: 'ann' }, withCtx)
    await driver.update(id('a'), { set: { x: 1 }, unset: [] }, cookie(20 * 60_000), withCtx)
    await driver.touch(id('a'), cookie(30 * 60_000), withCtx)
    const sets = store.calls.filter((call) => call.method === 'set' && call.key === id('a'))
    expect(sets.map((call) => Math.round((call.args[1] as number) / 60_000))).toEqual([10, 20, 30])
    expect(sets.map((call) => (call.args[2] as { changed: boolean }).changed)).toEqual([true, true, false])
    expect(sets.every((call) => (call.args[2] as { ctx: unknown, rolling: boolean }).ctx === ctx && (call.args[2] as { rolling: boolean }).rolling)).toBe(true)
    expect(store.calls.find((call) => call.method === 'get')!.args).toEqual([HOUR, { rolling: true, ctx }])
    expect(store.ttl(id('a'))).toBeGreaterThan(29 * 60_000)
  })

  it('a record without an expiry is kept the session\'s maxAge, else a day (a promise store needs a number for its TTL)', async () => {
    const store = new KoaStyleStore()
    const driver = driverFor(store, { timeout: 1000 })
    await driver.create(id('a'), { cookie: { originalMaxAge: null, expires: null }, user: 'ann' }, { maxAge: undefined, rolling: false })
    expect(store.ttl(id('a'))).toBeGreaterThan(86_400_000 - 5000)
  })

  it('has no destroyAll: a koa-session store cannot list its sessions', () => {
    expect(driverFor(new KoaStyleStore(), { timeout: 1000 }).destroyAll).toBeUndefined()
  })
})

describe('the generic driver on MemoryStore: destroyAll by all()', () => {
  it('destroys every session whose passport.user is the same JSON value, and nothing else; tombstones are not sessions', async () => {
    const store = new MemoryStore()
    const driver = driverFor(store, { timeout: 1000 })
    const passport = (user: unknown) => ({ cookie: cookie(), passport: { user } })
    await driver.create(id('ann1'), passport('ann'), info)
    await driver.create(id('ann2'), passport('ann'), info)
    await driver.create(id('Ann'), passport('Ann'), info)
    await driver.create(id('n42'), passport(42), info)
    await driver.create(id('s42'), passport('42'), info)
    await driver.create(id('obj'), passport({ id: 7, org: 'x' }), info)
    await driver.create(id('anon'), { cookie: cookie(), cart: [] }, info)
    await driver.destroy(id('gone'), info)
    expect(await driver.destroyAll!(['passport', 'user'], 'ann', info)).toBe(2)
    expect(await driver.destroyAll!(['passport', 'user'], 42, info)).toBe(1)
    expect(await driver.destroyAll!(['passport', 'user'], { org: 'x', id: 7 }, info)).toBe(1)
    expect(await driver.destroyAll!(['passport', 'user'], 'nobody', info)).toBe(0)
    const left = await callback<Record<string, any>>(store, 'all')
    expect(Object.keys(left).filter((key) => !key.endsWith('.gone')).sort()).toEqual([id('Ann'), id('anon'), id('s42')].sort())
    // A destroyed session stays destroyed against a write in flight, as with destroy().
    expect(await driver.update(id('ann1'), { set: { x: 1 }, unset: [] }, cookie(), info)).toBe('gone')
  })

  it('MemoryStore\'s own touch never recreates a session (so the driver may use it)', async () => {
    const store = new MemoryStore()
    await callback(store, 'touch', id('none'), { cookie: cookie(), user: 'ann' })
    expect(await callback(store, 'get', id('none'))).toBeUndefined()
  })

  it('express-session reads the records the driver writes (cookie first, expires as a date)', async () => {
    const store = new MemoryStore()
    const driver = driverFor(store, { timeout: 1000 })
    await driver.create(id('a'), { cookie: cookie(), user: 'ann' }, info)
    const loaded = await new Promise<any>((resolve, reject) => store.load(id('a'), (err, s) => err ? reject(err) : resolve(s)))
    expect(loaded).toBeInstanceOf(session.Session)
    expect(loaded.user).toBe('ann')
    expect(loaded.cookie.expires).toBeInstanceOf(Date)
    expect(loaded.cookie.maxAge).toBeGreaterThan(HOUR - 5000)
  })
})
