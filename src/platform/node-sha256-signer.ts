// Node's express-session signer (platform/types.ts createSha256Signer): cookie-signature's HMAC-SHA256
// in standard base64 without padding, keys imported once; a signature is checked against each key
// in constant time.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto'
import type { Key, Signer } from './types.js'

/** Characters of an HMAC-SHA256 in base64 without padding (32 bytes). */
const LENGTH = 43

class Sha256Signer implements Signer {
  private readonly keys: readonly KeyObject[]

  constructor (keys: readonly Key[]) {
    this.keys = keys.map((key) => createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : key))
  }

  private digest (key: KeyObject, data: string): string {
    return createHmac('sha256', key).update(data, 'utf8').digest('base64').slice(0, LENGTH)
  }

  sign (data: string): string {
    return this.digest(this.keys[0] as KeyObject, data)
  }

  index (data: string, signature: string): number {
    if (signature.length !== LENGTH) return -1
    const given = Buffer.from(signature, 'latin1')
    for (let i = 0; i < this.keys.length; i++) {
      if (timingSafeEqual(given, Buffer.from(this.digest(this.keys[i] as KeyObject, data), 'latin1'))) return i
    }
    return -1
  }
}

export function createSha256Signer (keys: readonly Key[]): Signer {
  return new Sha256Signer(keys)
}
