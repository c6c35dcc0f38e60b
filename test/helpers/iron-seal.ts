// An iron-session seal with any content, for the cases iron-session itself will not seal (text that
// is not JSON, odd ids, a bad padding) but that a forger holding the password could. Written on
// node:crypto, apart from the reader under test; test/iron.test.ts checks that iron-session reads it.
import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto'

export interface SealOptions {
  /** The password id in the seal; iron-session writes the highest id of its map ('1' for a string). */
  readonly id?: string
  /** Milliseconds since the epoch as text, or '' for a seal that never expires. */
  readonly expiry?: string
  /** Ciphertext to put in the seal as is, instead of encrypting the plaintext. */
  readonly ciphertext?: Buffer
}

function key (password: string, salt: string): Buffer {
  return pbkdf2Sync(password, salt, 1, 32, 'sha1')
}

/** `Fe26.2*...~2` holding `plaintext` (bytes, or text as UTF-8), with a valid MAC. */
export function sealIronForTest (plaintext: string | Buffer, password: string, options: SealOptions = {}): string {
  const encryptionSalt = randomBytes(32).toString('hex')
  const integritySalt = randomBytes(32).toString('hex')
  const iv = randomBytes(16)
  const cipher = createCipheriv('aes-256-cbc', key(password, encryptionSalt), iv)
  const ciphertext = options.ciphertext ?? Buffer.concat([cipher.update(plaintext), cipher.final()])
  const signed = ['Fe26.2', options.id ?? '1', encryptionSalt, iv.toString('base64url'), ciphertext.toString('base64url'), options.expiry ?? ''].join('*')
  const mac = createHmac('sha256', key(password, integritySalt)).update(signed).digest('base64url')
  return `${signed}*${integritySalt}*${mac}~2`
}
