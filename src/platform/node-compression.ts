// Node's implementation of the compressed format (wire/compression.ts): raw DEFLATE with node:zlib,
// synchronous.
import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { INFLATE_LIMIT, MARK } from '../wire/compression.js'

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
