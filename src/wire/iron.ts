// Reading iron-session's cookies, so that an app moving from iron-session keeps its users signed in.
// Portable: Web Crypto only, and the SubtleCrypto comes in as a parameter, so that the platform
// enters through the library's own door and this file runs on workerd, Edge, Deno, Bun and Node.
//
// The value is iron's "Fe26.2" seal (@hapi/iron, iron-webcrypto) with iron-session's "~2" after it:
//   Fe26.2*<id>*<encryption salt>*<iv>*<ciphertext>*<expiry>*<integrity salt>*<mac>~2
// - id: the password id the seal was made with; iron reads an empty one as "default".
// - salts: 32 random bytes as 64 lowercase hex digits; the key derivation uses that text, not the bytes.
// - iv (16 bytes), ciphertext and mac (32 bytes): base64url without padding.
// - expiry: milliseconds since the epoch, or empty for a seal that never expires (ttl 0).
// - mac: HMAC-SHA256 over the first six fields joined by "*", with the integrity key.
// Each key is PBKDF2-HMAC-SHA1 of the password over its salt's text, 1 iteration, 256 bits;
// the cipher is AES-256-CBC over the session's JSON text.
import { parse, type SessionData } from './json.js'

/**
 * iron-session's `password` option: one password, which is password id 1 (as iron-session treats
 * it), or an object mapping password ids to passwords for rotation (a seal names the id it used).
 */
export type IronPasswords = string | Readonly<Record<string, string>>

/** The Web Crypto `SubtleCrypto` to use: `globalThis.crypto.subtle` on every runtime. */
export type IronSubtle = typeof globalThis.crypto.subtle

const PREFIX = 'Fe26.2'
// iron-session 6 to 9 write "~2". It is outside the MAC, so only that exact value is taken: an
// unmarked cookie (next-iron-session and iron-session before 6 kept the data under `persistent`,
// through iron-store) is read one way by iron-session 8 and another by 9, and an unsigned marker
// must not choose what a cookie means.
const VERSION = '~2'
// iron (and so iron-session) still accepts a seal up to 60 seconds after its expiry, for clock skew.
const SKEW_MS = 60_000
const FIELDS = 8
const ID = /^\w*$/
const SALT = /^[0-9a-f]{64}$/
const EXPIRY = /^(?:[1-9]\d*)?$/
const IV_BYTES = 16
const MAC_BYTES = 32
const BLOCK_BYTES = 16
// iron-session 9 splits a large seal into at most this many cookies, and reads no more.
const MAX_CHUNKS = 4
// iron-session seals every session with a new pair of salts, so no derived key is worth caching.
const PBKDF2 = { name: 'PBKDF2', hash: 'SHA-1', iterations: 1 } as const
const AES = { name: 'AES-CBC', length: 256 } as const
const HMAC = { name: 'HMAC', hash: 'SHA-256', length: 256 } as const

const utf8 = new TextEncoder()
const text = new TextDecoder()

/**
 * The session data in an iron-session cookie value (iron-session 6 to 9, `sealData`'s output), or
 * `undefined` for anything else: tampered, truncated, malformed, sealed with an unknown password id
 * or another password, expired (60 seconds of clock skew allowed, as iron-session does), or holding
 * anything but a plain JSON object. Never rejects: a hostile cookie is a new empty session.
 * `now`: the time to check the expiry against, in milliseconds since the epoch.
 */
export async function unsealIron (value: string, passwords: IronPasswords, subtle: IronSubtle, now: number = Date.now()): Promise<SessionData | undefined> {
  try {
    return await open(value, passwords, subtle, now)
  } catch {
    // The crypto itself can fail, e.g. a bad padding under a valid MAC (which takes the password to
    // make) or a platform without a primitive: still no session, never an error page.
    return undefined
  }
}

/**
 * The value of an iron-session cookie named `name`, through `read` (a cookie's value by name, or
 * undefined): the cookie itself or, when iron-session 9 split a large seal (`chunk: true`), its
 * parts `name.0` to `name.3` joined, up to the first one missing, as iron-session 9 reads them.
 */
