// The Web platform (platform/types.ts): Web Crypto, the library's own inflate (and
// CompressionStream where there is one), TextEncoder and its own base64 — nothing from Node, so
// the Fetch entry runs on Cloudflare Workers (without nodejs_compat), Vercel's Edge runtime,
// Deno, Bun and Node alike, writing and reading the same cookies as the Node platform.
import type { CookieSource, Key, KeygripLike, Platform, Signer } from './types.js'
import { fromBase64Lenient, text, toBase64, toBase64url, utf8 } from './web-bytes.js'
import { createWebCipher } from './web-cipher.js'
import { compress, decompress } from './web-compression.js'
import { WebJar } from './web-jar.js'
import { unsealIron, type IronPasswords } from '../wire/iron.js'
import { createWebSha256Signer, createWebSigner } from './web-signer.js'

/** Tracing, where a runtime lets the app turn it on: `globalThis.SIGNED_COOKIE_SESSION_DEBUG = true`. */
function debug (format: string, ...args: unknown[]): void {
  if ((globalThis as { SIGNED_COOKIE_SESSION_DEBUG?: unknown }).SIGNED_COOKIE_SESSION_DEBUG !== true) return
  let i = 0
  console.debug('signed-cookie-session: ' + format.replace(/%s/g, () => String(args[i++])))
}

export const webPlatform: Platform = Object.freeze({
  synchronous: false,
  createSigner (keys: readonly Key[] | KeygripLike): Signer {
    // The options check refuses a Keygrip instance on this platform before it gets here.
    return createWebSigner(keys as readonly Key[])
  },
  createSha256Signer: createWebSha256Signer,
  createCipher: createWebCipher,
  createJar: (source: CookieSource, signer: Signer | undefined) => new WebJar(source, signer),
  compress,
  decompress,
  encodeBase64: (value: string) => toBase64(utf8(value)),
  encodeBase64url: (value: string) => toBase64url(utf8(value)),
  decodeBase64: (value: string) => text(fromBase64Lenient(value)),
  byteLength: (value: string) => utf8(value).length,
  unsealIron: (value: string, passwords: IronPasswords) => unsealIron(value, passwords, crypto.subtle),
  newId: () => toBase64url(crypto.getRandomValues(new Uint8Array(32))),
  warn: (message: string, code: string) => { console.warn(`SignedCookieSessionWarning [${code}]: ${message}`) },
  debug,
  defer: <A>(fn: (arg: A) => void, arg: A) => { queueMicrotask(() => fn(arg)) }
})
