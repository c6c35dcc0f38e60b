// The Web platform's express-session signer (platform/types.ts createSha256Signer): cookie-signature's
// HMAC-SHA256 in standard base64 without padding, with Web Crypto; keys imported on first use.
import type { Key, Signer } from './types.js'
import { equalInConstantTime, toBase64, utf8 } from './web-bytes.js'
import { secretBytes } from './web-signer.js'

/** Web Crypto's key type (not a global name in Node's types). */
type CryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>

const HMAC = { name: 'HMAC', hash: 'SHA-256' } as const
/** Characters of an HMAC-SHA256 in base64 without padding (32 bytes). */
const LENGTH = 43

class WebSha256Signer implements Signer {
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
    return toBase64(new Uint8Array(await crypto.subtle.sign('HMAC', key, utf8(data)))).slice(0, LENGTH)
  }

  async sign (data: string): Promise<string> {
    const [key] = await this.imported()
    return await this.digest(key as CryptoKey, data)
  }

  async index (data: string, signature: string): Promise<number> {
    if (signature.length !== LENGTH) return -1
    const keys = await this.imported()
    for (let i = 0; i < keys.length; i++) {
      if (equalInConstantTime(await this.digest(keys[i] as CryptoKey, data), signature)) return i
    }
    return -1
  }
}

export function createWebSha256Signer (keys: readonly Key[]): Signer {
  return new WebSha256Signer(keys)
}
