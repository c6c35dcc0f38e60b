// Options of the factories: checked once, turned into the frozen Settings that the per-request
// path trusts. With none of the opt-in security options set, the cookie is exactly cookie-session's.
import { SessionOptionError, type SessionWriteFailure } from '../errors.js'
import type { DefaultSessionData, Session } from '../types.js'
import { isKeygrip, type Cipher, type CookieAttributes, type Key, type KeygripLike, type Platform, type Signer } from '../platform/types.js'
import { checkKey, describeSecret, fail, failSecret, flag } from './check.js'
import { checkCookieRules, cookieAttributes, isCookieName, type CookieOptions } from './cookie.js'
import { expressSessionOptions, type ExpressSessionOptions, type ExpressSessionSettings } from './express-session.js'
import { checkIronSession, type IronSessionOptions, type IronSettings } from './iron.js'
import { checkStoreOptions, type StoreLike, type StoreSettings } from './store.js'
import type { StoreKind } from '../store/kind.js'
import { placed, refuseShort, warnWeak, type PlacedKey } from './strength.js'
import { checkNames } from './unknown.js'

/**
 * RFC 6265 §6.1 asks browsers for at least 4096 bytes per cookie, counting its name, value and
 * attributes; in practice some stop at 4093, the limit cookie-session's README gives.
 */
export const DEFAULT_MAX_SIZE = 4093

/**
 * nginx's default `large_client_header_buffers 4 8k` refuses a request whose Cookie header line is
 * over 8 KB (and Node refuses all headers over 16 KB together): 6 KB for the session leaves 2 KB for
 * the request line's neighbours, the site's other cookies.
 */
export const DEFAULT_MAX_TOTAL_SIZE = 6144

/** The value of `compress` that allows it together with `encrypt` (compression leaks the length of secrets). */
export const COMPRESS_WITH_ENCRYPTION = 'i-understand-compression-leaks-secrets'

/** Per-request cookie options: `req.sessionOptions`. Changing them affects only this response. */
export interface SessionOptions extends CookieOptions {
  /**
   * Largest Set-Cookie string, in bytes, the session cookie may take (size limit). `Infinity` lifts it.
   * @default 4093
   */
  maxSize?: number | undefined
}

/** Opt-in ways to fit a large session: compression and chunking. */
export interface LargeSessionOptions {
  /**
   * Deflate the session when that makes the cookie shorter (large sessions). Refused with `encrypt: true`
   * unless given as `'i-understand-compression-leaks-secrets'`.
   * @default false
   */
  compress?: boolean | typeof COMPRESS_WITH_ENCRYPTION | undefined
  /**
   * Spread a session too large for one cookie over `<name>`, `<name>.1`, ... (large sessions).
   * @default false
   */
  chunked?: boolean | undefined
  /**
   * With `chunked`: most bytes the session's Set-Cookie strings may take together (at least `maxSize`).
   * @default 6144
   */
  maxTotalSize?: number | undefined
}

/**
 * A hook's function type, taken from a method's so that its arguments are compared both ways: options
 * typed for a session data type then also pass where the default one is expected (the Fastify
 * plugin's options, whose type is fixed).
 */
type Hook<Args extends unknown[], Result> = { hook (...args: Args): Result }['hook']

/**
 * The opt-in security options: encryption, server-side expiry, rolling/renew, hooks. `Data` is the
 * session data type the hooks see (the declared `SessionData` by default).
 */
