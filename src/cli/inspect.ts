// `inspect`: what the middleware would make of a session cookie, as a plain record (the --json
// output) that render.ts turns into text. Decoding, verifying, decrypting and expiry are the
// library's own functions, so the verdict is the middleware's.
import type { CookieInput } from './input.js'
import { find } from './input.js'
import { createCipher, createSigner, decodeText, isExpired, isSealed, parse, unstamp, type SessionData, type Stamp } from './library.js'

export interface InspectOptions {
  readonly name: string
  /** Signing keys, newest first; undefined when none were given. */
  readonly keys: readonly string[] | undefined
  /** Encryption secrets; undefined: the signing keys. */
  readonly encryptionKeys: readonly string[] | undefined
  /** The app has `encrypt: true`: a signed cookie would be re-issued encrypted. */
  readonly encrypt: boolean
  readonly maxSize: number
  readonly absoluteTimeout: number | undefined
  readonly idleTimeout: number | undefined
  readonly now: number
}

export type Status = 'verified' | 'unverified' | 'expired' | 'not-found' | 'not-a-session' |
  'missing-signature' | 'bad-signature' | 'not-decrypted'

export const EXIT_CODES: Readonly<Record<Status, number>> = {
  verified: 0,
  unverified: 0,
  'not-found': 2,
  'not-a-session': 2,
  'missing-signature': 3,
  'bad-signature': 3,
  'not-decrypted': 3,
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
  readonly bytes: number
  /** null for no limit (Infinity). */
  readonly maxSize: number | null
  readonly fits: boolean
  /** What was counted: a whole Set-Cookie line, or only `name=value` (attributes unknown). */
  readonly counted: 'set-cookie' | 'name=value'
}

export interface Report {
  readonly status: Status
  readonly exitCode: number
  readonly name: string
  readonly format: 'signed' | 'encrypted' | null
  readonly verified: boolean
  /** Keys tried: the encryption keys for an encrypted cookie, else the signing keys. */
  readonly keyCount: number
  /** The key that verified or decrypted it: 0 is the current key. */
  readonly keyIndex: number | null
  readonly reissue: boolean
  readonly reissueReason: 'older-key' | 'encrypt' | null
  readonly data: SessionData | null
  readonly expiry: Expiry | null
  readonly size: Size | null
  readonly cookieNames: readonly string[]
  readonly warnings: readonly string[]
}

type Verdict = Pick<Report, 'status' | 'format' | 'verified' | 'keyCount' | 'keyIndex' | 'reissueReason'> & { json: string | undefined }

function authenticate (value: string, input: CookieInput, options: InspectOptions): Verdict {
  const { name, keys, encryptionKeys, encrypt } = options
  if (isSealed(value)) {
    const secrets = encryptionKeys ?? keys
    const base = { format: 'encrypted', verified: false, keyCount: secrets?.length ?? 0, keyIndex: null, reissueReason: null, json: undefined } as const
    if (secrets === undefined) return { ...base, status: 'not-decrypted' }
    const opened = createCipher(secrets).open(value, name)
    if (opened === undefined) return { ...base, status: 'not-decrypted' }
    return { ...base, status: 'verified', verified: true, keyIndex: opened.index, reissueReason: opened.index > 0 ? 'older-key' : null, json: opened.json }
  }
  const json = decodeText(value)
  const base = { format: 'signed', verified: false, keyCount: keys?.length ?? 0, keyIndex: null, reissueReason: null, json } as const
  if (keys === undefined) return { ...base, status: 'unverified' }
  const signature = find(input, name + '.sig')
  if (signature === undefined || signature.value === '') return { ...base, status: 'missing-signature' }
  const index = createSigner(keys).index(name + '=' + value, signature.value)
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

function sizeOf (value: string, input: CookieInput, options: InspectOptions): Size {
  const line = input.setCookie.get(options.name)
  // The middleware counts string length; a cookie line is ASCII, so that is its size in bytes.
  const bytes = line === undefined ? options.name.length + 1 + value.length : line.length
  const maxSize = Number.isFinite(options.maxSize) ? options.maxSize : null
  return { bytes, maxSize, fits: bytes <= options.maxSize, counted: line === undefined ? 'name=value' : 'set-cookie' }
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
    verified: false,
    keyCount: options.keys?.length ?? 0,
    keyIndex: null,
    reissue: false,
    reissueReason: null,
    data: null,
    expiry: null,
    size: null,
    cookieNames: [...new Set(input.cookies.map((cookie) => cookie.name))],
    warnings: notes,
    ...fields
  })
  // An empty value is no session to the middleware (a Set-Cookie line with one deletes the cookie).
  if (found === undefined || found.value === '') return report({ status: 'not-found' })
  if (found.count > 1) notes.push(`the input has ${found.count} cookies named ${name}; the middleware reads the first`)
  const { json, ...verdict } = authenticate(found.value, input, options)
  const size = sizeOf(found.value, input, options)
  // A stamped payload is [created, written, {data}] (ms); anything else has no stamp.
  const stamped = json === undefined ? undefined : unstamp(json)
  const parsed = json === undefined ? undefined : parse(stamped === undefined ? json : stamped.json)
  if (json !== undefined && parsed === undefined && verdict.status !== 'bad-signature' && verdict.status !== 'missing-signature') {
    return report({ ...verdict, status: 'not-a-session', size })
  }
  const data: SessionData | null = parsed ?? null
  const stamp: Stamp | undefined = stamped?.stamp
  const expiry = parsed === undefined ? null : expiryOf(stamp, options)
  const status = verdict.status === 'verified' && expiry?.expired === true ? 'expired' : verdict.status
  // An expired session is discarded, not re-issued.
  const reissueReason = status === 'verified' ? verdict.reissueReason : null
  return report({ ...verdict, status, reissue: reissueReason !== null, reissueReason, data, expiry, size })
}
