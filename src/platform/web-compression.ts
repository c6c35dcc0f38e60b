// The Web platform's implementation of the compressed format (wire/compression.ts). Reading uses
// the library's own inflate (wire/deflate.ts) on every runtime: Vercel's Edge runtime has no
// DecompressionStream, and the same code everywhere refuses the same values. Writing uses the
// runtime's CompressionStream where it has one (zlib's tighter output), else the library's deflate.
import { deflateRaw, inflateRaw } from '../wire/deflate.js'
import { INFLATE_LIMIT, MARK } from '../wire/compression.js'
import { fromBase64url, text, toBase64url, utf8 } from './web-bytes.js'

/**
 * The runtime's CompressionStream, if any. Read off globalThis: Next's build flags the bare name in
 * code bound for its Edge runtime as a Node.js API (a warning on every `next build`), though the
 * Edge runtime has it, and where it has not, the library's deflate is used.
 */
const Compression = (globalThis as { CompressionStream?: typeof CompressionStream }).CompressionStream

async function streamDeflate (bytes: Uint8Array, Stream: typeof CompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new Stream('deflate-raw'))
  return new Uint8Array(await new Response(stream).arrayBuffer())
}

/** The compressed value of `json`, or undefined when it would not be shorter than `length` characters. */
export async function compress (json: string, length: number): Promise<string | undefined> {
  const bytes = utf8(json)
  if (bytes.length > INFLATE_LIMIT) return undefined
  const packed = MARK + toBase64url(typeof Compression === 'function' ? await streamDeflate(bytes, Compression) : deflateRaw(bytes))
  return packed.length < length ? packed : undefined
}

/** The JSON text in a compressed value; undefined when it is malformed or inflates past the limit. */
export function decompress (value: string): string | undefined {
  const raw = fromBase64url(value.slice(MARK.length))
  if (raw === undefined || raw.length === 0) return undefined
  const inflated = inflateRaw(raw, INFLATE_LIMIT)
  return inflated === undefined ? undefined : text(inflated)
}
