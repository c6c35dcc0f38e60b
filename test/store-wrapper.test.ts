// The promise wrapper around express-session stores: each call settles once, whatever the store's
// callback does, and every failure is a SessionStoreError with the store's error as its cause.
import { describe, expect, it } from 'vitest'
import { SessionOptionError, SessionStoreError } from '../src/errors.js'
import { isId, sessionStoreFor } from '../src/core/store.js'
import { nodePlatform } from '../src/platform/node.js'

const { newId } = nodePlatform
import { checkStore, type StoreLike } from '../src/options/store.js'

/** The store as the middleware calls it: checked, then wrapped in promises. */
const wrap = (store: StoreLike) => sessionStoreFor(checkStore(store) as StoreLike)

const quiet: StoreLike = { get: (_id, cb) => cb(null, null), set: (_id, _s, cb) => cb?.(), destroy: (_id, cb) => cb?.() }

describe('the store option', () => {
  it('is refused unless it has get, set and destroy functions, naming what is missing', () => {
    expect(() => checkStore({ get () {}, set () {} })).toThrow(SessionOptionError)
    expect(() => checkStore({ get () {}, set () {} })).toThrow('option "store" must be an express-session Store (an object with get, set and destroy methods, and optionally touch), got an object without destroy')
    expect(() => checkStore('redis')).toThrow('got string')
    expect(() => checkStore({ ...quiet, touch: 1 })).toThrow('got an object without a touch function')
  })

  it('accepts any object with the callback interface', () => {
    expect(checkStore(quiet)).toBeDefined()
    expect(checkStore(undefined)).toBeUndefined()
  })
})

describe('store calls', () => {
  it('settle once when the store calls back twice (as connect-redis does when the first callback throws)', async () => {
    const store = wrap({ ...quiet, get: (_id: string, cb: (err: unknown, s?: unknown) => void) => { cb(null, { a: 1 }); cb(new Error('again')) } })
    await expect(store.get('x')).resolves.toEqual({ a: 1 })
  })

  it('run what follows after the store callback returned, never inside it', async () => {
    const order: string[] = []
    const store = wrap({ ...quiet, set: (_id: string, _s: unknown, cb?: (err?: unknown) => void) => { cb?.(); order.push('store callback returned') } })
    await store.set('x', {}).then(() => order.push('continuation'))
    expect(order).toEqual(['store callback returned', 'continuation'])
  })

  it('turn a callback error or a throw into a SessionStoreError with the cause', async () => {
    const down = new Error('connect ECONNREFUSED')
    const store = wrap({ ...quiet, destroy: (_id: string, cb?: (err?: unknown) => void) => cb?.(down), get: () => { throw down } })
    const destroyed = await store.destroy('x').catch((err: unknown) => err)
    expect(destroyed).toBeInstanceOf(SessionStoreError)
    expect(destroyed).toMatchObject({ code: 'ERR_SESSION_STORE', operation: 'destroy', cause: down, message: 'session store destroy failed: connect ECONNREFUSED' })
    await expect(store.get('x')).rejects.toMatchObject({ operation: 'get', cause: down })
  })

  it('touch with set when the store has no touch', async () => {
    const calls: string[] = []
    const store = wrap({ ...quiet, set: (id: string, _s: unknown, cb?: () => void) => { calls.push(`set ${id}`); cb?.() } })
    await store.touch('x', {})
    expect(calls).toEqual(['set x'])
  })
})

describe('session ids', () => {
  it('are 256 random bits in base64url, never twice the same', () => {
    const ids = new Set(Array.from({ length: 1000 }, newId))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })

  it('cannot be confused with a cookie-mode value (padded base64)', () => {
    expect(isId(newId())).toBe(true)
    expect(isId(Buffer.from('{"user":"ann","n":12345678901}').toString('base64'))).toBe(false)
  })
})
