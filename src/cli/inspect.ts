// `inspect`: what the middleware would make of a session cookie, as a plain record (the --json
// output) that render.ts turns into text. Decoding, verifying, decrypting and expiry are the
// library's own functions, so the verdict is the middleware's. So are joining chunks (chunks.ts)
// and inflating a compressed value, with the library's limit.
import { cookieSize, jarOf, readValue, type Chunks } from './cookie-sizes.js'
import type { CookieInput } from './input.js'
import { find } from './input.js'
import {
  INFLATE_LIMIT, isCompressed, isExpired, isSealed, maxChunks, nodePlatform, parse, signedText,
  unchunked, unstamp, type SessionData, type Stamp
} from './library.js'

// The command line runs on Node: every step of its platform is synchronous.
const { createCipher, createSigner, decodeBase64, decompress } = nodePlatform

export interface InspectOptions {
  readonly name: string
  /** Signing keys, newest first; undefined when none were given. */
  readonly keys: readonly string[] | undefined
  /** Encryption secrets; undefined: the signing keys. */
  readonly encryptionKeys: readonly string[] | undefined
  /** The app has `encrypt: true`: a signed cookie would be re-issued encrypted. */
  readonly encrypt: boolean
  readonly maxSize: number
  /** With chunked cookies: the most bytes they may take together. */
  readonly maxTotalSize: number
  readonly absoluteTimeout: number | undefined
  readonly idleTimeout: number | undefined
  readonly now: number
}

export type Status = 'verified' | 'unverified' | 'expired' | 'not-found' | 'not-a-session' |
  'missing-signature' | 'bad-signature' | 'not-decrypted' | 'not-inflated' | 'bad-chunks'

export const EXIT_CODES: Readonly<Record<Status, number>> = {
  verified: 0,
  unverified: 0,
  'not-found': 2,
  'not-a-session': 2,
  'missing-signature': 3,
  'bad-signature': 3,
  'not-decrypted': 3,
  'not-inflated': 3,
  'bad-chunks': 3,
  expired: 4
}

export interface Expiry {
  /** When the session was created and its cookie last written (ISO dates), from its stamp. */
  readonly created: string | null
  readonly written: string | null
  readonly absoluteTimeout: number | null
  readonly idleTimeout: number | null
  readonly absoluteExpiresAt: string | null
  readonly idleExpiresAt: string | null
  /** null when no timeout was given. */
  readonly expired: boolean | null
}

export interface Size {
  /** The session cookie's bytes; for chunks, all of them together (not counting extra ones). */
  readonly bytes: number
  /** null for no limit (Infinity). */
  readonly maxSize: number | null
  /** Every cookie is within maxSize. */
  readonly fits: boolean
  /** What was counted: whole Set-Cookie lines, or only `name=value` (attributes unknown). */
  readonly counted: 'set-cookie' | 'name=value'
  /** Chunked: the limit on them together; null when not chunked or Infinity. */
  readonly maxTotalSize: number | null
  /** Chunked: whether `bytes` is within maxTotalSize; null when not chunked. */
  readonly fitsTotal: boolean | null
}

export interface Compression {
  readonly compressed: boolean
  /** Characters of the compressed value ("." + base64url), in the cookie or inside the seal. */
  readonly bytes: number | null
  /** Bytes of JSON it inflated to; null when it did not inflate within the limit. */
  readonly inflatedBytes: number | null
  readonly inflateLimit: number
}

export interface Report {
  readonly status: Status
  readonly exitCode: number
  readonly name: string
  readonly format: 'signed' | 'encrypted' | null
  /** The sealed format of an encrypted cookie: `e2` (names its key), or `e1` (older, no key id); null otherwise. */
  readonly sealed: 'e1' | 'e2' | null
  readonly verified: boolean
  /** Keys tried: the encryption keys for an encrypted cookie, else the signing keys. */
  readonly keyCount: number
  /** The key that verified or decrypted it: 0 is the current key. */
  readonly keyIndex: number | null
  readonly reissue: boolean
  readonly reissueReason: 'older-key' | 'encrypt' | null
  readonly data: SessionData | null
  readonly expiry: Expiry | null
  /** null when unknown (not found, not decrypted, chunks that do not add up). */
  readonly compression: Compression | null
  /** null unless the value is chunked. */
  readonly chunks: Chunks | null
  readonly size: Size | null
  readonly cookieNames: readonly string[]
  readonly warnings: readonly string[]
}

