// The Koa adapter's options: every option of the other adapters, in koa-session's dialect where a
// name means something else there (maxAge kept by the server, renew, the hooks taking ctx first),
// and koa-session's own (key, autoCommit, valid, encode, decode, and with a store genid, prefix,
// externalKey, ContextStore). Checked once, when the middleware is made, into the core's Settings
// (with the codec and store keys filled in) and the adapter's own KoaSettings.
import { SessionOptionError } from '../errors.js'
import { fail, flag } from '../options/check.js'
import { KOA_OPTION_NAMES } from '../options/names.js'
import { settingsFrom, type BaseOptions, type Settings } from '../options/settings.js'
import { isKeygrip, type Platform } from '../platform/types.js'
import type { DefaultSessionData } from '../types.js'
import { koaCodec, type Decode, type Encode } from './koa-codec.js'
import type { Lifetime } from './koa-expiry.js'
import { appKeys } from './koa-keys.js'
import type { KoaContextLike, KoaSettings } from './koa-request.js'
import type { KoaSession } from './koa-session-api.js'
import { carrierOf, contextStore, koaKeys, type ContextStoreClass, type ExternalKey } from './koa-store.js'

/**
 * koa-session's options, and the names whose meaning on Koa is koa-session's. Each is described
 * once, in src/options/table.ts (the README's Koa options table); this JSDoc says the same.
 */
export interface KoaOptions<Ctx, Data extends object = DefaultSessionData> {
  /**
   * koa-session's name for the cookie name (`name` is accepted too).
   * @default 'koa.sess'
   */
  key?: string | undefined
  /**
   * Milliseconds the session lives, kept by the server in the cookie's `_expire` (a replayed cookie is refused after it) and
   * written as the cookie's `expires`; `'session'`: a browser-session cookie with no end on the server. Unset: koa-session's
   * default, a day kept by the server (a new session's cookie has no `expires`, as koa-session's has none).
   * @default one day, on the server
   */
  maxAge?: number | 'session' | undefined
  /**
   * Re-send an unchanged session once less than half of its maxAge is left before its `_expire`. With a store, as on the
   * other adapters (it needs `maxAge`).
   * @default false
   */
  renew?: boolean | undefined
  /**
   * `false`: the session is written only when the app calls `await ctx.session.manuallyCommit()` (or `save()`).
   * @default true
   */
  autoCommit?: boolean | undefined
  /**
   * `(ctx, session) => boolean`: return a falsy value to reject a session read from the cookie or store. Synchronous.
   * koa-session's hook, ctx first: the other adapters' `validate(session, req)` is refused here.
   * @default none
   */
  valid?: ((ctx: Ctx, session: KoaSession<Data>) => unknown) | undefined
  /**
   * `(ctx, session) => void`: called just before the session is written; may change it. Synchronous. ctx first, as in
   * koa-session (the other adapters call it with `(session, req)`).
   * @default none
   */
  beforeSave?: ((ctx: Ctx, session: KoaSession<Data>) => void) | undefined
  /**
   * `(data) => string`: the cookie value for the session object (which holds `_expire` and `_maxAge`); what it throws fails the
   * request. Not with `encrypt`, `compress` or `chunked`; unused with a store.
   * @default base64 JSON
   */
  encode?: Encode | undefined
  /**
   * `(value) => object`: the session object in a cookie value. A `SyntaxError` means a new session; any other error clears the
   * cookie and fails the request.
   * @default base64 JSON
   */
  decode?: Decode | undefined
  /**
   * With a store: `(ctx) => string`, a new session's key.
   * @default 256 random bits
   */
  genid?: ((ctx: Ctx) => string) | undefined
  /**
   * With a store: put before each new key (not with `genid`).
   * @default none
   */
  prefix?: string | undefined
  /**
   * With a store: `{ get(ctx), set(ctx, key) }` carries the key instead of a cookie (a header, say).
   * @default the cookie
   */
  externalKey?: ExternalKey<Ctx> | undefined
  /**
   * A store class made for each request, `new ContextStore(ctx)`, used as `store`.
   * @default none
   */
  ContextStore?: ContextStoreClass<Ctx> | undefined
}

