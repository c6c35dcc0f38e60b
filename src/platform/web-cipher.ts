// The Web platform's implementation of the sealed format (wire/sealed.ts): AES-256-GCM and HKDF
// with Web Crypto, asynchronous. A value sealed here opens on Node and the other way round.
import { ID_BYTES, ID_INFO, INFO, IV_BYTES, KEY_BYTES, LEGACY_PREFIX, PREFIX, SALT, sealedParts } from '../wire/sealed.js'
import type { Cipher, Decrypted, Key } from './types.js'
import { fromBase64url, text, toBase64url, utf8 } from './web-bytes.js'
import { secretBytes } from './web-signer.js'

/** Web Crypto's key type (not a global name in Node's types). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

interface DerivedKey {
  readonly key: CryptoKey
  /** The key id written before the IV. */
  readonly id: Uint8Array
}

async function derive (secret: Key): Promise<DerivedKey> {
  const material = await crypto.subtle.importKey('raw', secretBytes(secret), 'HKDF', false, ['deriveBits'])
  const bits = async (info: string, bytes: number) =>
    new Uint8Array(await crypto.subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt: utf8(SALT), info: utf8(info) }, material, bytes * 8))
  const key = await crypto.subtle.importKey('raw', await bits(INFO, KEY_BYTES), 'AES-GCM', false, ['encrypt', 'decrypt'])
  return { key, id: await bits(ID_INFO, ID_BYTES) }
}

/** The cookie name as authenticated data: its Latin-1 bytes (a cookie name is ASCII). */
function aadOf (name: string): Uint8Array {
  return Uint8Array.from(name, (c) => c.charCodeAt(0) & 0xff)
}

function sameBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i])
}

class WebCipher implements Cipher {
  private readonly secrets: readonly Key[]
  private keys: Promise<DerivedKey[]> | undefined

  constructor (secrets: readonly Key[]) {
    this.secrets = secrets
  }

  private derived (): Promise<DerivedKey[]> {
    this.keys ??= Promise.all(this.secrets.map(derive))
    return this.keys
  }

  async seal (plain: string, name: string): Promise<string> {
    const [current] = await this.derived() as [DerivedKey]
    const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES))
    // Web Crypto returns the ciphertext with the 16-byte tag after it: the layout Node's cipher writes.
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aadOf(name) }, current.key, utf8(plain)))
    const raw = new Uint8Array(ID_BYTES + IV_BYTES + sealed.length)
    raw.set(current.id, 0)
    raw.set(iv, ID_BYTES)
    raw.set(sealed, ID_BYTES + IV_BYTES)
    return PREFIX + toBase64url(raw)
  }

  async open (value: string, name: string): Promise<Decrypted | undefined> {
    const legacy = value.startsWith(LEGACY_PREFIX)
    if (!legacy && !value.startsWith(PREFIX)) return undefined
    // Only the canonical base64url spelling is ours, as on Node.
    const raw = fromBase64url(value.slice(PREFIX.length))
    const parts = raw === undefined ? undefined : sealedParts(raw, legacy)
    if (parts === undefined) return undefined
    const keys = await this.derived()
    const sealed = new Uint8Array(parts.body.length + parts.tag.length)
    sealed.set(parts.body, 0)
    sealed.set(parts.tag, parts.body.length)
    for (let index = 0; index < keys.length; index++) {
      const { key, id } = keys[index] as DerivedKey
      // Version 2 names its key: the others are not tried (two keys may share an id, rarely).
      if (!legacy && !sameBytes(parts.id, id)) continue
      try {
        const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: parts.iv, additionalData: aadOf(name) }, key, sealed)
        return { json: text(new Uint8Array(plain)), index: legacy ? Math.max(index, 1) : index }
      } catch {
        // Not this key, or tampered with: try the next.
      }
    }
    return undefined
  }
}

export function createWebCipher (secrets: readonly Key[]): Cipher {
  return new WebCipher(secrets)
}