/** `text`: the JSON text, or a compressed value, that the cookie holds; undefined when not decrypted. */
type Verdict = Pick<Report, 'status' | 'format' | 'verified' | 'keyCount' | 'keyIndex' | 'reissueReason'> & { text: string | undefined }

/** `value` is the whole value the middleware verifies: chunks joined, with their header. */
function authenticate (value: string, input: CookieInput, options: InspectOptions): Verdict {
  const { name, keys, encryptionKeys, encrypt } = options
  const inner = unchunked(value)
  if (isSealed(inner)) {
    const secrets = encryptionKeys ?? keys
    const base = { format: 'encrypted', verified: false, keyCount: secrets?.length ?? 0, keyIndex: null, reissueReason: null, text: undefined } as const
    if (secrets === undefined) return { ...base, status: 'not-decrypted' }
    const opened = createCipher(secrets).open(inner, name)
    if (opened === undefined) return { ...base, status: 'not-decrypted' }
    return { ...base, status: 'verified', verified: true, keyIndex: opened.index, reissueReason: opened.index > 0 ? 'older-key' : null, text: opened.json }
  }
  // Base64 never contains ".", so a signed value starting with one is compressed.
  const text = isCompressed(inner) ? inner : decodeBase64(inner)
  const base = { format: 'signed', verified: false, keyCount: keys?.length ?? 0, keyIndex: null, reissueReason: null, text } as const
  if (keys === undefined) return { ...base, status: 'unverified' }
  const signature = find(input, name + '.sig')
  if (signature === undefined || signature.value === '') return { ...base, status: 'missing-signature' }
  const index = createSigner(keys).index(signedText(name, value), signature.value)
  if (index < 0) return { ...base, status: 'bad-signature' }
  const reissueReason = index > 0 ? 'older-key' : encrypt ? 'encrypt' : null
  return { ...base, status: 'verified', verified: true, keyIndex: index, reissueReason }
}

const iso = (ms: number): string => new Date(ms).toISOString()

function expiryOf (stamp: Stamp | undefined, options: InspectOptions): Expiry {
  const { absoluteTimeout, idleTimeout } = options
  const timed = absoluteTimeout !== undefined || idleTimeout !== undefined
  return {
    created: stamp === undefined ? null : iso(stamp[0]),
    written: stamp === undefined ? null : iso(stamp[1]),
    absoluteTimeout: absoluteTimeout ?? null,
    idleTimeout: idleTimeout ?? null,
    absoluteExpiresAt: stamp === undefined || absoluteTimeout === undefined ? null : iso(stamp[0] + absoluteTimeout),
    idleExpiresAt: stamp === undefined || idleTimeout === undefined ? null : iso(stamp[1] + idleTimeout),
    expired: timed ? isExpired(stamp, options, options.now) : null
  }
}

/** The JSON in `text` (sealed text is JSON or compressed; JSON never starts with "."), inflated as the middleware does. */
function inflate (text: string): { json: string | undefined, compression: Compression } {
  if (!isCompressed(text)) return { json: text, compression: { compressed: false, bytes: null, inflatedBytes: null, inflateLimit: INFLATE_LIMIT } }
  const json = decompress(text)
  const inflatedBytes = json === undefined ? null : Buffer.byteLength(json, 'utf8')
  return { json, compression: { compressed: true, bytes: text.length, inflatedBytes, inflateLimit: INFLATE_LIMIT } }
}

