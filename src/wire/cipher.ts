// Authenticated encryption of the session JSON: AES-256-GCM with a random 96-bit IV per write.
// Keys are derived with HKDF-SHA256 from the app's secrets, so one secret can both sign (legacy
// cookies) and encrypt without the two uses sharing a key. Pure: strings in, strings out.
//
// Wire format, version 2 (base64url has no ".", so the prefix cannot clash with a base64 value):
//   e2.<base64url( keyId[2] | iv[12] | ciphertext | tag[16] )>
// keyId names the key that sealed it (two bytes derived from the secret, not secret themselves),
// so a reader tries that key only: a forged value costs one decryption, as a real one does.
// Version 1, e1.<base64url( iv | ciphertext | tag )>, had no key id (every key is tried); it is
// still read, and written again as e2 (an older format is re-issued like an older key).
// The cookie name is authenticated too (AAD), so a value cannot be moved to another cookie.
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, randomFillSync, type KeyObject } from 'node:crypto'
import type { Key } from './signer.js'

const PREFIX = 'e2.'
const LEGACY_PREFIX = 'e1.'
const ID_BYTES = 2
const IV_BYTES = 12
const TAG_BYTES = 16
const ALGORITHM = 'aes-256-gcm'
const SALT = 'signed-cookie-session'
const INFO = 'aes-256-gcm session cookie v1'
const ID_INFO = 'aes-256-gcm session cookie key id'

export interface Decrypted {
  readonly json: string
  /** 0 when opened with the current key in the current format, > 0 for an older key or format. */
  readonly index: number
}

export interface Cipher {
  seal (json: string, name: string): string
  /** The JSON text, or undefined for anything tampered, truncated, or sealed with another key. */
  open (value: string, name: string): Decrypted | undefined
}

export function isSealed (value: string): boolean {
  return value.startsWith(PREFIX) || value.startsWith(LEGACY_PREFIX)
}

function deriveKey (secret: Key): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32)))
}

function deriveId (secret: Key): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, SALT, ID_INFO, ID_BYTES))
}

/**
 * IVs come from a pool of random bytes filled 4 KB at a time: a fresh randomFillSync() per cookie
 * costs about 1.4 us, half of an encrypted write. Every IV is still 12 bytes from the CSPRNG, and
 * no byte is handed out twice.
 */
const POOL_BYTES = 4096 - (4096 % IV_BYTES)
const pool = Buffer.alloc(POOL_BYTES)
let poolOffset = POOL_BYTES

function nextIv (): Buffer {
  if (poolOffset === POOL_BYTES) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const iv = pool.subarray(poolOffset, poolOffset + IV_BYTES)
  poolOffset += IV_BYTES
  return iv
}

class AesGcmCipher implements Cipher {
  private readonly keys: readonly KeyObject[]
  /** Each key's id, as written before the IV. */
  private readonly ids: readonly Buffer[]
  private readonly aad = new Map<string, Buffer>()

  constructor (secrets: readonly Key[]) {
    this.keys = secrets.map(deriveKey)
    this.ids = secrets.map(deriveId)
  }

  private aadFor (name: string): Buffer {
    let aad = this.aad.get(name)
    if (aad === undefined) this.aad.set(name, aad = Buffer.from(name, 'latin1'))
    return aad
  }

  seal (json: string, name: string): string {
    const iv = nextIv()
    const cipher = createCipheriv(ALGORITHM, this.keys[0] as KeyObject, iv)
    cipher.setAAD(this.aadFor(name))
    const body = cipher.update(json, 'utf8')
    const tail = cipher.final()
    return PREFIX + Buffer.concat([this.ids[0] as Buffer, iv, body, tail, cipher.getAuthTag()]).toString('base64url')
  }

  open (value: string, name: string): Decrypted | undefined {
    const legacy = value.startsWith(LEGACY_PREFIX)
    if (!legacy && !value.startsWith(PREFIX)) return undefined
    const text = value.slice(PREFIX.length)
    const raw = Buffer.from(text, 'base64url')
    const head = legacy ? 0 : ID_BYTES
    // Lenient base64 decoding would accept other spellings of the same bytes; only the canonical one is ours.
    if (raw.length < head + IV_BYTES + TAG_BYTES || raw.toString('base64url') !== text) return undefined
    const id = raw.subarray(0, head)
    const iv = raw.subarray(head, head + IV_BYTES)
    const body = raw.subarray(head + IV_BYTES, raw.length - TAG_BYTES)
    const tag = raw.subarray(raw.length - TAG_BYTES)
    const aad = this.aadFor(name)
    for (let index = 0; index < this.keys.length; index++) {
      // Version 2 names its key: the others are not tried (two keys may share an id, rarely).
      if (!legacy && !id.equals(this.ids[index] as Buffer)) continue
      const json = decrypt(this.keys[index] as KeyObject, iv, body, tag, aad)
      if (json !== undefined) return { json, index: legacy ? Math.max(index, 1) : index }
    }
    return undefined
  }
}

/** The plaintext, or undefined when the key is not the one (or the value was tampered with). */
function decrypt (key: KeyObject, iv: Buffer, body: Buffer, tag: Buffer, aad: Buffer): string | undefined {
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv)
    decipher.setAAD(aad)
    decipher.setAuthTag(tag)
    return decipher.update(body, undefined, 'utf8') + decipher.final('utf8')
  } catch {
    return undefined
  }
}

export function createCipher (secrets: readonly Key[]): Cipher {
  return new AesGcmCipher(secrets)
}