export interface SecurityOptions<Req, Data extends object = DefaultSessionData> {
  /**
   * Encrypt the session with AES-256-GCM so the client cannot read it; one cookie, no `.sig`.
   * @default false
   */
  encrypt?: boolean | undefined
  /**
   * Secrets to derive the encryption keys from, newest first.
   * @default keys
   */
  encryptionKeys?: readonly Key[] | undefined
  /**
   * With `encrypt: true`: keep accepting a valid signed cookie (one signed with a key in `keys`, as before
   * encryption was switched on) and re-issue it encrypted. Set it to `false` once every client has been
   * re-issued, so that nothing signed with those keys (another app sharing them and the cookie name) can make
   * a session. Refused without `encrypt`.
   * @default true
   */
  acceptSigned?: boolean | undefined
  /**
   * Milliseconds a session may live after it was created, checked on the server. Turning it on ends sessions
   * whose cookies were written without it.
   * @default none
   */
  absoluteTimeout?: number | undefined
  /**
   * Milliseconds a session may go without its cookie being written, checked on the server. Turning it on ends
   * sessions whose cookies were written without it.
   * @default none
   */
  idleTimeout?: number | undefined
  /**
   * Re-send the cookie on every response that reads the session, so `maxAge` and `idleTimeout` slide.
   * @default false
   */
  rolling?: boolean | undefined
  /**
   * Re-send the cookie when more than half of `maxAge` has passed since it was written (needs `maxAge`).
   * @default false
   */
  renew?: boolean | undefined
  /**
   * `(session, req) => boolean`: return a falsy value to reject a session read from a cookie. It must be
   * synchronous: an `async` function is refused at creation, and a returned promise fails the request (its
   * rejection goes to `onError`).
   * @default none
   */
  validate?: Hook<[session: Session<Data>, req: Req], boolean> | undefined
  /**
   * `(session, req) => void`: called just before the session is written; may change it. It must be
   * synchronous: an `async` function is refused at creation; a returned promise is reported to `onError`
   * (what it did after its first `await` was not saved), and so is its rejection.
   * @default none
   */
  beforeSave?: Hook<[session: Session<Data>, req: Req], void> | undefined
}

/**
 * Options common to every adapter; every option of cookie-session 2.x is accepted. `Req` is what
 * the hooks get (the adapter's request or context), `ErrorArgs` what `onError` gets after the error,
 * `Data` the session data type of the hooks.
 */
export interface BaseOptions<Req, ErrorArgs extends unknown[], Data extends object = DefaultSessionData>
  extends SessionOptions, SecurityOptions<Req, Data>, LargeSessionOptions, ExpressSessionOptions<Req> {
  /**
   * Cookie name (RFC 6265 token characters). The signature goes in `<name>.sig`.
   * @default 'session'
   */
  name?: string | undefined
  /**
   * Signing keys, newest first: `keys[0]` signs, every key verifies. Non-empty strings or Buffers, or a
   * Keygrip instance (to choose e.g. SHA-256). Required unless `secret` is given or `signed` is `false`.
   */
  keys?: readonly Key[] | KeygripLike | undefined
  /**
   * A single key (or, as in express-session, a list of keys, newest first), used when `keys` is not given.
   */
  secret?: Key | readonly Key[] | undefined
  /**
   * Believe `X-Forwarded-Proto: https` from a TLS-terminating proxy when deciding `secure`. Meant for
   * node:http, Connect and Fetch handlers; Express apps usually set Express's own `trust proxy`, Koa apps
   * `app.proxy` (either is enough).
   * @default false
   */
  trustProxy?: boolean | undefined
  /**
   * Add `Vary: Cookie` to each response whose request read or wrote the session, and `Cache-Control: private`
   * to each that sets or clears its cookie, merged with the app's own headers, so that shared caches (CDNs,
   * proxies) never hand one user's session to another (caches and CDNs). `false` leaves caching headers to
   * the app.
   * @default true
   */
  cacheHeaders?: boolean | undefined
  /**
   * An express-session Store (express-mysql-session, connect-redis, memorystore, ...) or a koa-session
   * store: the session lives there and the cookie holds only a signed random id (server-side sessions).
   * @default none
   */
  store?: StoreLike | undefined
  /**
   * With `store`: how it is called, when its shape cannot tell: `'callback'` (express-session's
   * `get(sid, cb)`) or `'promise'` (koa-session's `get(key, maxAge, options)`).
   * @default told by the store's shape
   */
  storeKind?: StoreKind | undefined
  /**
   * With `store`: milliseconds a store call may take before it fails with a `SessionStoreError`, so a
   * store that never answers cannot hang a request.
   * @default 5000
   */
  storeTimeout?: number | undefined
  /**
   * With `store`: the session key (or dotted path) that names the user, for `req.session.destroyAll()`
   * (log out everywhere); e.g. `'passport.user'`.
   * @default none
   */
  userKey?: string | undefined
  /**
   * `(err, req, res) => void`, called when the cookie cannot be written (errors).
   * @default a warning
   */
  onError?: ((err: SessionWriteFailure, ...args: ErrorArgs) => unknown) | undefined
  /**
   * For an app moving from iron-session 8 or 9: its options, `{ cookieName, password }` (the password
   * a string or a map of ids to passwords, as iron-session takes it). A request without a valid cookie
   * of ours but with a valid iron-session cookie gets that session (`isNew` false); the response writes
   * ours and expires theirs (at their `cookieOptions.path`, default `'/'`). A tampered, expired or unknown
   * seal is a new empty session (coming from iron-session).
   * @default none
   */
  ironSession?: IronSessionOptions | undefined
}

