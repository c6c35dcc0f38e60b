// The session cookie's value and its proof of origin: verifying the `.sig` or opening a sealed
// value when a session is read, encoding or sealing it when written, and telling when an authentic
// cookie must be written again (signed with an older key, or from before encryption was on).
import type { Settings } from '../options/settings.js'
import { isSealed } from '../wire/cipher.js'
import { decodeText, encode } from '../wire/codec.js'

/** The JSON text of an authentic cookie, and whether it must be written again. */
export interface Opened {
  readonly json: string
  readonly reissue: boolean
}

/** Why a cookie was not accepted: its `.sig` matched no key, or a sealed value did not open. */
export type Rejected = 'forged' | 'undecryptable'

/**
 * The JSON in the cookie `value` when it is authentic; `signature` reads the `.sig` cookie. Without
 * keys nothing signed verifies; with encryption on, an unsigned plain value would be a forgery.
 */
export function open (settings: Settings, value: string, signed: boolean, signature: () => string | undefined): Opened | Rejected | undefined {
  const { name, cipher, signer } = settings
  if (cipher !== undefined && isSealed(value)) {
    const opened = cipher.open(value, name)
    return opened === undefined ? 'undecryptable' : { json: opened.json, reissue: opened.index > 0 }
  }
  if (!signed) return cipher === undefined ? { json: decodeText(value), reissue: false } : undefined
  if (signer === undefined) return undefined
  const sig = signature()
  if (!sig) return undefined
  const index = signer.index(name + '=' + value, sig)
  if (index < 0) return 'forged'
  // With encryption on, a signed cookie from before it was switched on is still accepted (while its
  // key is in keys) and re-issued encrypted.
  return { json: decodeText(value), reissue: index > 0 || cipher !== undefined }
}

/** The cookie value for a session's JSON text. */
export function seal (settings: Settings, json: string): string {
  return settings.cipher === undefined ? encode(json) : settings.cipher.seal(json, settings.name)
}