export function readIronCookie (name: string, read: (name: string) => string | undefined): string | undefined {
  const whole = read(name)
  if (whole !== undefined && whole !== '') return whole
  let joined = ''
  for (let index = 0; index < MAX_CHUNKS; index++) {
    const part = read(`${name}.${index}`)
    if (part === undefined || part === '') break
    joined += part
  }
  return joined === '' ? undefined : joined
}

async function open (value: string, passwords: IronPasswords, subtle: IronSubtle, now: number): Promise<SessionData | undefined> {
  if (!value.endsWith(VERSION)) return undefined
  const fields = value.slice(0, -VERSION.length).split('*')
  if (fields.length !== FIELDS) return undefined
  const [prefix, id, encryptionSalt, ivText, ciphertextText, expiry, integritySalt, macText] = fields as [string, string, string, string, string, string, string, string]
  if (prefix !== PREFIX || !ID.test(id) || !SALT.test(encryptionSalt) || !SALT.test(integritySalt) || !EXPIRY.test(expiry)) return undefined
  if (expiry !== '' && Number(expiry) <= now - SKEW_MS) return undefined
  const password = passwordFor(passwords, id)
  const iv = decodeBase64url(ivText)
  const ciphertext = decodeBase64url(ciphertextText)
  const mac = decodeBase64url(macText)
  if (password === undefined || iv?.length !== IV_BYTES || mac?.length !== MAC_BYTES ||
    ciphertext === undefined || ciphertext.length === 0 || ciphertext.length % BLOCK_BYTES !== 0) return undefined

  // One import of the password serves both keys. Keeping it across calls (per password) saved a
  // few percent on Node 20, within the noise, so no key outlives the call.
  const base = await subtle.importKey('raw', utf8.encode(password), PBKDF2.name, false, ['deriveKey'])
  const integrityKey = await subtle.deriveKey({ ...PBKDF2, salt: utf8.encode(integritySalt) }, base, HMAC, false, ['sign'])
  const signed = utf8.encode(fields.slice(0, 6).join('*'))
  const expected = new Uint8Array(await subtle.sign(HMAC.name, integrityKey, signed))
  // Only an authentic seal is decrypted: CBC padding errors must not answer a forger's questions.
  if (!sameBytes(expected, mac)) return undefined
  const encryptionKey = await subtle.deriveKey({ ...PBKDF2, salt: utf8.encode(encryptionSalt) }, base, AES, false, ['decrypt'])
  const plain = await subtle.decrypt({ name: AES.name, iv }, encryptionKey, ciphertext)
  return parse(text.decode(plain))
}

/** The password for the seal's id, as iron-session looks it up; `undefined` for an unknown id. */
function passwordFor (passwords: IronPasswords, id: string): string | undefined {
  if (typeof passwords === 'string') return id === '1' ? passwords : undefined
  const key = id === '' ? 'default' : id
  // Own keys only: an id such as "constructor" must not reach Object.prototype.
  const password = Object.hasOwn(passwords, key) ? passwords[key] : undefined
  return typeof password === 'string' && password !== '' ? password : undefined
}

/** Equal bytes, in time that depends on the length only (both are MAC_BYTES here), not the content. */
function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= (a[i] as number) ^ (b[i] as number)
  return difference === 0
}

// base64url digit values by character code, -1 for a character outside the alphabet.
const DIGITS = new Int8Array(128).fill(-1)
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'].entries()) DIGITS[c.charCodeAt(0)] = i

/**
 * Strict base64url without padding: `undefined` for any other character, an impossible length, or
 * unused low bits that are not zero, so each byte string has exactly one accepted spelling (atob
 * would skip spaces and ignore those bits, and a changed seal could then still read as the same).
 */
function decodeBase64url (value: string): Uint8Array | undefined {
  if (value.length % 4 === 1) return undefined
  const bytes = new Uint8Array((value.length * 3) >> 2)
  let bits = 0
  let count = 0
  let at = 0
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i)
    const digit = code < 128 ? (DIGITS[code] as number) : -1
    if (digit < 0) return undefined
    bits = ((bits << 6) | digit) & 0xfff
    count += 6
    if (count >= 8) {
      count -= 8
      bytes[at++] = (bits >> count) & 0xff
    }
  }
  return (bits & ((1 << count) - 1)) === 0 ? bytes : undefined
}
