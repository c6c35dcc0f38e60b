// The opt-in security options (encryption, server-side expiry, rolling/renew, hooks): checked once.
// With none of them set, the cookie is exactly cookie-session's.
import type { CookieAttributes } from './cookie.js'
import { checkKey, fail, flag } from './check.js'
import { createCipher, type Cipher } from './encryption.js'
import { SessionOptionError } from './errors.js'
import type { Timeouts } from './expiry.js'
import type { Session } from './session.js'
import { isKeygrip, type Key, type KeygripLike } from './signer.js'

export interface SecurityOptions<Req> {
  /** Encrypt the session (AES-256-GCM) so the client cannot read it. Default `false`. */
  encrypt?: boolean | undefined
  /** Secrets to derive encryption keys from, newest first. Default: `keys`. */
  encryptionKeys?: readonly Key[] | undefined
  /** Milliseconds a session may live after it was created, checked on the server. Default: no limit. */
  absoluteTimeout?: number | undefined
  /** Milliseconds a session may go without its cookie being written, checked on the server. Default: no limit. */
  idleTimeout?: number | undefined
  /** Re-send the cookie on every response that reads the session, so `maxAge` and `idleTimeout` slide. Default `false`. */
  rolling?: boolean | undefined
  /** Re-send the cookie when more than half of `maxAge` has passed since it was written. Default `false`. */
  renew?: boolean | undefined
  /** Return `false` to reject a session read from a cookie (it becomes a new empty one). */
  validate?: ((session: Session, req: Req) => boolean) | undefined
  /** Called just before the session is written; may change it. */
  beforeSave?: ((session: Session, req: Req) => void) | undefined
}

export interface SecuritySettings extends Timeouts {
  readonly cipher: Cipher | undefined
  /** Whether the payload carries a creation/write stamp. */
  readonly stamped: boolean
  readonly rolling: boolean
  readonly renew: boolean
  readonly validate: ((session: Session, req: unknown) => boolean) | undefined
  readonly beforeSave: ((session: Session, req: unknown) => void) | undefined
}

function duration (options: Record<string, unknown>, option: string): number | undefined {
  const value = options[option]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) fail(option, 'a positive number of milliseconds', value)
  return value
}

function hook<T> (options: Record<string, unknown>, option: string): T | undefined {
  const value = options[option]
  if (value !== undefined && value !== null && typeof value !== 'function') fail(option, 'a function', value)
  return (value ?? undefined) as T | undefined
}

function cipherFor (options: SecurityOptions<never>, keys: readonly Key[] | KeygripLike | undefined): Cipher {
  const { encryptionKeys } = options
  if (encryptionKeys !== undefined && encryptionKeys !== null) {
    if (!Array.isArray(encryptionKeys) || encryptionKeys.length === 0) {
      fail('encryptionKeys', 'a non-empty array of secret keys', encryptionKeys)
    }
    return createCipher(encryptionKeys.map((key: unknown, i: number) => checkKey(key, `encryptionKeys[${i}]`)))
  }
  // checkKeys has already required keys when there are no encryptionKeys.
  if (isKeygrip(keys)) {
    throw new SessionOptionError('option "encrypt" cannot derive keys from a Keygrip instance (it hides them): give "encryptionKeys"')
  }
  return createCipher(keys as readonly Key[])
}

export function securitySettings (
  options: SecurityOptions<never> & Record<string, unknown>,
  keys: readonly Key[] | KeygripLike | undefined,
  attributes: CookieAttributes
): SecuritySettings {
  const encrypt = flag(options.encrypt, 'encrypt', false)
  if (!encrypt && options.encryptionKeys !== undefined) {
    throw new SessionOptionError('option "encryptionKeys" is only used with "encrypt: true"')
  }
  const absoluteTimeout = duration(options, 'absoluteTimeout')
  const idleTimeout = duration(options, 'idleTimeout')
  const renew = flag(options.renew, 'renew', false)
  if (renew && attributes.maxAge === undefined) {
    throw new SessionOptionError('option "renew" needs "maxAge": it re-sends the cookie when half of maxAge has passed')
  }
  return {
    cipher: encrypt ? cipherFor(options, keys) : undefined,
    absoluteTimeout,
    idleTimeout,
    stamped: absoluteTimeout !== undefined || idleTimeout !== undefined || renew,
    rolling: flag(options.rolling, 'rolling', false),
    renew,
    validate: hook(options, 'validate'),
    beforeSave: hook(options, 'beforeSave')
  }
}
