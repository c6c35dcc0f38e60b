// The platform door: everything the core needs from the runtime it runs on — signing, sealing,
// compressing, base64, random ids, the request's cookies, warnings, tracing, deferral — handed to
// it as one object (as iron-session hands its core `crypto`). `node.ts` is Node's (node:crypto,
// node:zlib, `cookies` and `keygrip`, all synchronous); the Fetch entry gets the Web platform's
// (Web Crypto and CompressionStream, asynchronous). The core is written once for both: a step that
// may wait returns a `MaybePromise` (maybe.ts).

import type { SessionData } from '../wire/json.js'
import type { IronPasswords } from '../wire/iron.js'
import type { MaybePromise } from './maybe.js'

export type { MaybePromise }

/** A secret for signing or encrypting: a non-empty string, or bytes (a Buffer on Node). */
export type Key = string | Uint8Array

/** What the library needs of a Keygrip instance (any version). Node only. */
export interface KeygripLike {
  sign (data: string): string
  index (data: string, digest: string): number
}

export function isKeygrip (value: unknown): value is KeygripLike {
  return value !== null && typeof value === 'object' &&
    typeof (value as KeygripLike).sign === 'function' && typeof (value as KeygripLike).index === 'function'
}

/** Signs `name=value` for the `.sig` cookie (cookie-session's Keygrip HMAC-SHA1, base64url). */
export interface Signer {
  sign (data: string): MaybePromise<string>
  /** Index of the key that made `digest`: 0 for the current key, > 0 for an older one, -1 for none. */
  index (data: string, digest: string): MaybePromise<number>
}

/** What a sealed value held. */
export interface Decrypted {
  readonly json: string
  /** 0 when opened with the current key in the current format, > 0 for an older key or format. */
  readonly index: number
}

/** AES-256-GCM sealing of the session (wire/sealed.ts has the format). */
export interface Cipher {
  seal (text: string, name: string): MaybePromise<string>
  /** The text, or undefined for anything tampered, truncated, or sealed with another key. */
  open (value: string, name: string): MaybePromise<Decrypted | undefined>
}

/** Where the Cookie header is read from: a node:http request, or an object shaped like one. */
export interface CookieSource {
  readonly headers: { readonly cookie?: string | undefined }
}

/** Cookie attributes as checked at the door (options/cookie.ts), in the form `cookies` takes them. */
export interface CookieAttributes {
  readonly maxAge: number | undefined
  readonly expires: Date | undefined
  readonly path: string
  readonly domain: string | undefined
  readonly partitioned: boolean
  readonly priority: 'low' | 'medium' | 'high' | undefined
  readonly sameSite: 'strict' | 'lax' | 'none' | undefined
  readonly secure: boolean | undefined
  readonly httpOnly: boolean
  readonly signed: boolean
  readonly overwrite: boolean
}

/** One cookie to set: an empty value expires it. */
export interface CookieWrite {
  readonly name: string
  readonly value: string
  readonly attributes: CookieAttributes
  /** Also set `<name>.sig`, signed by the jar's signer. */
  readonly signed: boolean
  /** A Set-Cookie line already formatted (express-session's cookie): added to the response as it is, not by the jar. */
  readonly line?: string
}

/** A request's cookies, read and written. */
export interface Jar {
  /** The value of a cookie in the request (the first one, when the name appears twice). */
  get (name: string): string | undefined
  /** The indexes below `below` (by default, any the format allows) of the `<name>.<n>` chunk cookies the request carries, ascending. */
  chunkIndexes (name: string, below?: number): number[]
  /**
   * `previous` (the response's Set-Cookie lines so far) with `writes` added, replacing earlier lines
   * of the same name where `overwrite` says so; `secure` is each cookie's Secure attribute. Throws
   * (or rejects with) `SessionTooLargeError` when a line would be over `maxSize`.
   */
  setCookies (previous: readonly string[], writes: readonly CookieWrite[], secure: boolean, maxSize: number): MaybePromise<string[]>
  /** The Set-Cookie line of one unsigned write, to measure it. */
  line (write: CookieWrite, secure: boolean): string
}

export interface Platform {
  /**
   * Whether nothing the platform does ever waits (Node): the session cookie is then read when the
   * session is first read, and `req.session` works without an await.
   */
  readonly synchronous: boolean
  /** The signer for a list of keys (or, on Node, a Keygrip instance). */
  createSigner (keys: readonly Key[] | KeygripLike): Signer
  /**
   * express-session's signer (cookie-signature's): HMAC-SHA256 of the data with `keys[0]`, standard
   * base64 without padding; `index` finds the key that made a signature, comparing in constant time.
   */
  createSha256Signer (keys: readonly Key[]): Signer
  createCipher (secrets: readonly Key[]): Cipher
  /** The request's cookies; `signer` signs the `.sig` cookies it writes. */
  createJar (source: CookieSource, signer: Signer | undefined): Jar
  /** `json` deflated, as a compressed value (wire/compression.ts); undefined when not shorter than `length`. */
  compress (json: string, length: number): MaybePromise<string | undefined>
  /** The JSON text in a compressed value; undefined when malformed or past the inflate limit. Never rejects. */
  decompress (value: string): MaybePromise<string | undefined>
  /** cookie-session's cookie value: standard base64 (padded) of the UTF-8 text. */
  encodeBase64 (text: string): string
  /**
   * base64url without padding of the UTF-8 text: a value encodeURIComponent leaves as it is, for
   * an entry that writes through a framework's cookie store (the Next entry). Both decoders read it.
   */
  encodeBase64url (text: string): string
  /** The UTF-8 text in a base64 value, decoded as leniently as Node's Buffer does (as cookie-session reads it). */
  decodeBase64 (value: string): string
  /** UTF-8 bytes of a text. */
  byteLength (text: string): number
  /**
   * The session data in an iron-session seal (wire/iron.ts, with this runtime's Web Crypto), or
   * undefined for anything but a valid, unexpired seal under one of `passwords`. Never rejects.
   */
  unsealIron (value: string, passwords: IronPasswords): Promise<SessionData | undefined>
  /** A new session id: 32 random bytes, base64url (43 characters). */
  newId (): string
  /** One warning for the app's log (Node: process.emitWarning). */
  warn (message: string, code: string): void
  /** A trace line, when tracing is on (Node: NODE_DEBUG=signed-cookie-session). */
  debug (format: string, ...args: unknown[]): void
  /** Calls `fn(arg)` soon, after the current operation (Node: process.nextTick). */
  defer<A> (fn: (arg: A) => void, arg: A): void
}