type AnyOptions = BaseOptions<never, never[]>

/** Server-side timeouts, in ms (undefined: none). */
export interface Timeouts {
  /** Longest a session may live after it was created, in ms. */
  readonly absoluteTimeout: number | undefined
  /** Longest a session may go without its cookie being written, in ms. */
  readonly idleTimeout: number | undefined
}

/** The cookie attributes and size limit in force for one response: the middleware's, or one request's sessionOptions checked. */
export interface Effective {
  readonly attributes: CookieAttributes
  readonly maxSize: number
}

/**
 * How a cookie value carries the payload when it is not cookie-session's base64 JSON: an adapter's
 * own (the Koa adapter's, from koa-session's `encode` and `decode`).
 */
export interface ValueCodec {
  /** The cookie value for a payload (JSON text). */
  encode (payload: string): string
  /** The payload (JSON text) a cookie value holds; undefined when it holds none. It may throw, as the adapter decides. */
  decode (value: string): string | undefined
}

/** The checked form of the options. */
export interface Settings extends Timeouts, Effective, StoreSettings {
  /** The runtime's crypto, compression, cookies, warnings (platform/types.ts). */
  readonly platform: Platform
  readonly name: string
  readonly sigName: string
  /** Signs and verifies `.sig`; undefined when the middleware has no keys (signed: false, or encrypt with encryptionKeys only). */
  readonly signer: Signer | undefined
  readonly cipher: Cipher | undefined
  /** With a cipher: whether a signed (unsealed) cookie is still accepted, and re-issued sealed. */
  readonly acceptSigned: boolean
  /** Deflate the JSON when that makes the cookie shorter. */
  readonly compress: boolean
  /** Spread a session over several cookies when one would be over maxSize. */
  readonly chunked: boolean
  /** The most bytes the chunks' Set-Cookie strings may take together (Infinity when not chunked). */
  readonly maxTotalSize: number
  /** The template `req.sessionOptions` is copied from. */
  readonly sessionOptions: Readonly<SessionOptions>
  readonly trustProxy: boolean
  /** Whether responses get the headers that keep shared caches from storing a session's responses (Vary, Cache-Control). */
  readonly cacheHeaders: boolean
  /** Whether the payload carries a creation/write stamp. */
  readonly stamped: boolean
  readonly rolling: boolean
  readonly renew: boolean
  readonly validate: ((session: Session, req: unknown) => boolean) | undefined
  readonly beforeSave: ((session: Session, req: unknown) => void) | undefined
  /** The app's handler; each adapter calls it with its own arguments after the error. */
  readonly onError: ((err: Error, ...args: unknown[]) => void) | undefined
  /** The cookie value's encoding, where an adapter has its own (unset: cookie-session's base64 JSON). */
  readonly codec?: ValueCodec | undefined
  /** express-session's options (with `store`): its cookie format, resave, saveUninitialized, unset, proxy, genid. */
  readonly expressSession: ExpressSessionSettings
  /** With `store` and a list of keys: express-session's signer (HMAC-SHA256), for its cookies. */
  readonly sha256Signer: Signer | undefined
  /** The iron-session cookie to take a session from when the request has no valid cookie of ours. */
  readonly iron: IronSettings | undefined
  /**
   * Session values are written in base64url without padding, which encodeURIComponent leaves as it
   * is (the Next entry, whose cookie stores percent-encode); otherwise in cookie-session's standard base64.
   */
  readonly urlSafe: boolean
}

