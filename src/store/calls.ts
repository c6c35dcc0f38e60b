// A store's methods as promises, the same for both kinds of store (kind.ts): express-session's
// callback stores and koa-session's promise stores, each call settled once and bounded by the
// timeout (settle.ts).
import { SessionOptionError } from '../errors.js'
import type { CallInfo, StoredRecord } from './types.js'
import { storeKind, type StoreKind } from './kind.js'
import { lifetimeOf, ONE_DAY } from './record.js'
import { MISSING, settle } from './settle.js'

type Method = (...args: unknown[]) => unknown

export interface Calls {
  readonly kind: StoreKind
  /** The store's value for `id`; undefined for "no such session" (a falsy value, or an ENOENT error). */
  get (id: string, info: CallInfo): Promise<unknown>
  /** `changed`: koa-session's flag, false when only the lifetime is renewed. */
  set (id: string, record: StoredRecord, info: CallInfo, changed: boolean): Promise<void>
  /** An ENOENT error means there was nothing to delete: not a failure. */
  destroy (id: string, info: CallInfo): Promise<void>
  /** The store's own touch (express-session's optional method), when it has one; false: an ENOENT error said there is no record. */
  readonly touch: ((id: string, record: StoredRecord) => Promise<boolean>) | undefined
  /** express-session's optional all(): every record with its id. */
  readonly all: (() => Promise<Array<[string, unknown]>>) | undefined
}

/** `store`'s calls; a SessionOptionError when it lacks get, set or destroy, or its kind cannot be told. */
export function callsFor (store: object, given: StoreKind | undefined, timeout: number): Calls {
  const methods = store as Partial<Record<string, unknown>>
  const missing = ['get', 'set', 'destroy'].filter((name) => typeof methods[name] !== 'function')
  if (missing.length > 0) {
    throw new SessionOptionError('option "store" must be an express-session Store or a koa-session store (an object with get, set and destroy methods), ' +
      `got an object without ${missing.join(', ')}`)
  }
  const kind = storeKind(store, given)
  // Looked up at each call, as express-session does: a method replaced after the middleware was
  // made (instrumentation, a test's spy) is the one called.
  const method = (name: string): Method => (...args) => (methods[name] as Method).apply(store, args)
  const [get, set, destroy] = [method('get'), method('set'), method('destroy')]
  if (kind === 'promise') {
    // koa-session's calls: get(key, maxAge, { rolling, ctx }), set(key, sess, maxAge, { rolling, changed, ctx }), destroy(key, { ctx }).
    return {
      kind,
      get: async (id, info) => found(await settle('get', timeout, { missingOk: true, answer: 'return' }, () => get(id, info.maxAge, { rolling: info.rolling, ctx: info.ctx }))),
      async set (id, record, info, changed) {
        // A number, always: koa stores give a record without one no expiry (koa-redis), or fail.
        const maxAge = lifetimeOf(record.cookie, Date.now(), info.maxAge ?? ONE_DAY)
        await settle('set', timeout, { missingOk: false, answer: 'return' }, () => set(id, record, maxAge, { rolling: info.rolling, changed, ctx: info.ctx }))
      },
      async destroy (id, info) {
        await settle('destroy', timeout, { missingOk: true, answer: 'return' }, () => destroy(id, { ctx: info.ctx }))
      },
      touch: undefined,
      all: undefined
    }
  }
  const touch = typeof methods.touch === 'function' ? method('touch') : undefined
  const all = typeof methods.all === 'function' ? method('all') : undefined
  return {
    kind,
    get: async (id) => found(await settle('get', timeout, { missingOk: true, answer: 'callback' }, (callback) => get(id, callback))),
    async set (id, record) {
      await settle('set', timeout, { missingOk: false, answer: 'callback' }, (callback) => set(id, record, callback))
    },
    async destroy (id) {
      await settle('destroy', timeout, { missingOk: true, answer: 'callback' }, (callback) => destroy(id, callback))
    },
    touch: touch && (async (id, record) => await settle('touch', timeout, { missingOk: true, answer: 'callback' }, (callback) => touch(id, record, callback)) !== MISSING),
    all: all && (async () => entries(await settle('all', timeout, { missingOk: false, answer: 'callback' }, (callback) => all(callback))))
  }
}

/** A store's answer to get: undefined for every way of saying "none" (null, false, an ENOENT error). */
function found (answer: unknown): unknown {
  return answer === MISSING || !answer ? undefined : answer
}

/**
 * all()'s answer as [id, record] pairs: stores answer an object by id (MemoryStore,
 * express-mysql-session) or an array of records that carry their `id` (connect-redis). Records
 * without an id cannot be named, so they are left out.
 */
function entries (answer: unknown): Array<[string, unknown]> {
  if (Array.isArray(answer)) {
    return answer.flatMap((record: unknown) => {
      const id = (record as { id?: unknown } | null)?.id
      return typeof id === 'string' ? [[id, record] as [string, unknown]] : []
    })
  }
  return typeof answer === 'object' && answer !== null ? Object.entries(answer) : []
}
