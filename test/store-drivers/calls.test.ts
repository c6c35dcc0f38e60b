// Store calls (src/store/calls.ts, settle.ts, errors.ts): every misbehaving store settles once,
// with the documented outcome, and no message carries the store's own text.
import { MemoryStore } from 'express-session'
import { describe, expect, it } from 'vitest'
import { SessionStoreError } from '../../src/errors.js'
import { callsFor } from '../../src/store/calls.js'
import { driverFor } from '../../src/store/driver.js'
import { describeCause } from '../../src/store/errors.js'

const info = { maxAge: undefined, rolling: false }
const SECRET = 'mysql://root:hunter2@db.internal:3306/sessions'

/** An Error as a database client makes one: its message names the connection, its code is stable. */
function clientError (code = 'ECONNREFUSED'): Error {
  return Object.assign(new Error(`connect ${code} ${SECRET}`), { code })
}

type Callback = (err?: unknown, value?: unknown) => void

/** A callback store whose get, set and destroy all behave as `behave` says. */
function callbackStore (behave: (callback: Callback, method: string) => unknown) {
  return {
    get (_id: string, callback: Callback) { return behave(callback, 'get') },
    set (_id: string, _record: unknown, callback: Callback) { return behave(callback, 'set') },
    destroy (_id: string, callback: Callback) { return behave(callback, 'destroy') }
  }
}

const calls = (store: object, timeout = 1000) => callsFor(store, undefined, timeout)