/** What an entry, not the app, decides about the cookies it writes. */
export interface EntryChoices {
  /** Write session values in base64url without padding (Settings.urlSafe). */
  readonly urlSafe?: boolean
}

const COOKIE_OPTION_NAMES = ['maxAge', 'expires', 'path', 'domain', 'partitioned', 'priority',
  'sameSite', 'secure', 'httpOnly', 'signed', 'overwrite'] as const

/** A list of secrets given as `option` (keys, or secret as a list): each checked, named by its place. */
function keyList (list: readonly unknown[], option: string): readonly Key[] {
  if (list.length === 0) {
    throw new SessionOptionError(`option "${option}" must contain at least one key, got an empty array`)
  }
  return Object.freeze(list.map((key, i) => checkKey(key, `${option}[${i}]`)))
}

/** The signing keys; `required` when nothing else could sign or seal a cookie. */
function checkKeys (options: AnyOptions, required: boolean): readonly Key[] | KeygripLike | undefined {
  const { keys, secret } = options
  if (keys !== undefined && keys !== null) {
    if (isKeygrip(keys)) return keys
    if (!Array.isArray(keys)) {
      failSecret('keys', 'an array of secret keys or a Keygrip instance', keys)
    }
    return keyList(keys, 'keys')
  }
  // express-session's `secret` may be a list, newest first, as `keys` is here.
  if (Array.isArray(secret)) return keyList(secret, 'secret')
  if (secret !== undefined && secret !== null) return [checkKey(secret, 'secret')]
  if (!required) return undefined
  // The first sentence is cookie-session's own message, kept so existing checks still match.
  throw new SessionOptionError(options.encrypt === true
    ? '.keys required. Give option "keys" (an array of secret keys, newest first) or "encryptionKeys" to encrypt with'
    : '.keys required. Give option "keys" (an array of secret keys, newest first) or "secret", or set "signed: false"')
}

function checkMaxSize (value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_MAX_SIZE
  if (value === Infinity || (typeof value === 'number' && Number.isInteger(value) && value > 0)) return value
  fail('maxSize', 'a positive whole number of bytes or Infinity', value)
}

/** `compress`, refused with encryption unless said on purpose. */
function checkCompress (value: unknown, encrypt: boolean): boolean {
  if (value === undefined || value === null || value === false) return false
  if (value === COMPRESS_WITH_ENCRYPTION) return true
  if (value !== true) fail('compress', `true, false or "${COMPRESS_WITH_ENCRYPTION}"`, value)
  if (encrypt) {
    throw new SessionOptionError('option "compress" is refused with "encrypt: true": compressed length depends on ' +
      'content, so an attacker who can put text into a session (a search term, a name) learns a secret in it ' +
      'from the cookie size, as in the CRIME and BREACH attacks (RFC 8725 §3.6). ' +
      `If no secret and attacker-chosen text ever share the session, give compress: "${COMPRESS_WITH_ENCRYPTION}"`)
  }
  return true
}

/** `maxTotalSize`: only with `chunked`, and at least `maxSize`. */
function checkMaxTotalSize (value: unknown, chunked: boolean, maxSize: number): number {
  if (value === undefined || value === null) return chunked ? Math.max(DEFAULT_MAX_TOTAL_SIZE, maxSize) : Infinity
  if (!chunked) throw new SessionOptionError('option "maxTotalSize" is only used with "chunked: true"')
  if (value !== Infinity && !(typeof value === 'number' && Number.isInteger(value) && value > 0)) {
    fail('maxTotalSize', 'a positive whole number of bytes or Infinity', value)
  }
  if ((value as number) < maxSize) fail('maxTotalSize', `at least "maxSize" (${maxSize})`, value)
  return value as number
}

function duration (options: Record<string, unknown>, option: string): number | undefined {
  const value = options[option]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(option, 'a positive number of milliseconds', value)
  return value
}

/**
 * A synchronous hook. An async one is refused where that can be seen: its changes after the first
 * `await` would not be saved (beforeSave), and its promise would pass for `true` (validate).
 */
