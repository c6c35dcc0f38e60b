// How a store is called: express-session's callback stores (`get(sid, callback)`) or koa-session's
// promise stores (`get(key, maxAge, { rolling, ctx })`, returning a promise). Calling one the other
// way fails quietly: a promise store called with a callback never calls it (every request hangs
// until the timeout), a callback store called without one may never answer. So the rule is strict,
// and when the shape cannot tell, the user says which.
import { SessionOptionError } from '../errors.js'

export type StoreKind = 'callback' | 'promise'

type Methods = Record<'get' | 'set' | 'destroy', unknown>

/** A method name no store has: a store with a function under it answers to any name. */
const NO_STORE_HAS_THIS = 'signedCookieSessionProbeOfAMethodNoStoreHas'

/**
 * The kind of `store`, by the first rule that decides:
 *
 * 1. `given`, when the user said which.
 * -  A store that answers to any method name (a Durable Object stub, another RPC proxy) would pass
 *    every rule below as an express-session store and then never answer: refused with what to do.
 * 2. A store built on express-session's `Store` class (it inherits `createSession`, `load` and
 *    `regenerate`): callback. connect-redis, express-mysql-session and memorystore are, even though
 *    connect-redis's methods are `async` and express-mysql-session's return promises.
 * 3. `get`, `set` or `destroy` is an `async` function: promise (koa-redis, most koa stores).
 * 4. The methods' declared parameters: `get(sid, cb)`, `set(sid, sess, cb)`, `destroy(sid, cb)` is
 *    callback; `get(key, maxAge, options)` or `set(key, sess, maxAge, options)` is promise.
 * 5. Anything else (e.g. `get(...args)`): a SessionOptionError asking for `storeKind`.
 */
export function storeKind (store: object, given?: StoreKind): StoreKind {
  if (given !== undefined) return given
  const methods = store as Partial<Record<string, unknown>>
  if (typeof methods[NO_STORE_HAS_THIS] === 'function') {
    throw new SessionOptionError('option "store" answers to every method name (a Durable Object stub, or another RPC proxy?): ' +
      'give an object of your own whose get, set and destroy call it, or say how to call it with option "storeKind"')
  }
  if (['createSession', 'load', 'regenerate'].every((name) => typeof methods[name] === 'function')) return 'callback'
  const { get, set, destroy } = methods as Methods
  if ([get, set, destroy].some(isAsync)) return 'promise'
  const arity = (fn: unknown) => (fn as (...args: unknown[]) => unknown).length
  if (arity(get) === 2 && arity(set) === 3 && arity(destroy) === 2) return 'callback'
  if (arity(get) === 3 || arity(set) === 4) return 'promise'
  throw new SessionOptionError('cannot tell how to call option "store": it is neither built on express-session\'s Store class ' +
    'nor has async methods, and its methods\' parameters fit neither get(sid, callback) nor koa-session\'s ' +
    'get(key, maxAge, options); say which with option "storeKind": "callback" (express-session) or "promise" (koa-session)')
}

function isAsync (fn: unknown): boolean {
  return typeof fn === 'function' && Object.prototype.toString.call(fn) === '[object AsyncFunction]'
}