/**
 * Options of `koaSession(options, app)`: those of `cookieSession`, with onError taking `ctx`, and
 * koa-session's names and meanings (KoaOptions) where they differ. `Data` is the session data type the hooks see.
 */
export type KoaSessionOptions<Ctx extends KoaContextLike = KoaContextLike, Data extends object = DefaultSessionData> =
  Omit<BaseOptions<Ctx, [ctx: Ctx], Data>, 'maxAge' | 'renew' | 'validate' | 'beforeSave'> & KoaOptions<Ctx, Data>

/** koa-session's default cookie name. */
const KEY = 'koa.sess'

const WITH_STORE = ['genid', 'prefix', 'externalKey'] as const

/** The names this adapter takes besides the common ones (the unknown-option check leaves them alone). */
const KOA_NAMES: ReadonlySet<string> = new Set(KOA_OPTION_NAMES)

/** What a Koa app offers that the options use: its keys, read when signing. */
interface AppKeys {
  readonly keys?: unknown
}

/** A synchronous function hook, or undefined; named as the user gave it. */
function hook<T extends (...args: never[]) => unknown> (options: Record<string, unknown>, option: string): T | undefined {
  const value = options[option]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'function') fail(option, 'a function', value)
  if (Object.prototype.toString.call(value) === '[object AsyncFunction]') {
    throw new SessionOptionError(`option "${option}" must be a synchronous function, got an async function: ` +
      'it runs while the response is being written, so what it did after its first await would be lost')
  }
  return value as T
}

function lifetime (value: unknown): Lifetime | undefined {
  if (value === undefined || value === null || value === 'session') return value ?? undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    fail('maxAge', 'a non-negative finite number of milliseconds or "session"', value)
  }
  return value
}

function contextStoreOf (value: unknown): ContextStoreClass<unknown> | undefined {
  if (value === undefined || value === null) return undefined
  const prototype = (value as { prototype?: Record<string, unknown> }).prototype
  if (typeof value !== 'function' || ['get', 'set', 'destroy'].some((name) => typeof prototype?.[name] !== 'function')) {
    fail('ContextStore', 'a class whose instances have get, set and destroy methods', value)
  }
  return value as ContextStoreClass<unknown>
}

function externalKeyOf (value: unknown): ExternalKey<unknown> | undefined {
  if (value === undefined || value === null) return undefined
  const { get, set } = value as Partial<Record<'get' | 'set', unknown>>
  if (typeof get !== 'function' || typeof set !== 'function') {
    fail('externalKey', 'an object with get(ctx) and set(ctx, key) functions', value)
  }
  return value as ExternalKey<unknown>
}

/** The middleware's settings, and the adapter's own. */
export interface Checked {
  readonly settings: Settings
  readonly koa: KoaSettings
}

/** koa-session's hooks take ctx first; the core's, the session. */
function hooks (options: Record<string, unknown>, valid: unknown, beforeSave: unknown): void {
  const validHook = hook<(ctx: unknown, session: unknown) => unknown>({ valid }, 'valid')
  const saveHook = hook<(ctx: unknown, session: unknown) => void>({ beforeSave }, 'beforeSave')
  if (validHook !== undefined) options.validate = (session: unknown, ctx: unknown) => validHook(ctx, session)
  if (saveHook !== undefined) options.beforeSave = (session: unknown, ctx: unknown) => { saveHook(ctx, session) }
}

/** koa-session's store options: `ContextStore` becomes `store`; genid, prefix and externalKey say how keys are made and carried. */
function storeExtras (options: Record<string, unknown>, given: Record<string, unknown>, platform: Platform): Partial<Settings> {
  const storeClass = contextStoreOf(given.ContextStore)
  if (storeClass !== undefined) {
    if (options.store !== undefined && options.store !== null) throw new SessionOptionError('options "store" and "ContextStore" are both given: give one of them')
    options.store = contextStore(storeClass)
    options.storeKind = 'promise'
  }
  const stored = options.store !== undefined && options.store !== null
  const carried = externalKeyOf(given.externalKey)
  const makeKey = hook<(ctx: unknown) => string>(given, 'genid')
  const { prefix } = given
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix === '')) fail('prefix', 'a non-empty string', prefix)
  for (const name of WITH_STORE) {
    if (given[name] !== undefined && !stored) throw new SessionOptionError(`option "${name}" is only used with "store" (or "ContextStore")`)
  }
  if (!stored) return {}
  const { newKey, isKey } = koaKeys(makeKey, prefix as string | undefined, platform)
  return { newKey, isKey, ...(carried === undefined ? {} : { keyCarrier: carrierOf(carried) }) }
}