function hook<T> (options: Record<string, unknown>, option: string): T | undefined {
  const value = options[option]
  if (value !== undefined && value !== null && typeof value !== 'function') fail(option, 'a function', value)
  if (typeof value === 'function' && Object.prototype.toString.call(value) === '[object AsyncFunction]') {
    throw new SessionOptionError(`option "${option}" must be a synchronous function, got an async function: ` +
      'it runs while the response is being written, so what it did after its first await would be lost')
  }
  return (value ?? undefined) as T | undefined
}

/** The signing keys with their places: `keys[i]`, `secret[i]` or `secret` (none for a Keygrip, whose keys are hidden). */
function signingKeys (options: AnyOptions, keys: readonly Key[] | KeygripLike | undefined): PlacedKey[] {
  if (keys === undefined || isKeygrip(keys)) return []
  if (options.keys !== undefined && options.keys !== null) return placed('keys', keys)
  return placed('secret', keys, !Array.isArray(options.secret))
}

/**
 * The secrets `encrypt: true` derives its keys from: encryptionKeys, else keys (which checkKeys has
 * required). Any under 32 bytes is refused.
 */
function sealingKeys (platform: Platform, options: AnyOptions, keys: readonly Key[] | KeygripLike | undefined): PlacedKey[] {
  const { encryptionKeys } = options
  let secrets: PlacedKey[]
  if (encryptionKeys !== undefined && encryptionKeys !== null) {
    if (!Array.isArray(encryptionKeys) || encryptionKeys.length === 0) {
      failSecret('encryptionKeys', 'a non-empty array of secret keys', encryptionKeys)
    }
    secrets = placed('encryptionKeys', encryptionKeys.map((key: unknown, i: number) => checkKey(key, `encryptionKeys[${i}]`)))
  } else if (isKeygrip(keys)) {
    throw new SessionOptionError('option "encrypt" cannot derive keys from a Keygrip instance (it hides them): give "encryptionKeys"')
  } else {
    secrets = signingKeys(options, keys)
  }
  refuseShort(secrets, platform)
  return secrets
}

/** Checks cookie options (at start-up, and `req.sessionOptions` per request); throws `SessionOptionError`. */
export function checkSessionOptions (options: SessionOptions, name: string): Effective {
  const attributes = cookieAttributes(options)
  checkCookieRules(name, attributes)
  return { attributes, maxSize: checkMaxSize(options.maxSize) }
}

/** Option names an adapter takes besides the common ones. */
const NO_NAMES: ReadonlySet<string> = new Set()

/**
 * Turns the user's options (or a bare list of keys / Keygrip) into `Settings` on `platform`; throws
 * `SessionOptionError`. `adapterNames` are options the calling adapter has already handled; `entry`
 * what the entry decides about the cookies it writes.
 */
export function settingsFrom (input: AnyOptions | readonly Key[] | KeygripLike | undefined, platform: Platform, adapterNames = NO_NAMES,
  entry: EntryChoices = {}): Settings {
  const options: AnyOptions = Array.isArray(input) || isKeygrip(input)
    ? { keys: input as readonly Key[] | KeygripLike }
    : (input ?? {}) as AnyOptions
  if (typeof options !== 'object') {
    throw new SessionOptionError(`options must be an object or an array of keys, got ${describeSecret(options)}`)
  }
  checkNames(options, platform, adapterNames)
  const express = expressSessionOptions(options as Record<string, unknown>, platform, adapterNames)
  return settingsOf(express.options as AnyOptions, express.settings, platform, entry)
}

