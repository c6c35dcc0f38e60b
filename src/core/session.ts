// The session object behind `req.session`: a Proxy over the request's session state, showing the
// plain data, so that JSON.stringify, Object.keys, spread and `in` see only the data, while the API
// (`isNew`, `isChanged`, `save()`, ...) is read through names that are not data. Writes are tracked
// down to nested plain objects and arrays, so a request that only reads never serialises again.
import { stringify, type SessionData } from '../wire/codec.js'
import type { Session, SessionMethods } from '../types.js'
import { bindMethods, kHost, METHOD_NAMES, SessionPrototype, type SessionHost } from './session-methods.js'

export type { Session }

/**
 * The names a session answers that are not data (its flags and methods), each with how it is read
 * from the session. Every adapter's sessions answer SESSION_API; an adapter may give its own
 * sessions more methods and properties with `withMethods` (the Fastify adapter's get/set, the Koa
 * adapter's koa-session API), and no other adapter's sessions then have them.
 */
export type SessionApi = Readonly<Record<string | symbol, (state: SessionState) => unknown>>

/** A method an adapter adds to its sessions: called with the session's state, then the caller's arguments. */
export type AdapterMethod = (state: SessionState, ...args: any[]) => unknown

/**
 * A property an adapter adds to its sessions: read through `get`; with `set`, assigning to it calls
 * that (koa-session's `maxAge`), also when a whole object is assigned to the session.
 */
export interface AdapterProperty {
  get (state: SessionState): unknown
  set? (state: SessionState, value: unknown): void
}

/** The setters of an API's writable properties (few APIs have any; looked up only when a reserved name is assigned). */
const SETTERS = new WeakMap<SessionApi, ReadonlyMap<string | symbol, NonNullable<AdapterProperty['set']>>>()

/** Assigns `value` to the API property `key` of `state` where it has a setter; false where it has none. */
function setApi (state: SessionState, key: string | symbol, value: unknown): boolean {
  const set = SETTERS.get(state.api)?.get(key)
  if (set === undefined) return false
  set(state, value)
  return true
}

/** What a session needs from the request it belongs to (request.ts): its methods' work, and sizes. */
export interface StateHost extends SessionHost {
  /** The names this request's sessions answer besides their data. */
  readonly api: SessionApi
  /** Bytes of the session's Set-Cookie string(s), if written now. */
  encodedSize (session: SessionState): number
  /** How many cookies the session would take if written now (1 unless chunked). */
  encodedChunks (session: SessionState): number
  /** Store mode: the session's id (made now for a new session); undefined once it is destroyed. */
  sessionId? (): string | undefined
  /** Store mode: the session's cookie (express-session's Cookie). */
  sessionCookie? (): object
}

/** Node's util.inspect.custom, by its registered name. */
const INSPECT = Symbol.for('nodejs.util.inspect.custom')

/** Proxies of nested objects to the raw object, so assigning one stores the data, not the Proxy. */
const RAW = new WeakMap<object, object>()
function unwrap (value: unknown): unknown {
  return typeof value === 'object' && value !== null ? RAW.get(value) ?? value : value
}

