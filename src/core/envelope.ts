// The session cookie's value and its proof of origin: verifying the `.sig` or opening a sealed
// value when a session is read, encoding or sealing it when written, and telling when an authentic
// cookie must be written again (signed with an older key, or from before encryption was on). The
// crypto is the platform's, so each step may wait (MaybePromise) where the platform's crypto does.
import type { Settings } from '../options/settings.js'
import { after, type MaybePromise } from '../platform/maybe.js'
import { unchunked } from '../wire/chunks.js'
import { isCompressed } from '../wire/compression.js'
import { isSealed, sealedLength } from '../wire/sealed.js'
import { signedText } from '../wire/signature.js'

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
export function openValue (settings: Settings, value: string, signed: boolean, signature: () => string | undefined): MaybePromise<Opened | Rejected | undefined> {
  const { name, cipher, signer, platform } = settings
  const inner = unchunked(value)
  if (cipher !== undefined && isSealed(inner)) {
    return after(cipher.open(inner, name), (opened) => opened === undefined ? 'undecryptable' : inflated(settings, opened.json, opened.index > 0))
  }
  // acceptSigned: false — once every client holds an encrypted cookie, a signed one is nobody's
  // session: whoever else holds the keys (another app with the same cookie name) could have made it.
  if (cipher !== undefined && !settings.acceptSigned) return undefined
  if (!signed) {
    // An unsigned value is anyone's: it is inflated only with compress on, else read as cookie-session reads it.
    if (cipher !== undefined) return undefined
    return settings.compress ? decoded(settings, inner, false) : { json: platform.decodeBase64(inner), reissue: false }
  }
  if (signer === undefined) return undefined
  const sig = signature()
  if (!sig) return undefined
  return after(signer.index(signedText(name, value), sig), (index) => {
    if (index < 0) return 'forged'
    // With encryption on, a signed cookie from before it was switched on is still accepted (while its
    // key is in keys, and unless acceptSigned is false) and re-issued encrypted.
    return decoded(settings, inner, index > 0 || cipher !== undefined)
  })
}

/** The JSON text of an authentic unsealed value, plain or compressed. */
function decoded (settings: Settings, value: string, reissue: boolean): MaybePromise<Opened | Rejected> {
  return isCompressed(value) ? inflated(settings, value, reissue) : { json: settings.platform.decodeBase64(value), reissue }
}

/** Sealed text is JSON, or a compressed value (JSON never starts with "."). */
function inflated (settings: Settings, text: string, reissue: boolean): MaybePromise<Opened | Rejected> {
  if (!isCompressed(text)) return { json: text, reissue }
  return after(settings.platform.decompress(text), (json) => json === undefined ? 'uninflatable' : { json, reissue })
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

/** The cookie value for a session's JSON text: encoded (or sealed), compressed when that is on and makes it shorter. */
export function encodeValue (settings: Settings, json: string): MaybePromise<string> {
  const { cipher, platform } = settings
  if (cipher === undefined) {
    const plain = settings.urlSafe ? platform.encodeBase64url(json) : platform.encodeBase64(json)
    return settings.compress ? after(platform.compress(json, plain.length), (packed) => packed ?? plain) : plain
  }
  // Compressed before sealing: ciphertext does not compress.
  const text = settings.compress ? platform.compress(json, platform.byteLength(json)) : undefined
  return after(text, (packed) => cipher.seal(packed ?? json, settings.name))
}

/**
 * The length of the cookie value `encodeValue` would give, without waiting: exact, except that a
 * compressed value on a platform whose compression is asynchronous counts as uncompressed (the
 * value written is then at most this long).
 */
export function encodedLength (settings: Settings, json: string): number {
  const { cipher, platform } = settings
  let length = cipher === undefined ? base64Length(platform.byteLength(json), settings.urlSafe) : platform.byteLength(json)
  if (settings.compress) {
    const packed = platform.compress(json, length)
    if (typeof packed === 'string') length = packed.length
    else if (packed instanceof Promise) packed.catch(() => {})
  }
  return cipher === undefined ? length : sealedLength(length)
}

/** Characters of base64 for `bytes` bytes: padded, or (urlSafe) base64url without padding. */
function base64Length (bytes: number, urlSafe: boolean): number {
  return urlSafe ? Math.ceil(bytes * 4 / 3) : Math.ceil(bytes / 3) * 4
}
