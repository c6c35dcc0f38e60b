// The Web platform's HMAC signers, with Web Crypto: the `.sig` cookie's (cookie-session's HMAC-SHA1 in
// base64url without padding, what Keygrip writes by default) and express-session's (cookie-signature's
// HMAC-SHA256 in base64 without padding, platform/types.ts createSha256Signer). Keys are imported once,
// on first use. Only a list of keys: a Keygrip instance is Node's and is refused when the options are read.
import { SIGNATURE_LENGTH } from '../wire/signature.js'
import type { Key, Signer } from './types.js'
import { equalInConstantTime, toBase64, toBase64url, utf8 } from './web-bytes.js'

/** Web Crypto's key type (not a global name in Node's types). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

export function secretBytes (key: Key): Uint8Array {
  return typeof key === 'string' ? utf8(key) : key
}

/** How one HMAC signer spells its signatures: the hash, the text of a digest, and that text's fixed length. */
interface HmacFormat {
  readonly hash: 'SHA-1' | 'SHA-256'
  readonly text: (digest: Uint8Array) => string
  readonly length: number
}

/** An HMAC signer over a list of keys, with Web Crypto: keys imported once, on first use. */
class WebHmacSigner implements Signer {
  private readonly secrets: readonly Key[]
  private readonly format: HmacFormat
  private keys: Promise<CryptoKey[]> | undefined

  constructor (secrets: readonly Key[], format: HmacFormat) {
    this.secrets = secrets
    this.format = format
  }

  private imported (): Promise<CryptoKey[]> {
    const algorithm = { name: 'HMAC', hash: this.format.hash }
    this.keys ??= Promise.all(this.secrets.map((secret) => crypto.subtle.importKey('raw', secretBytes(secret), algorithm, false, ['sign'])))
    return this.keys
  }

  private async digest (key: CryptoKey, data: string): Promise<string> {
    return this.format.text(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(data))))
  }

  async sign (data: string): Promise<string> {
    const [key] = await this.imported()
    return await this.digest(key as CryptoKey, data)
  }

  async index (data: string, signature: string): Promise<number> {
    // A signature has a fixed length; anything else cannot match any key.
    if (signature.length !== this.format.length) return -1
    const keys = await this.imported()
    for (let i = 0; i < keys.length; i++) {
      // The strings are compared, as on Node: a signature spelled another way is not the signature.
      if (equalInConstantTime(await this.digest(keys[i] as CryptoKey, data), signature)) return i
    }
    return -1
  }
}

/** The `.sig` cookie's signer: HMAC-SHA1 in base64url without padding. */
const SHA1_BASE64URL: HmacFormat = { hash: 'SHA-1', text: toBase64url, length: SIGNATURE_LENGTH }

export function createWebSigner (keys: readonly Key[]): Signer {
  return new WebHmacSigner(keys, SHA1_BASE64URL)
}

/** Characters of an HMAC-SHA256 in base64 without padding (32 bytes). */
const SHA256_LENGTH = 43

/** express-session's signer (cookie-signature's): HMAC-SHA256 in standard base64 without padding. */
const SHA256_BASE64: HmacFormat = { hash: 'SHA-256', text: (digest) => toBase64(digest).slice(0, SHA256_LENGTH), length: SHA256_LENGTH }

export function createWebSha256Signer (keys: readonly Key[]): Signer {
  return new WebHmacSigner(keys, SHA256_BASE64)
}
