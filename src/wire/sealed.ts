// The format of an encrypted session cookie (`encrypt: true`); each platform's cipher implements it
// with its own crypto (platform/node-cipher.ts, platform/web-cipher.ts), so that a cookie sealed on
// one runtime opens on every other. Pure: names, sizes and the layout, no crypto.
//
// AES-256-GCM with a random 96-bit IV per write. Keys are derived with HKDF-SHA256 from the app's
// secrets (salt SALT, info INFO, 32 bytes), so one secret can both sign (legacy cookies) and
// encrypt without the two uses sharing a key.
//
// Version 2 (base64url has no ".", so the prefix cannot clash with a base64 value):
//   e2.<base64url( keyId[2] | iv[12] | ciphertext | tag[16] )>
// keyId names the key that sealed it (HKDF with ID_INFO, 2 bytes: not secret), so a reader tries
// that key only: a forged value costs one decryption, as a real one does.
// Version 1, e1.<base64url( iv | ciphertext | tag )>, had no key id (every key is tried); it is
// still read, and written again as e2 (an older format is re-issued like an older key).
// The cookie name is the additional authenticated data (Latin-1 bytes), so a value cannot be moved
// to another cookie.

export const PREFIX = 'e2.'
export const LEGACY_PREFIX = 'e1.'
export const ID_BYTES = 2
export const IV_BYTES = 12
export const TAG_BYTES = 16
export const KEY_BYTES = 32
export const SALT = 'signed-cookie-session'
export const INFO = 'aes-256-gcm session cookie v1'
export const ID_INFO = 'aes-256-gcm session cookie key id'

export function isSealed (value: string): boolean {
  return value.startsWith(PREFIX) || value.startsWith(LEGACY_PREFIX)
}

/** Characters of the base64url text (no padding) of `bytes` bytes. */
export function base64urlLength (bytes: number): number {
  return Math.ceil(bytes * 4 / 3)
}

/** Characters of the sealed value of a text of `bytes` UTF-8 bytes: what `seal` writes, without sealing. */
export function sealedLength (bytes: number): number {
  return PREFIX.length + base64urlLength(ID_BYTES + IV_BYTES + bytes + TAG_BYTES)
}

/** The parts of a sealed value's bytes (after base64url decoding); undefined when too short. */
export interface SealedParts<B> {
  readonly legacy: boolean
  readonly id: B
  readonly iv: B
  readonly body: B
  readonly tag: B
}

/** Cuts a sealed value's decoded bytes into its parts, for either version. */
export function sealedParts<B extends Uint8Array> (raw: B, legacy: boolean): SealedParts<B> | undefined {
  const head = legacy ? 0 : ID_BYTES
  if (raw.length < head + IV_BYTES + TAG_BYTES) return undefined
  return {
    legacy,
    id: raw.subarray(0, head) as B,
    iv: raw.subarray(head, head + IV_BYTES) as B,
    body: raw.subarray(head + IV_BYTES, raw.length - TAG_BYTES) as B,
    tag: raw.subarray(raw.length - TAG_BYTES) as B
  }
}
