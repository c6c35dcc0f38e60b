// The session object behind `req.session`: a Proxy over the plain data, so that JSON.stringify,
// Object.keys, spread and `in` see only the data, while the API (`isNew`, `isChanged`, ...) is
// read through names that are not data. Writes are tracked down to nested plain objects and arrays,
// so a request that only reads never serialises the session again.
import { stringify, type SessionData } from './codec.js'
import { STAMP_KEY } from './expiry.js'
import { bindMethods, METHOD_NAMES, type SessionMethods } from './session-methods.js'

const STATE = Symbol('signed-cookie-session state')

/**
 * The session object: your data, plus read-only flags and express-session's methods (for passport
 * and friends), none of which are ever stored.
 */
export interface Session extends SessionMethods {
  /** True when the request brought no valid session (or it was replaced this request). */
  readonly isNew: boolean
  /** True when the contents differ from what the request brought (always for a new session). */
  readonly isChanged: boolean
  /** True when the session holds any data. */
  readonly isPopulated: boolean
  /** Bytes the session cookie's Set-Cookie string would take if written now (see `maxSize`). */
  readonly encodedSize: number
  [key: string]: any
}

/** What the session needs from the request it belongs to. */
export interface SessionHost {
  encodedSize (state: SessionState): number
  /** Replace the session with a new empty one. */
  regenerate (): void
  destroy (): void
  /** Load the session from the request's cookie again, dropping this request's changes. */
  reload (): void
  /** Throw the error that writing the cookie now would meet, if any. */
  check (): void
  /** Send the cookie with this response even if unchanged (its expiry starts again). */
  touch (): void
}

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

export class SessionState {
  readonly data: SessionData
  readonly isNew: boolean
  /** The JSON text the session was loaded from, to tell a real change from a same-value write. */
  readonly json: string | undefined
  readonly host: SessionHost
  readonly proxy: Session
  /** A write was seen (maybe of the same value). */
  dirty = false
  /** A non-plain object (Date, Map, class instance) was handed out; its changes cannot be seen. */
  touched = false
  private serialized: string | undefined
  private methods: SessionMethods | undefined
  private nested: { handler: ProxyHandler<object>, proxies: WeakMap<object, object> } | undefined

  constructor (host: SessionHost, data: SessionData, isNew: boolean, json: string | undefined) {
    this.host = host
    this.data = data
    this.isNew = isNew
    this.json = json
    Object.defineProperty(data, STATE, { value: this, configurable: true, enumerable: false, writable: false })
    this.proxy = new Proxy(data, rootHandler) as Session
  }

  /** A new session holding a shallow copy of `source`'s own enumerable data. */
  static from (host: SessionHost, source: object): SessionState {
    const data: SessionData = {}
    for (const key of Object.keys(source)) {
      if (!isReserved(key)) data[key] = unwrap((source as SessionData)[key])
    }
    return new SessionState(host, data, true, undefined)
  }

  markDirty (): void {
    this.dirty = true
    this.serialized = undefined
  }

  /** The session's JSON text now; throws `SessionSerializeError`. */
  serialize (): string {
    if (this.serialized !== undefined && !this.touched) return this.serialized
    this.serialized = stringify(this.data)
    return this.serialized
  }

  /** Whether the contents differ from what the request brought (new sessions always count). */
  get isChanged (): boolean {
    if (this.isNew) return true
    if (!this.dirty && !this.touched) return false
    return this.serialize() !== this.json
  }

  get isPopulated (): boolean {
    for (const key in this.data) if (Object.hasOwn(this.data, key) && !isReserved(key)) return true
    return false
  }

  method (name: keyof SessionMethods): SessionMethods[typeof name] {
    this.methods ??= bindMethods(this.host)
    return this.methods[name]
  }

  /** The value to hand out for `value`, read from the data: nested plain objects are tracked. */
  track (value: unknown): unknown {
    if (typeof value !== 'object' || value === null) return value
    if (!isPlain(value)) {
      this.touched = true
      return value
    }
    this.nested ??= { handler: nestedHandler(this), proxies: new WeakMap() }
    let proxy = this.nested.proxies.get(value)
    if (proxy === undefined) {
      proxy = new Proxy(value, this.nested.handler)
      this.nested.proxies.set(value, proxy)
      RAW.set(proxy, value)
    }
    return proxy
  }
}

function stateOf (data: object): SessionState {
  return (data as { [STATE]: SessionState })[STATE]
}

function write (state: SessionState, target: object, key: string | symbol, value: unknown): boolean {
  const raw = unwrap(value)
  const record = target as Record<string | symbol, unknown>
  if (record[key] !== raw || !Object.hasOwn(target, key)) state.markDirty()
  return Reflect.set(target, key, raw)
}

function remove (state: SessionState, target: object, key: string | symbol): boolean {
  if (Object.hasOwn(target, key)) state.markDirty()
  return Reflect.deleteProperty(target, key)
}

function nestedHandler (state: SessionState): ProxyHandler<object> {
  return {
    get: (target, key) => state.track(Reflect.get(target, key)),
    set: (target, key, value) => write(state, target, key, value),
    deleteProperty: (target, key) => remove(state, target, key),
    defineProperty (target, key, descriptor) {
      state.markDirty()
      return Reflect.defineProperty(target, key, descriptor)
    }
  }
}

/** Names that are never data in the session's view: the API, its hidden state, the expiry stamp, `__proto__`. */
function isReserved (key: string | symbol): boolean {
  return key === STATE || key === '__proto__' || key === STAMP_KEY || (typeof key === 'string' && API[key] !== undefined)
}

const rootHandler: ProxyHandler<SessionData> = {
  get (data, key) {
    if (typeof key === 'string') {
      const api = API[key]
      if (api !== undefined) return api(stateOf(data))
    } else if (key === STATE) {
      return undefined
    }
    return stateOf(data).track(data[key as string])
  },
  // Assigning to an API name fails like assigning to a getter-only property (a TypeError in strict mode).
  set: (data, key, value) => !isReserved(key) && write(stateOf(data), data, key, value),
  deleteProperty: (data, key) => key !== STATE && remove(stateOf(data), data, key),
  defineProperty (data, key, descriptor) {
    if (isReserved(key)) return false
    stateOf(data).markDirty()
    return Reflect.defineProperty(data, key, descriptor)
  },
  // Data that a cookie holds under a reserved name stays in storage untouched, but is not shown:
  // so keys, `in`, spread and JSON.stringify agree with what reading a property returns.
  has: (data, key) => !isReserved(key) && Reflect.has(data, key),
  ownKeys: (data) => Reflect.ownKeys(data).filter((key) => !isReserved(key)),
  getOwnPropertyDescriptor: (data, key) => isReserved(key) ? undefined : Reflect.getOwnPropertyDescriptor(data, key)
}

/** The API names of a session: read-only, never data, resolved before data of the same name. */
const API: Record<string, (state: SessionState) => unknown> = Object.assign(Object.create(null), {
  isNew: (state: SessionState) => state.isNew,
  isChanged: (state: SessionState) => state.isChanged,
  isPopulated: (state: SessionState) => state.isPopulated,
  encodedSize: (state: SessionState) => state.host.encodedSize(state)
})
for (const name of METHOD_NAMES) API[name] = (state) => state.method(name)