/** koa-session's encode and decode, where the cookie holds the session (a store's id cookie is ours). */
function codecOf (options: Record<string, unknown>, encode: unknown, decode: unknown, platform: Platform): Partial<Settings> {
  const codec = koaCodec(hook<Encode>({ encode }, 'encode'), hook<Decode>({ decode }, 'decode'), platform)
  if (codec === undefined || (options.store !== undefined && options.store !== null)) return {}
  for (const other of ['encrypt', 'compress', 'chunked'] as const) {
    if (options[other] === undefined || options[other] === false) continue
    throw new SessionOptionError(`option "${encode !== undefined ? 'encode' : 'decode'}" cannot be used with "${other}": ` +
      (other === 'encrypt' ? 'the sealed value is the cookie value' : other === 'compress' ? 'a compressed value is the cookie value' : 'chunks are cut from the cookie value'))
  }
  return { codec }
}

/**
 * Checks `input` (options, a list of keys, or a Keygrip) as koa-session takes them; throws a
 * `SessionOptionError` naming the bad option. `app`: the Koa app, whose keys sign when no keys
 * are given; without either, koa-session's "app instance required" error.
 */
export function koaSettings (input: unknown, app: AppKeys | undefined, platform: Platform): Checked {
  // koaSession(keys) is koaSession({ keys }), as for the other adapters; anything else but an object is refused there.
  const given = Array.isArray(input) || isKeygrip(input) ? { keys: input } : input ?? {}
  if (typeof given !== 'object') settingsFrom(given as never, platform)
  const {
    key, maxAge, maxage, renew, autoCommit, valid, beforeSave, encode, decode, genid, prefix, externalKey, ContextStore,
    validate, ...rest
  } = given as Record<string, unknown>
  if (validate !== undefined) {
    throw new SessionOptionError('option "validate" is the other adapters\' (session, req) hook: on Koa it is koa-session\'s "valid(ctx, session)"')
  }
  if (key !== undefined && rest.name !== undefined && rest.name !== key) {
    throw new SessionOptionError('options "key" (koa-session\'s name for the cookie name) and "name" disagree: give one of them')
  }
  const options: Record<string, unknown> = { ...rest, name: rest.name ?? key ?? KEY }
  const life = lifetime(maxAge ?? maxage)
  if (typeof life === 'number') options.maxAge = life
  const koa: KoaSettings = { maxAge: life, renew: flag(renew, 'renew', false), autoCommit: flag(autoCommit, 'autoCommit', true) }
  hooks(options, valid, beforeSave)
  const extra = { ...storeExtras(options, { genid, prefix, externalKey, ContextStore }, platform), ...codecOf(options, encode, decode, platform) }
  // With a store, the project's renew (the record's stamps) is the one there is.
  if (koa.renew && options.store !== undefined && options.store !== null) options.renew = true
  // koa-session signs with app.keys when no keys are given (read when it signs).
  const signs = options.signed !== false && !(options.encrypt === true && options.encryptionKeys !== undefined)
  if (signs && options.keys == null && options.secret == null) {
    if (app === undefined) {
      throw new SessionOptionError('app instance required: `session(opts, app)`: koaSession signs with app.keys; pass the Koa app, or give option "keys"')
    }
    options.keys = appKeys(app, platform)
  }
  const settings = settingsFrom(options as never, platform, KOA_NAMES)
  return { settings: Object.keys(extra).length === 0 ? settings : Object.freeze({ ...settings, ...extra }), koa }
}
