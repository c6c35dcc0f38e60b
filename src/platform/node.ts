// The Node platform (platform/types.ts): node:crypto, node:zlib, `cookies` and `keygrip`, all
// synchronous, so the Node adapters keep cookie-session's synchronous `req.session`. The only
// module besides its node-* parts that imports `node:` at run time; the lint rule keeps it so.
import { randomBytes } from 'node:crypto'
import { debuglog } from 'node:util'
import { createCipher, type NodeCipher } from './node-cipher.js'
import { compress, decompress } from './node-compression.js'
import { NodeJar } from './node-jar.js'
import { createSha256Signer } from './node-sha256-signer.js'
import { createSigner } from './node-signer.js'
import type { CookieSource, Key, KeygripLike, Platform, Signer } from './types.js'
import { unsealIron, type IronPasswords } from '../wire/iron.js'

const debug = debuglog('signed-cookie-session')

/** The Node platform, with its steps typed as what they are: synchronous. */
export interface NodePlatform extends Platform {
  createSigner (keys: readonly Key[] | KeygripLike): KeygripLike
  createCipher (secrets: readonly Key[]): NodeCipher
  createJar (source: CookieSource, signer: Signer | undefined): NodeJar
  compress (json: string, length: number): string | undefined
  decompress (value: string): string | undefined
}

export const nodePlatform: NodePlatform = Object.freeze({
  synchronous: true,
  createSigner,
  createSha256Signer,
  createCipher,
  // The Node signer is always a Keygrip (or Keygrip-like), which `cookies` signs with.
  createJar: (source: CookieSource, signer: Signer | undefined) => new NodeJar(source, signer as KeygripLike | undefined),
  compress,
  decompress,
  encodeBase64: (text: string) => Buffer.from(text, 'utf8').toString('base64'),
  encodeBase64url: (text: string) => Buffer.from(text, 'utf8').toString('base64url'),
  decodeBase64: (value: string) => Buffer.from(value, 'base64').toString('utf8'),
  byteLength: (text: string) => Buffer.byteLength(text, 'utf8'),
  // Node's Web Crypto (globalThis.crypto, Node 19 and later; on 20 also require('node:crypto').webcrypto).
  unsealIron: (value: string, passwords: IronPasswords) => unsealIron(value, passwords, globalThis.crypto.subtle),
  newId: () => randomBytes(32).toString('base64url'),
  warn: (message: string, code: string) => { process.emitWarning(message, { type: 'SignedCookieSessionWarning', code }) },
  debug: (format: string, ...args: unknown[]) => { debug(format, ...args) },
  defer: <A>(fn: (arg: A) => void, arg: A) => { process.nextTick(fn, arg) }
})
