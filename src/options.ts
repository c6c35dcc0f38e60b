// Options of cookieSession(...): checked once, turned into a frozen internal form that the
// per-request path trusts.
import { cookieAttributes, isCookieName, type CookieAttributes, type CookieOptions } from './cookie.js'
import { checkKey, describe, fail, flag } from './check.js'
import { SessionOptionError, type SessionWriteFailure } from './errors.js'
import { securitySettings, type SecurityOptions, type SecuritySettings } from './security-options.js'
import { createSigner, isKeygrip, type Key, type KeygripLike, type Signer } from './signer.js'

/**
 * RFC 6265 §6.1 asks browsers for at least 4096 bytes per cookie, counting its name, value and
 * attributes; in practice some stop at 4093, the limit cookie-session's README gives.
 */
export const DEFAULT_MAX_SIZE = 4093

/** Per-request cookie options: `req.sessionOptions`. Changing them affects only this response. */
export interface SessionOptions extends CookieOptions {
  /** Largest Set-Cookie string, in bytes, the session cookie may take. Default 4093. */
  maxSize?: number | undefined
}

/**
 * Options common to every adapter; every option of cookie-session 2.x is accepted. `Req` is what
 * the hooks get (the adapter's request or context), `ErrorArgs` what `onError` gets after the error.
 */
export interface BaseOptions<Req, ErrorArgs extends unknown[]> extends SessionOptions, SecurityOptions<Req> {
  /** Cookie name. Default `'session'`; the signature goes in `<name>.sig`. */
  name?: string | undefined
  /** Signing keys, newest first (`keys[0]` signs, all verify), or a Keygrip instance. */
  keys?: readonly Key[] | KeygripLike | undefined
  /** A single key, used when `keys` is not given. */
  secret?: Key | undefined
  /**
   * Believe `X-Forwarded-Proto: https` from a TLS-terminating proxy in front of node:http, Connect
   * or a Fetch handler. Default `false`. (Express uses its own "trust proxy" setting, Koa `app.proxy`.)
   */
  trustProxy?: boolean | undefined
  /** Where cookie-writing failures go; the response goes out without the cookie. Default: a process warning (once per error code) and NODE_DEBUG tracing. */
  onError?: ((err: SessionWriteFailure, ...args: ErrorArgs) => unknown) | undefined
}

type AnyOptions = BaseOptions<never, never[]>

/** The checked form of the options. */
export interface Settings extends SecuritySettings {
  readonly name: string
  readonly sigName: string
  readonly signer: Signer | undefined
  readonly attributes: CookieAttributes
  readonly maxSize: number
  /** The template `req.sessionOptions` is copied from. */
  readonly sessionOptions: Readonly<SessionOptions>
  readonly trustProxy: boolean
  /** The app's handler; each adapter calls it with its own arguments after the error. */
  readonly onError: ((err: Error, ...args: unknown[]) => void) | undefined
}

const COOKIE_OPTION_NAMES = ['maxAge', 'expires', 'path', 'domain', 'partitioned', 'priority',
  'sameSite', 'secure', 'httpOnly', 'signed', 'overwrite'] as const

function checkKeys (options: AnyOptions, signed: boolean): readonly Key[] | KeygripLike | undefined {
  const { keys, secret } = options
  if (keys !== undefined && keys !== null) {
    if (isKeygrip(keys)) return keys
    if (!Array.isArray(keys)) {
      fail('keys', 'an array of secret keys or a Keygrip instance', keys)
    }
    if (keys.length === 0) {
      throw new SessionOptionError('option "keys" must contain at least one key, got an empty array')
    }
    return Object.freeze(keys.map((key: unknown, i: number) => checkKey(key, `keys[${i}]`)))
  }
  if (secret !== undefined && secret !== null) return [checkKey(secret, 'secret')]
  if (!signed) return undefined
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

/** Checks per-request options (`req.sessionOptions`); throws `SessionOptionError`. */
export function checkSessionOptions (options: SessionOptions): { attributes: CookieAttributes, maxSize: number } {
  return { attributes: cookieAttributes(options), maxSize: checkMaxSize(options.maxSize) }
}

/** Turns the user's options (or a bare list of keys / Keygrip) into `Settings`; throws `SessionOptionError`. */
export function settingsFrom (input: AnyOptions | readonly Key[] | KeygripLike | undefined): Settings {
  const options: AnyOptions = Array.isArray(input) || isKeygrip(input)
    ? { keys: input as readonly Key[] | KeygripLike }
    : (input ?? {}) as AnyOptions
  if (typeof options !== 'object') {
    throw new SessionOptionError(`options must be an object or an array of keys, got ${describe(options)}`)
  }
  const name = options.name ?? 'session'
  if (typeof name !== 'string' || !isCookieName(name)) {
    fail('name', 'a cookie name made of RFC 6265 token characters', name)
  }
  const { attributes, maxSize } = checkSessionOptions(options)
  // With encryption, keys sign nothing new (they only verify cookies from before it was on), so
  // dedicated encryptionKeys are enough; without it, keys are needed to sign.
  const encrypt = options.encrypt === true
  const keys = checkKeys(options, encrypt ? options.encryptionKeys === undefined : attributes.signed)
  const trustProxy = flag(options.trustProxy, 'trustProxy', false)
  if (options.onError !== undefined && typeof options.onError !== 'function') fail('onError', 'a function', options.onError)
  const template: SessionOptions = { maxSize }
  for (const option of COOKIE_OPTION_NAMES) {
    const value = attributes[option]
    if (value !== undefined) (template as Record<string, unknown>)[option] = value
  }
  if (attributes.sameSite === undefined && options.sameSite === false) template.sameSite = false
  return Object.freeze({
    name,
    sigName: name + '.sig',
    signer: keys === undefined ? undefined : createSigner(keys),
    attributes: Object.freeze(attributes),
    maxSize,
    sessionOptions: Object.freeze(template),
    trustProxy,
    onError: options.onError as Settings['onError'],
    ...securitySettings(options as AnyOptions & Record<string, unknown>, keys, attributes)
  })
}