/** The rejection of `promise` (fails the test when it resolves). */
async function rejection (promise: Promise<unknown>): Promise<SessionStoreError> {
  const outcome = await promise.then((value) => ({ value }), (error: unknown) => ({ error }))
  if (!('error' in outcome)) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`)
  expect(outcome.error).toBeInstanceOf(SessionStoreError)
  return outcome.error as SessionStoreError
}

describe('a store call settles once, on whatever the store does first', () => {
  it('a store that calls back twice: the first answer counts (a value, then an error)', async () => {
    const store = callbackStore((callback) => { callback(null, { user: 'ann' }); callback(clientError()) })
    expect(await calls(store).get('id', info)).toEqual({ user: 'ann' })
  })

  it('a store that calls back twice: the first answer counts (an error, then a value)', async () => {
    const store = callbackStore((callback) => { callback(clientError()); callback(null, { user: 'ann' }) })
    const err = await rejection(calls(store).get('id', info))
    expect(err).toMatchObject({ code: 'ERR_SESSION_STORE', operation: 'get', message: 'session store get failed (Error, code ECONNREFUSED)' })
  })

  it('a store that throws instead of calling back fails the call, with the thrown error as cause', async () => {
    const thrown = clientError('ER_ACCESS_DENIED_ERROR')
    const store = callbackStore(() => { throw thrown })
    const err = await rejection(calls(store).set('id', { cookie: {} }, info, true))
    expect(err).toMatchObject({ operation: 'set', message: 'session store set failed (Error, code ER_ACCESS_DENIED_ERROR)' })
    expect(err.cause).toBe(thrown)
  })

  it('a store that calls back and then throws (connect-redis when the callback throws): the callback counts', async () => {
    const store = callbackStore((callback) => { callback(null, { user: 'ann' }); throw clientError() })
    expect(await calls(store).get('id', info)).toEqual({ user: 'ann' })
  })

  it('a store that never calls back fails after the timeout, naming the operation', async () => {
    const store = callbackStore(() => undefined)
    const started = Date.now()
    const err = await rejection(calls(store, 60).destroy('id', info))
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
    expect(err).toMatchObject({ code: 'ERR_SESSION_STORE', operation: 'destroy', message: 'session store destroy timed out after 60 ms' })
  })

  it('an answer after the timeout is ignored', async () => {
    let late: Callback | undefined
    const store = callbackStore((callback) => { late = callback })
    const err = await rejection(calls(store, 30).get('id', info))
    expect(err.message).toBe('session store get timed out after 30 ms')
    expect(() => late!(null, { user: 'ann' })).not.toThrow()
  })

  it('a store that calls back and returns a promise: the callback first (connect-redis, express-mysql-session)', async () => {
    const store = callbackStore((callback) => { callback(null, { user: 'ann' }); return Promise.reject(clientError()) })
    expect(await calls(store).get('id', info)).toEqual({ user: 'ann' })
  })

  it('a store that calls back and returns a promise: the promise first, when it settles first', async () => {
    const store = callbackStore((callback) => {
      setTimeout(() => callback(clientError()), 20)
      return Promise.resolve({ user: 'ann' })
    })
    expect(await calls(store).get('id', info)).toEqual({ user: 'ann' })
    await new Promise((resolve) => setTimeout(resolve, 30))
  })

  it('a store whose returned promise rejects first fails the call', async () => {
    const store = callbackStore(() => Promise.reject(clientError('ETIMEDOUT')))
    const err = await rejection(calls(store).get('id', info))
    expect(err.message).toBe('session store get failed (Error, code ETIMEDOUT)')
  })

  it('a promise store whose promise rejects with nothing still fails, saying so', async () => {
    const store = {
      get: async (_key: string, _maxAge: unknown, _options: unknown) => await Promise.reject(undefined), // eslint-disable-line prefer-promise-reject-errors
      async set (_key: string, _sess: unknown, _maxAge: unknown, _options: unknown) {},
      async destroy (_key: string, _options: unknown) {}
    }
    const err = await rejection(calls(store).get('id', info))
    expect(err.message).toBe('session store get failed (undefined)')
  })
})

describe('a store the user says is a promise store answers by what it returns', () => {
  it('a plain value, returned at once (a synchronous store), is the answer: no wait for a callback', async () => {
    const records = new Map<string, unknown>([['id', { user: 'ann' }]])
    const store = {
      get: (key: string) => records.get(key),
      set: (key: string, value: unknown) => { records.set(key, value) },
      destroy: (key: string) => { records.delete(key) }
    }
    const c = callsFor(store, 'promise', 1000)
    const started = Date.now()
    expect(await c.get('id', info)).toEqual({ user: 'ann' })
    await c.set('other', { cookie: {} }, info, true)
    await c.destroy('id', info)
    expect([...records.keys()]).toEqual(['other'])
    expect(Date.now() - started).toBeLessThan(500)
  })

  it('a callback store that returns a plain value still answers by its callback', async () => {
    const store = callbackStore((callback) => { setTimeout(() => callback(null, { user: 'late' }), 10); return 'ignored' })
    expect(await calls(store).get('id', info)).toEqual({ user: 'late' })
  })
})

describe('"no such session" is a missing record, not a failure', () => {
  it.each([null, undefined, 0, '', false])('get calling back with a falsy error (%j) and no session: undefined', async (falsy) => {
    const store = callbackStore((callback) => callback(falsy))
    expect(await calls(store).get('id', info)).toBeUndefined()
  })

  it('get failing with code ENOENT (a file store\'s missing file): undefined, as express-session takes it', async () => {
    const store = callbackStore((callback) => callback(Object.assign(new Error('ENOENT: no such file /var/sessions/x.json'), { code: 'ENOENT' })))
    expect(await calls(store).get('id', info)).toBeUndefined()
  })

  it('destroy failing with ENOENT: nothing to delete, done', async () => {
    const store = callbackStore((callback) => callback(Object.assign(new Error('gone'), { code: 'ENOENT' })))
    await expect(calls(store).destroy('id', info)).resolves.toBeUndefined()
  })

  it('touch failing with ENOENT: reported as no record', async () => {
    const store = { ...callbackStore((callback) => callback()), touch: (_id: string, _s: unknown, callback: Callback) => callback(Object.assign(new Error('x'), { code: 'ENOENT' })) }
    expect(await calls(store).touch!('id', { cookie: {} })).toBe(false)
  })

  it('set failing with ENOENT is a failure (the record was not written)', async () => {
    const store = callbackStore((callback, method) => method === 'set' ? callback(Object.assign(new Error('/var/sessions missing'), { code: 'ENOENT' })) : callback())
    const err = await rejection(calls(store).set('id', { cookie: {} }, info, true))
    expect(err.message).toBe('session store set failed (Error, code ENOENT)')
  })

  it('a promise store rejecting with ENOENT on get: undefined', async () => {
    const store = {
      async get (_key: string, _maxAge: unknown, _options: unknown) { throw Object.assign(new Error('no'), { code: 'ENOENT' }) },
      async set (_key: string, _sess: unknown, _maxAge: unknown, _options: unknown) {},
      async destroy (_key: string, _options: unknown) {}
    }
    expect(await calls(store).get('id', info)).toBeUndefined()
  })
})

describe('messages carry no text of the store\'s', () => {
  it('neither the message nor the stack holds the store error\'s message; the cause does', async () => {
    const original = clientError()
    const store = callbackStore((callback) => callback(original))
    const err = await rejection(calls(store).get('id', info))
    expect(err.message).toBe('session store get failed (Error, code ECONNREFUSED)')
    expect(err.stack).not.toContain('hunter2')
    expect(err.stack?.split('\n')[0]).toBe('SessionStoreError: session store get failed (Error, code ECONNREFUSED)')
    expect(String(err)).not.toContain('hunter2')
    expect(err.cause).toBe(original)
  })

  it('describes a cause by its class and code only, and leaves out a code or name that is not a plain token', () => {
    expect(describeCause(new TypeError(SECRET))).toBe('TypeError')
    expect(describeCause(Object.assign(new Error(SECRET), { code: 1045 }))).toBe('Error, code 1045')
    expect(describeCause(Object.assign(new Error(SECRET), { code: `bad ${SECRET}` }))).toBe('Error')
    expect(describeCause(Object.assign(new Error('x'), { name: 'Evil\nName', code: 'E\u001b[31m' }))).toBe('Error')
    expect(describeCause(SECRET)).toBe('a string')
    expect(describeCause(42)).toBe('a number')
    expect(describeCause(null)).toBe('null')
    expect(describeCause(Object.create(null))).toBe('an object')
    expect(describeCause({ code: 'EPIPE' })).toBe('Object, code EPIPE')
    class ClientOfflineError extends Error {}
    expect(describeCause(new ClientOfflineError(SECRET))).toBe('ClientOfflineError')
  })

  it('a thrown string is described as one', async () => {
    const store = callbackStore(() => { throw SECRET })
    const err = await rejection(calls(store).get('id', info))
    expect(err.message).toBe('session store get failed (a string)')
    expect(err.cause).toBe(SECRET)
  })
})

describe('promise stores get koa-session\'s arguments', () => {
  it('maxAge in ms from the record\'s expires, rolling, changed and ctx', async () => {
    const seen: unknown[][] = []
    const store = {
      async get (...args: unknown[]) { seen.push(['get', ...args]); return { user: 'ann' } },
      async set (...args: unknown[]) { seen.push(['set', ...args]) },
      async destroy (...args: unknown[]) { seen.push(['destroy', ...args]) }
    }
    const ctx = { koa: true }
    const c = callsFor(store, 'promise', 1000)
    expect(c.kind).toBe('promise')
    const withInfo = { maxAge: 60_000, rolling: true, ctx }
    expect(await c.get('id', withInfo)).toEqual({ user: 'ann' })
    const expires = new Date(Date.now() + 30_000)
    await c.set('id', { cookie: { originalMaxAge: 30_000, expires } }, withInfo, false)
    await c.set('id2', { cookie: { originalMaxAge: null, expires: null } }, { maxAge: undefined, rolling: false }, true)
    await c.destroy('id', withInfo)
    expect(seen[0]).toEqual(['get', 'id', 60_000, { rolling: true, ctx }])
    const [, , record, maxAge, options] = seen[1]!
    expect(record).toEqual({ cookie: { originalMaxAge: 30_000, expires } })
    expect(maxAge).toBeGreaterThan(29_000)
    expect(maxAge).toBeLessThanOrEqual(30_000)
    expect(options).toEqual({ rolling: true, changed: false, ctx })
    // No expiry in the record and no maxAge: a day, the stores' usual default, never "no TTL".
    expect(seen[2]![3]).toBe(86_400_000)
    expect(seen[3]).toEqual(['destroy', 'id', { ctx }])
  })
})

describe('express-session\'s optional all()', () => {
  it('reads MemoryStore\'s object by id, and connect-redis\'s array of records with their ids', async () => {
    const memory = new MemoryStore()
    memory.set('a', { cookie: { originalMaxAge: null, expires: null } as any, user: 'ann' } as any)
    expect(await calls(memory).all!()).toEqual([['a', { cookie: { originalMaxAge: null, expires: null }, user: 'ann' }]])
    const arrayStore = { ...callbackStore((callback) => callback()), all: (callback: Callback) => callback(null, [{ id: 'b', user: 'bob' }, { user: 'no id' }]) }
    expect(await calls(arrayStore).all!()).toEqual([['b', { id: 'b', user: 'bob' }]])
  })
})

describe('a store without the methods', () => {
  it('is refused with what it lacks', () => {
    expect(() => driverFor({ get () {} }, { timeout: 1000 })).toThrow('option "store" must be an express-session Store or a koa-session store (an object with get, set and destroy methods), got an object without set, destroy')
  })
})

describe('a store\'s methods are looked up at each call, as express-session calls them', () => {
  it('calls a method the app replaced after the middleware was made (instrumentation, a spy)', async () => {
    const store = new MemoryStore()
    const made = calls(store)
    const seen: string[] = []
    const set = store.set.bind(store)
    store.set = (id: string, session: any, callback?: (err?: unknown) => void) => { seen.push(id); set(id, session, callback) }
    await made.set('an-id', { cookie: { originalMaxAge: null, expires: null } }, info, true)
    expect(seen).toEqual(['an-id'])
  })
})
