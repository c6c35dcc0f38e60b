// How strong a secret looks from outside: its length, and whether it is one of the example secrets
// that documentation shows and apps ship. Anyone holding one cookie can test guesses at a key
// offline, at HMAC speed, and offline crackers of session cookies start with exactly such lists.
// Signing keys are only warned about: cookie-session accepted any, and refusing them would break
// drop-in use. Encryption has no such past, so a secret under 32 bytes is refused there.
import { SessionOptionError } from '../errors.js'
import type { Key, Platform } from '../platform/types.js'
import { describeSecret } from './check.js'

/** The shortest secret that is not called weak: 256 bits, what `keygen` makes. */
export const MIN_SECRET_BYTES = 32

const KEYGEN = 'npx signed-cookie-session keygen'

/** Compared by letters and digits alone, case ignored: `Keyboard-Cat` is `keyboard cat`. */
const fold = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '')

/**
 * Example secrets from the READMEs of session libraries and from tutorials, and the placeholders
 * people leave in: a few of the first entries of any session-secret wordlist.
 */
const EXAMPLES: ReadonlySet<string> = new Set([
  'keyboard cat', 'secret', 'changeme', 'change this', 'your-secret-key', 'your secret here', 'supersecret',
  'my secret', 'secret key', 'session secret', 'cookie secret', 'password', 'key1', 'key2',
  'some secret hurr', 'complex_password_at_least_32_characters_long'
].map(fold))

/** A secret and where the options gave it: `keys[0]`, `secret`, `encryptionKeys[1]`. */
export interface PlacedKey {
  readonly option: string
  readonly key: Key
}

/** The secrets of a list, each named by its place. */
export function placed (option: string, keys: readonly Key[], single = false): PlacedKey[] {
  return keys.map((key, i) => ({ option: single ? option : `${option}[${i}]`, key }))
}

function bytesOf (key: Key, platform: Platform): number {
  return typeof key === 'string' ? platform.byteLength(key) : key.byteLength
}

/** Type and length, and the bytes too where a string's characters are not its bytes. */
function described (key: Key, platform: Platform): string {
  const bytes = bytesOf(key, platform)
  return describeSecret(key) + (typeof key === 'string' && bytes !== key.length ? ` (${bytes} bytes)` : '')
}

/** What makes a secret weak (`is shorter than 32 bytes (...)`), or undefined. */
function weakness ({ key }: PlacedKey, platform: Platform): string | undefined {
  if (typeof key === 'string' && EXAMPLES.has(fold(key))) return 'is a well-known example secret'
  if (bytesOf(key, platform) < MIN_SECRET_BYTES) return `is shorter than ${MIN_SECRET_BYTES} bytes (${described(key, platform)})`
  return undefined
}

/** Throws for the first secret under MIN_SECRET_BYTES: encryption keys have no old cookies to keep. */
export function refuseShort (secrets: readonly PlacedKey[], platform: Platform): void {
  for (const { option, key } of secrets) {
    if (bytesOf(key, platform) >= MIN_SECRET_BYTES) continue
    throw new SessionOptionError(`option "${option}" must be at least ${MIN_SECRET_BYTES} bytes to encrypt with ` +
      `(make one with: ${KEYGEN}), got ${described(key, platform)}`)
  }
}

/**
 * Once per process, as the default error warning: a test suite or an app that makes many
 * middleware with the same development key gets one line, not one per instance.
 */
let warned = false

/** One warning naming every weak secret by its place (never by its value), once per process. */
export function warnWeak (secrets: readonly PlacedKey[], platform: Platform): void {
  if (warned) return
  const weak = secrets.flatMap((secret) => {
    const why = weakness(secret, platform)
    return why === undefined ? [] : [`option "${secret.option}" ${why}`]
  })
  if (weak.length === 0) return
  warned = true
  platform.warn(weak.join(', ') + ': anyone who holds one of its cookies can try secrets offline at HMAC speed, ' +
    `then forge any session. Make a random key with: ${KEYGEN} (${MIN_SECRET_BYTES} bytes). This warning is shown once per process.`,
  'ERR_SESSION_WEAK_KEY')
}
