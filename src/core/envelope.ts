// The session cookie's value and its proof of origin: verifying the `.sig` or opening a sealed
// value when a session is read, encoding or sealing it when written, and telling when an authentic
// cookie must be written again (signed with an older key, or from before encryption was on).
import type { Settings } from '../options/settings.js'
import { isSealed } from '../wire/cipher.js'
import { unchunked } from '../wire/chunks.js'
import { decodeText, encode } from '../wire/codec.js'
import { compress, decompress, isCompressed } from '../wire/compression.js'

/** The JSON text of an authentic cookie, and whether it must be written again. */
export interface Opened {
  readonly json: string
  readonly reissue: boolean
}

/**
 * Why a cookie was not accepted: its `.sig` matched no key, a sealed value did not open, or an
 * authentic compressed value did not inflate (within the limit).
 */
export type Rejected = 'forged' | 'undecryptable' | 'uninflatable'

/**
 * The JSON in the cookie `value` when it is authentic; `signature` reads the `.sig` cookie. Without
 * keys nothing signed verifies; with encryption on, an unsigned plain value would be a forgery.
 * `value` may be joined chunks: the signature covers them with their header.
 */
export function open (settings: Settings, value: string, signed: boolean, signature: () => string | undefined): Opened | Rejected | undefined {
  const { name, cipher, signer } = settings
  const inner = unchunked(value)
  if (cipher !== undefined && isSealed(inner)) {
    const opened = cipher.open(inner, name)
    return opened === undefined ? 'undecryptable' : inflated(opened.json, opened.index > 0)
  }
  if (!signed) {
    // An unsigned value is anyone's: it is inflated only with compress on, else read as cookie-session reads it.
    if (cipher !== undefined) return undefined
    return settings.compress ? decoded(inner, false) : { json: decodeText(inner), reissue: false }
  }
  if (signer === undefined) return undefined
  const sig = signature()
  if (!sig) return undefined
  const index = signer.index(name + '=' + value, sig)
  if (index < 0) return 'forged'
  // With encryption on, a signed cookie from before it was switched on is still accepted (while its
  // key is in keys) and re-issued encrypted.
  return decoded(inner, index > 0 || cipher !== undefined)
}

/** The JSON text of an authentic unsealed value, plain or compressed. */
function decoded (value: string, reissue: boolean): Opened | Rejected {
  return isCompressed(value) ? inflated(value, reissue) : { json: decodeText(value), reissue }
}

/** Sealed text is JSON, or a compressed value (JSON never starts with "."). */
function inflated (text: string, reissue: boolean): Opened | Rejected {
  if (!isCompressed(text)) return { json: text, reissue }
  const json = decompress(text)
  return json === undefined ? 'uninflatable' : { json, reissue }
}

/**
 * No browser keeps a cookie value this long (RFC 6265 §6.1 asks for 4096 bytes per whole cookie),
 * and a default nginx refuses any header line over 8 KiB; a per-request maxSize may still have
 * raised the limit a value was written under, so the bound is the larger of the two.
 */
const READ_CEILING = 8192

/**
 * Whether a cookie value is longer than any this middleware could have written: such a value is
 * dropped before any signature check or decryption, so garbage never costs more than a session.
 */
export function tooLong (settings: Settings, value: string): boolean {
  return value.length > READ_CEILING && value.length > settings.maxSize
}

/** The cookie value for a session's JSON text, compressed when that is on and makes it shorter. */
export function seal (settings: Settings, json: string): string {
  const { cipher } = settings
  if (cipher === undefined) {
    const plain = encode(json)
    return settings.compress ? compress(json, plain.length) ?? plain : plain
  }
  // Compressed before sealing: ciphertext does not compress.
  const text = settings.compress ? compress(json, Buffer.byteLength(json, 'utf8')) ?? json : json
  return cipher.seal(text, settings.name)
}
