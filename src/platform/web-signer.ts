// The Web platform's signer for the `.sig` cookie: cookie-session's HMAC-SHA1 in base64url without
// padding (what Keygrip writes by default), with Web Crypto. Keys are imported once, on first use.
// Only a list of keys: a Keygrip instance is Node's and is refused when the options are read.
import { SIGNATURE_LENGTH } from '../wire/signature.js'
import type { Key, Signer } from './types.js'
import { equalInConstantTime, toBase64url, utf8 } from './web-bytes.js'

/** Web Crypto's key type (not a global name in Node's types). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

const HMAC = { name: 'HMAC', hash: 'SHA-1' } as const

export function secretBytes (key: Key): Uint8Array {
  return typeof key === 'string' ? utf8(key) : key
}

class WebSigner implements Signer {
  private readonly secrets: readonly Key[]
  private keys: Promise<CryptoKey[]> | undefined

  constructor (secrets: readonly Key[]) {
    this.secrets = secrets
  }

  private imported (): Promise<CryptoKey[]> {
    this.keys ??= Promise.all(this.secrets.map((secret) => crypto.subtle.importKey('raw', secretBytes(secret), HMAC, false, ['sign'])))
    return this.keys
  }

  private async digest (key: CryptoKey, data: string): Promise<string> {
    return toBase64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(data))))
  }

  async sign (data: string): Promise<string> {
    const [key] = await this.imported()
    return await this.digest(key as CryptoKey, data)
  }

  async index (data: string, digest: string): Promise<number> {
    // A SHA-1 signature has a fixed length; anything else cannot match any key.
    if (digest.length !== SIGNATURE_LENGTH) return -1
    const keys = await this.imported()
    for (let i = 0; i < keys.length; i++) {
      // The strings are compared, as on Node: a signature spelled another way is not the signature.
      if (equalInConstantTime(await this.digest(keys[i] as CryptoKey, data), digest)) return i
    }
    return -1
  }
}

export function createWebSigner (keys: readonly Key[]): Signer {
  return new WebSigner(keys)
}