function settingsOf (options: AnyOptions, express: ExpressSessionSettings, platform: Platform, entry: EntryChoices): Settings {
  const name = options.name ?? 'session'
  if (typeof name !== 'string' || !isCookieName(name)) {
    fail('name', 'a cookie name made of RFC 6265 token characters', name)
  }
  const { attributes, maxSize } = checkSessionOptions(options, name)
  const encrypt = flag(options.encrypt, 'encrypt', false)
  if (!encrypt && options.encryptionKeys !== undefined) {
    throw new SessionOptionError('option "encryptionKeys" is only used with "encrypt: true"')
  }
  // Without encryption every cookie is signed: refusing signed ones would refuse them all.
  if (!encrypt && options.acceptSigned !== undefined && options.acceptSigned !== null) {
    throw new SessionOptionError('option "acceptSigned" is only used with "encrypt: true"')
  }
  const acceptSigned = flag(options.acceptSigned, 'acceptSigned', true)
  // With encryption, keys sign nothing new (they only verify cookies from before it was on), so
  // dedicated encryptionKeys are enough; without it, keys are needed to sign.
  const keys = checkKeys(options, encrypt ? options.encryptionKeys === undefined : attributes.signed)
  const trustProxy = flag(options.trustProxy, 'trustProxy', false)
  if (options.onError !== undefined && typeof options.onError !== 'function') fail('onError', 'a function', options.onError)
  const chunked = flag(options.chunked, 'chunked', false)
  const template: SessionOptions = { maxSize }
  for (const option of COOKIE_OPTION_NAMES) {
    const value = attributes[option]
    if (value !== undefined) (template as Record<string, unknown>)[option] = value
  }
  if (attributes.sameSite === undefined && options.sameSite === false) template.sameSite = false
  const record = options as Record<string, unknown>
  const absoluteTimeout = duration(record, 'absoluteTimeout')
  const idleTimeout = duration(record, 'idleTimeout')
  const renew = flag(options.renew, 'renew', false)
  if (renew && attributes.maxAge === undefined) {
    throw new SessionOptionError('option "renew" needs "maxAge": it re-sends the cookie when half of maxAge has passed')
  }
  const stored = checkStoreOptions(options)
  const { store } = stored
  if (store !== undefined && !encrypt && (keys === undefined || !attributes.signed)) {
    throw new SessionOptionError('option "store" needs the id cookie signed or encrypted: give "keys" (and leave "signed" on), or "encrypt: true"; ' +
      'an unsigned id would let anyone pick the session another client stores')
  }
  const sealing = encrypt ? sealingKeys(platform, options, keys) : []
  if (express.cookieFormat === 'express-session') {
    if (encrypt) {
      throw new SessionOptionError('option "encrypt" cannot seal express-session\'s cookie (s:<id>.<signature>, which express-session reads): ' +
        'give cookieFormat: "signed-cookie-session" to encrypt the id cookie')
    }
    if (isKeygrip(keys)) {
      throw new SessionOptionError('express-session\'s cookie is signed with HMAC-SHA256 of the secrets themselves, which a Keygrip instance hides: ' +
        'give "secret" (or "keys" as a list), or cookieFormat: "signed-cookie-session"')
    }
  }
  const settings: Settings = Object.freeze({
    platform,
    name,
    sigName: name + '.sig',
    signer: keys === undefined ? undefined : platform.createSigner(keys),
    cipher: encrypt ? platform.createCipher(sealing.map((secret) => secret.key)) : undefined,
    acceptSigned,
    ...stored,
    attributes: Object.freeze(attributes),
    maxSize,
    compress: checkCompress(options.compress, encrypt),
    chunked,
    maxTotalSize: checkMaxTotalSize(options.maxTotalSize, chunked, maxSize),
    sessionOptions: Object.freeze(template),
    trustProxy,
    cacheHeaders: flag(options.cacheHeaders, 'cacheHeaders', true),
    absoluteTimeout,
    idleTimeout,
    stamped: absoluteTimeout !== undefined || idleTimeout !== undefined || renew,
    rolling: flag(options.rolling, 'rolling', false),
    renew,
    validate: hook<Settings['validate']>(record, 'validate'),
    beforeSave: hook<Settings['beforeSave']>(record, 'beforeSave'),
    onError: options.onError as Settings['onError'],
    expressSession: express,
    sha256Signer: store !== undefined && keys !== undefined && !isKeygrip(keys) ? platform.createSha256Signer(keys) : undefined,
    iron: checkIronSession(options.ironSession, name),
    urlSafe: entry.urlSafe === true
  })
  // Once every option is valid. Signing keys that verify nothing (encryptionKeys seal, and signed
  // cookies are refused) are no risk.
  const verifying = encrypt && options.encryptionKeys !== undefined && !acceptSigned ? [] : signingKeys(options, keys)
  warnWeak([...verifying, ...sealing.filter((secret) => !verifying.some((other) => other.option === secret.option))], platform)
  return settings
}