function isPlain (value: object): boolean {
  if (Array.isArray(value)) return true
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/**
 * One request's session: the data, what it was loaded from, and what happened to it. The Proxy's
 * target, so the bookkeeping never sits on the data and is never reachable as session data.
 */
export class SessionState {
  readonly data: SessionData
  readonly isNew: boolean
  /** The JSON text the session was loaded from, to tell a real change from a same-value write. */
  readonly json: string | undefined
  readonly host: StateHost
  readonly api: SessionApi
  readonly proxy: Session
  /** A write was seen (maybe of the same value). */
  dirty = false
  /** An object whose changes cannot be seen (a Date, a frozen or outside-referenced object) is in play: compare at the end. */
  unobserved = false
  private serialized: string | undefined
  private methods: SessionMethods | undefined
  private adapterMethods: Map<string | symbol, (...args: any[]) => unknown> | undefined
  private nested: { handler: ProxyHandler<object>, proxies: WeakMap<object, object> } | undefined

  constructor (host: StateHost, data: SessionData, isNew: boolean, json: string | undefined) {
    this.host = host
    this.api = host.api
    this.data = data
    this.isNew = isNew
    this.json = json
    this.proxy = new Proxy(this, rootHandler) as unknown as Session
  }

  /** A new session holding a shallow copy of `source`'s own enumerable data. */
  static from (host: StateHost, source: object): SessionState {
    const state = new SessionState(host, {}, true, undefined)
    for (const key of Object.keys(source)) {
      const value = (source as SessionData)[key]
      if (!state.isReserved(key)) write(state, state.data, key, value)
      else setApi(state, key, value)
    }
    return state
  }

  /** Names that are never data in the session's view: the API and `__proto__`. */
  isReserved (key: string | symbol): boolean {
    return this.api[key] !== undefined || key === '__proto__'
  }

  markDirty (): void {
    this.dirty = true
    this.serialized = undefined
  }

  /** The session's JSON text now; throws `SessionSerializeError`. */
  serialize (): string {
    if (this.serialized !== undefined && !this.unobserved) return this.serialized
    this.serialized = stringify(this.data)
    return this.serialized
  }

  /** Whether the contents differ from what the request brought (new sessions always count). */
  get isChanged (): boolean {
    if (this.isNew) return true
    if (!this.dirty && !this.unobserved) return false
    return this.serialize() !== this.json
  }

  get isPopulated (): boolean {
    for (const key in this.data) if (Object.hasOwn(this.data, key) && !this.isReserved(key)) return true
    return false
  }

  method (name: keyof SessionMethods): SessionMethods[typeof name] {
    this.methods ??= bindMethods(this.host)
    return this.methods[name]
  }

  /** An adapter's method `name`, bound to this session: one function per session, as for the others. */
  adapterMethod (name: string | symbol, method: AdapterMethod): (...args: any[]) => unknown {
    this.adapterMethods ??= new Map()
    let bound = this.adapterMethods.get(name)
    if (bound === undefined) {
      bound = method.bind(undefined, this)
      this.adapterMethods.set(name, bound)
    }
    return bound
  }

  /** The value to hand out for `target[key]`: nested plain objects are tracked through a Proxy. */
  read (target: object, key: string | symbol): unknown {
    const value: unknown = Reflect.get(target, key)
    if (typeof value !== 'object' || value === null) return value
    if (!isPlain(value) || isFixed(target, key)) {
      this.unobserved = true
      return value
    }
    this.nested ??= { handler: nestedHandler(this), proxies: new WeakMap() }
    let proxy: object | undefined = this.nested.proxies.get(value)
    if (proxy === undefined) {
      proxy = new Proxy(value, this.nested.handler)
      this.nested.proxies.set(value, proxy)
      RAW.set(proxy, value)
    }
    return proxy
  }

  /**
   * What console.log and util.inspect show: the data, as for any object. Node calls it on the Proxy
   * (with its own inspect, so nothing of Node's is imported here; Deno and Bun honour it too).
   */
  [INSPECT] (depth: number, options: object, inspect: (value: unknown, options: object) => string): string {
    return inspect({ ...this }, { ...options, depth })
  }
}

/** A read-only, non-configurable property must be handed out as it is (a Proxy rule). */
function isFixed (target: object, key: string | symbol): boolean {
  const descriptor = Reflect.getOwnPropertyDescriptor(target, key)
  return descriptor !== undefined && descriptor.configurable === false && descriptor.writable === false
}

function write (state: SessionState, target: object, key: string | symbol, value: unknown): boolean {
  const raw = unwrap(value)
  // An object the app still holds a reference to can change unseen: compare at the end instead.
  if (raw === value && typeof raw === 'object' && raw !== null) state.unobserved = true
  if ((target as Record<string | symbol, unknown>)[key] !== raw || !Object.hasOwn(target, key)) state.markDirty()
  return Reflect.set(target, key, raw)
}

function remove (state: SessionState, target: object, key: string | symbol): boolean {
  if (Object.hasOwn(target, key)) state.markDirty()
  return Reflect.deleteProperty(target, key)
}

function nestedHandler (state: SessionState): ProxyHandler<object> {
  return {
    get: (target, key) => state.read(target, key),
    set: (target, key, value) => write(state, target, key, value),
    deleteProperty: (target, key) => remove(state, target, key),
    defineProperty (target, key, descriptor) {
      state.markDirty()
      return Reflect.defineProperty(target, key, descriptor)
    }
  }
}

// The root Proxy's target is the SessionState; every trap works on its data. The data's own
// properties are always configurable (JSON.parse, assignment, and the defineProperty trap make them
// so), which keeps the traps within the Proxy invariants for an extensible target.
const rootHandler: ProxyHandler<SessionState> = {
  get (state, key) {
    const api = state.api[key]
    if (api !== undefined) return api(state)
    if (key === kHost) return state.host
    return state.read(state.data, key)
  },
  // Assigning to an API name fails like assigning to a getter-only property (a TypeError in strict
  // mode), unless the adapter made it writable.
  set: (state, key, value) => state.isReserved(key) ? setApi(state, key, value) : write(state, state.data, key, value),
  deleteProperty: (state, key) => state.isReserved(key) || remove(state, state.data, key),
  defineProperty (state, key, descriptor) {
    if (state.isReserved(key)) return false
    state.markDirty()
    return Reflect.defineProperty(state.data, key, { ...descriptor, configurable: true })
  },
  // Data that a cookie holds under a reserved name stays in storage untouched, but is not shown:
  // so keys, `in`, spread and JSON.stringify agree with what reading a property returns. An API
  // name the api shows (express-session's `cookie`) is listed like data, read-only, and never stored.
  has: (state, key) => state.isReserved(key) ? shown(state.api).includes(key as string) : Reflect.has(state.data, key),
  ownKeys: (state) => {
    const keys = Reflect.ownKeys(state.data).filter((key) => !state.isReserved(key))
    const names = shown(state.api)
    return names.length === 0 ? keys : [...keys, ...names]
  },
  getOwnPropertyDescriptor: (state, key) => {
    if (!state.isReserved(key)) return Reflect.getOwnPropertyDescriptor(state.data, key)
    const getter = shown(state.api).includes(key as string) ? state.api[key as string] : undefined
    return getter === undefined ? undefined : { value: getter(state), writable: false, enumerable: true, configurable: true }
  },
  // express-session's sessions have a prototype of their own holding the methods; so do these.
  getPrototypeOf: () => SessionPrototype,
  setPrototypeOf: () => false,
  preventExtensions () {
    throw new TypeError('req.session cannot be frozen, sealed or made non-extensible: it must stay writable to be saved. ' +
      'Freeze a copy instead: Object.freeze({ ...req.session })')
  }
}

/** The API names of every session: read-only, never data, resolved before data of the same name. */
const API: Record<string, (state: SessionState) => unknown> = Object.assign(Object.create(null), {
  isNew: (state: SessionState) => state.isNew,
  isChanged: (state: SessionState) => state.isChanged,
  isPopulated: (state: SessionState) => state.isPopulated,
  encodedSize: (state: SessionState) => state.host.encodedSize(state),
  encodedChunks: (state: SessionState) => state.host.encodedChunks(state)
})
for (const name of METHOD_NAMES) API[name] = (state) => state.method(name)

export const SESSION_API: SessionApi = API

/** Where an api lists the names it shows among the data's keys. */
const kShown = Symbol('shown API names')
const NONE: readonly string[] = Object.freeze([])

/** The API names `api` lists among the session's keys (express-session's enumerable `cookie`). */
function shown (api: SessionApi): readonly string[] {
  return (api as { [kShown]?: readonly string[] })[kShown] ?? NONE
}

/**
 * `api` with read-only properties added: each name reads `get(state)`, never data (store mode's
 * `id` and `cookie`); those in `show` are listed among the session's keys (Object.keys, for...in,
 * JSON.stringify), as express-session's `cookie` is. Made once per api, when first needed.
 */
export function withProperties (api: SessionApi, getters: Readonly<Record<string, (state: SessionState) => unknown>>, show: readonly string[] = NONE): SessionApi {
  const made = Object.assign(Object.create(null), api, getters) as Record<string | symbol, unknown>
  made[kShown] = Object.freeze([...shown(api), ...show])
  return Object.freeze(made) as SessionApi
}

/**
 * SESSION_API with an adapter's own methods and properties added (or replacing one of
 * express-session's): never data, like the others; methods are handed out bound to the session.
 * Made once, when the adapter loads. Symbols may name them too (Node's util.inspect.custom).
 */
export function withMethods (methods: Readonly<Record<string | symbol, AdapterMethod>>,
  properties: Readonly<Record<string | symbol, AdapterProperty>> = {}): SessionApi {
  const api: Record<string | symbol, (state: SessionState) => unknown> = Object.assign(Object.create(null), API)
  for (const name of Reflect.ownKeys(methods)) {
    const method = methods[name] as AdapterMethod
    api[name] = (state) => state.adapterMethod(name, method)
  }
  const setters = new Map<string | symbol, NonNullable<AdapterProperty['set']>>()
  for (const name of Reflect.ownKeys(properties)) {
    const { get, set } = properties[name] as AdapterProperty
    api[name] = get
    if (set !== undefined) setters.set(name, set)
  }
  Object.freeze(api)
  if (setters.size > 0) SETTERS.set(api, setters)
  return api
}