function sizeOf (first: string, chunks: Chunks | null, input: CookieInput, options: InspectOptions): Size {
  const { name, maxSize, maxTotalSize } = options
  const finite = (limit: number): number | null => Number.isFinite(limit) ? limit : null
  const chunked = chunks !== null
  // The value cookies; extra chunks are not part of the session.
  const cookies = chunked ? chunks.cookies.filter((cookie) => !chunks.extra.includes(cookie.name)) : [cookieSize(name, first, input, maxSize)]
  const bytes = cookies.reduce((sum, cookie) => sum + cookie.bytes, 0)
  return {
    bytes,
    maxSize: finite(maxSize),
    fits: cookies.every((cookie) => cookie.fits),
    counted: cookies.every((cookie) => cookie.counted === 'set-cookie') ? 'set-cookie' : 'name=value',
    maxTotalSize: chunked ? finite(maxTotalSize) : null,
    fitsTotal: chunked ? bytes <= maxTotalSize : null
  }
}

export function inspect (input: CookieInput, options: InspectOptions, warnings: readonly string[] = []): Report {
  const { name } = options
  const found = find(input, name)
  const notes = [...warnings]
  const report = ({ status, ...fields }: Partial<Report> & Pick<Report, 'status'>): Report => ({
    status,
    exitCode: EXIT_CODES[status],
    name,
    format: null,
    sealed: null,
    verified: false,
    keyCount: options.keys?.length ?? 0,
    keyIndex: null,
    reissue: false,
    reissueReason: null,
    data: null,
    expiry: null,
    compression: null,
    chunks: null,
    size: null,
    cookieNames: [...new Set(input.cookies.map((cookie) => cookie.name))],
    warnings: notes,
    ...fields
  })
  // An empty value is no session to the middleware (a Set-Cookie line with one deletes the cookie).
  if (found === undefined || found.value === '') return report({ status: 'not-found' })
  if (found.count > 1) notes.push(`the input has ${found.count} cookies named ${name}; the middleware reads the first`)
  const jar = jarOf(input)
  const { value, chunks } = readValue(jar, input, found.value, options)
  const size = sizeOf(found.value, chunks, input, options)
  if (value === undefined) {
    return report({ status: 'bad-chunks', format: isSealed(unchunked(found.value)) ? 'encrypted' : 'signed', chunks, size })
  }
  const left = chunks === null ? jar.chunkIndexes(name, maxChunks(options.maxTotalSize)).length : 0
  if (left > 0) notes.push(`the input has ${left} ${name}.N chunk cookie${left === 1 ? '' : 's'}, but ${name} is not chunked: the middleware reads ${name} alone (and, with chunked: true, expires them on its next write)`)
  const { text, ...verdict } = authenticate(value, input, options)
  const sealed = verdict.format === 'encrypted' ? unchunked(value).slice(0, 2) as 'e1' | 'e2' : null
  const inflated = text === undefined ? undefined : inflate(text)
  const json = inflated?.json
  const compression = inflated?.compression ?? null
  const authentic = verdict.status !== 'bad-signature' && verdict.status !== 'missing-signature'
  if (inflated !== undefined && json === undefined && authentic) {
    return report({ ...verdict, sealed, status: 'not-inflated', reissueReason: null, compression, chunks, size })
  }
  // A stamped payload is [created, written, {data}] (ms); anything else has no stamp.
  const stamped = json === undefined ? undefined : unstamp(json)
  const parsed = json === undefined ? undefined : parse(stamped === undefined ? json : stamped.json)
  if (json !== undefined && parsed === undefined && authentic) {
    return report({ ...verdict, sealed, status: 'not-a-session', compression, chunks, size })
  }
  const data: SessionData | null = parsed ?? null
  const stamp: Stamp | undefined = stamped?.stamp
  const expiry = parsed === undefined ? null : expiryOf(stamp, options)
  const status = verdict.status === 'verified' && expiry?.expired === true ? 'expired' : verdict.status
  // An expired session is discarded, not re-issued.
  const reissueReason = status === 'verified' ? verdict.reissueReason : null
  return report({ ...verdict, sealed, status, reissue: reissueReason !== null, reissueReason, data, expiry, compression, chunks, size })
}
