// Opt-in compression of the session JSON (`compress: true`): raw DEFLATE (RFC 1951) through
// node:zlib, written as "." + base64url. Base64 and base64url never contain ".", and a sealed value
// starts with "e1.", so the mark cannot be mistaken for a plain or sealed value. Pure: strings in,
// strings out. The envelope verifies a value before it gets here.
import { deflateRawSync, inflateRawSync } from 'node:zlib'

const MARK = '.'

/**
 * The most JSON text a compressed value may inflate to. DEFLATE can expand about 1000:1, so a 6 KB
 * cookie could otherwise cost 6 MB of memory per request; 64 KiB is 16 times the default maxSize and
 * more than any uncompressed session that fits in a Cookie header Node accepts (16 KB). A session
 * larger than this is never written compressed, so everything written can be read back.
 */
export const INFLATE_LIMIT = 64 * 1024

export function isCompressed (value: string): boolean {
  return value.startsWith(MARK)
}

/** The compressed value of `json`, or undefined when it would not be shorter than `length` characters. */
export function compress (json: string, length: number): string | undefined {
  const text = Buffer.from(json, 'utf8')
  if (text.length > INFLATE_LIMIT) return undefined
  const packed = MARK + deflateRawSync(text).toString('base64url')
  return packed.length < length ? packed : undefined
}

/** The JSON text in a compressed value; undefined when it is malformed or inflates past the limit. Never throws. */
export function decompress (value: string): string | undefined {
  const body = value.slice(MARK.length)
  const raw = Buffer.from(body, 'base64url')
  // Lenient base64 decoding would accept other spellings of the same bytes; only the canonical one is ours.
  if (raw.length === 0 || raw.toString('base64url') !== body) return undefined
  try {
    return inflateRawSync(raw, { maxOutputLength: INFLATE_LIMIT }).toString('utf8')
  } catch {
    return undefined
  }
}
