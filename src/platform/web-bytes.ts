// Bytes and text on the Web platform, without Buffer: UTF-8 through TextEncoder/TextDecoder, and
// base64 written and read exactly as Node's Buffer does it, so that a cookie value means the same
// bytes on every runtime. (Uint8Array.toBase64 is not on Node 20 or Vercel's Edge runtime.)

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function utf8 (text: string): Uint8Array {
  return encoder.encode(text)
}

/** UTF-8 text of `bytes`; malformed sequences become U+FFFD, as Buffer#toString('utf8') makes them. */
export function text (bytes: Uint8Array): string {
  return decoder.decode(bytes)
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Each character's 6-bit value, for both alphabets ('+' and '-' are 62, '/' and '_' 63); -1 for others. */
const VALUES = new Int8Array(256).fill(-1)
for (let i = 0; i < 64; i++) {
  VALUES[ALPHABET.charCodeAt(i)] = i
  VALUES[URL_ALPHABET.charCodeAt(i)] = i
}

function encode (bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = ''
  let i = 0
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number)
    out += alphabet[n >>> 18] as string + alphabet[(n >>> 12) & 63] + alphabet[(n >>> 6) & 63] + alphabet[n & 63]
  }
  const rest = bytes.length - i
  if (rest === 1) {
    const n = (bytes[i] as number) << 16
    out += alphabet[n >>> 18] as string + alphabet[(n >>> 12) & 63] + (pad ? '==' : '')
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8)
    out += alphabet[n >>> 18] as string + alphabet[(n >>> 12) & 63] + alphabet[(n >>> 6) & 63] + (pad ? '=' : '')
  }
  return out
}

/** Standard base64 with padding (cookie-session's cookie value). */
export function toBase64 (bytes: Uint8Array): string {
  return encode(bytes, ALPHABET, true)
}

/** base64url without padding (sealed and compressed values, signatures, ids). */
export function toBase64url (bytes: Uint8Array): string {
  return encode(bytes, URL_ALPHABET, false)
}

/**
 * The bytes of a base64 value decoded as leniently as Node's Buffer.from(value, 'base64'): both
 * alphabets, characters outside them skipped, decoding stops at the first "=", and a last lone
 * character (six bits) is dropped. Node looks each UTF-16 code unit up by its low byte (so U+0141
 * reads as "A" and U+013D as "="); so does this. This is how cookie-session reads a cookie.
 */
export function fromBase64Lenient (value: string): Uint8Array {
  const out = new Uint8Array(Math.floor(value.length * 3 / 4) + 3)
  let length = 0
  let buffer = 0
  let bits = 0
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i) & 0xff
    if (code === 61) break // "="
    const v = VALUES[code] as number
    if (v < 0) continue
    buffer = ((buffer << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[length++] = (buffer >>> bits) & 0xff
    }
  }
  return out.subarray(0, length)
}

/** The bytes of a base64url value in its one canonical spelling (no padding, no stray bits); undefined for anything else. */
export function fromBase64url (value: string): Uint8Array | undefined {
  if (value.length % 4 === 1) return undefined
  const out = new Uint8Array(Math.floor(value.length * 3 / 4))
  let length = 0
  let buffer = 0
  let bits = 0
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    const v = code < 128 ? VALUES[code] as number : -1
    // Only the URL alphabet: '+' and '/' are base64's, not base64url's.
    if (v < 0 || code === 43 || code === 47) return undefined
    buffer = ((buffer << 6) | v) & 0xffffff
    bits += 6
    if (bits >= 8) {
      bits -= 8
      out[length++] = (buffer >>> bits) & 0xff
    }
  }
  // Bits left over must be zero, or another spelling would decode to the same bytes.
  if ((buffer & ((1 << bits) - 1)) !== 0) return undefined
  return out.subarray(0, length)
}

/** Whether two strings are equal, in time that depends only on their length (for signatures). */
export function equalInConstantTime (a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return difference === 0
}
