// A framework's cookie store as the session's cookies: Next's `await cookies()` (and, in proxy.ts,
// next-proxy.ts's pair of the request's and the response's), SvelteKit's `cookies`, Astro's
// `Astro.cookies`. They read one cookie by name and set one cookie at a time, with options; none
// of them signs, so the `.sig` is signed here (the platform's signer). Each cookie is measured as
// its Set-Cookie line before any is set, so a session over maxSize leaves the store untouched.
//
// Clearing is a set() of an empty value that expired at the epoch — what each store's own
// delete() does — because their delete() signatures disagree: Next's takes the path and domain
// only as one object, `delete({ name, path, domain })`, and ignores options after a name;
// SvelteKit's and Astro's take `delete(name, { path, domain })` (SvelteKit throws without a path).
// set(name, value, { path, domain, expires }) passes them to all three.
import { maxChunks } from '../core/chunked-cookies.js'
import { SessionWriteError, escapeControls } from '../errors.js'
import { after, type MaybePromise } from '../platform/maybe.js'
import type { CookieAttributes, CookieWrite, Jar, Signer } from '../platform/types.js'
import { signedText } from '../wire/signature.js'

/**
 * What `getSession` needs of a framework's cookie store: `get(name)` (the value, or an object
 * holding it as `value`, as Next's and Astro's give it) and `set(name, value, options)`. Next's
 * `await cookies()`, SvelteKit's `cookies` and Astro's `Astro.cookies` are such stores as they are.
 */
export interface CookieStoreLike {
  get (name: string): { readonly value: string } | string | undefined
  set (name: string, value: string, options: CookieStoreOptions): unknown
}

/**
 * The options each `set()` gets: the session's cookie attributes, in the form these stores take.
 * (A type, not an interface, so that a store typing its options as a record of anything fits.)
 */
export type CookieStoreOptions = {
  path: string
  domain?: string
  /** From `maxAge` (as a date, as cookie-session writes it) or `expires`; the epoch for a cookie being cleared. */
  expires?: Date
  httpOnly: boolean
  secure: boolean
  sameSite?: 'strict' | 'lax' | 'none'
  priority?: 'low' | 'medium' | 'high'
  partitioned?: boolean
}

/** The writes of one save, and the Secure attribute and size limit they take (core/request.ts's cookieWrites()). */
interface Planned {
  readonly writes: readonly CookieWrite[]
  readonly secure: boolean
  readonly maxSize: number
}

/** The most chunk names a read or a write of this library looks up (maxTotalSize: Infinity). */
const MOST_CHUNKS = maxChunks(Infinity)

/** The request's cookies, read from a cookie store; lines (for sizes) made by the platform's jar. */
export class StoreJar implements Jar {
  private readonly store: CookieStoreLike
  private readonly lines: Jar

  constructor (store: CookieStoreLike, lines: Jar) {
    this.store = store
    this.lines = lines
  }

  get (name: string): string | undefined {
    const found = this.store.get(name)
    const value = typeof found === 'string' ? found : found?.value
    return typeof value === 'string' ? value : undefined
  }

  /** A store can only be asked by name: each name a write could have made is asked for. */
  chunkIndexes (name: string, below = MOST_CHUNKS): number[] {
    const present: number[] = []
    for (let index = 1; index < Math.min(below, MOST_CHUNKS); index++) if (this.get(`${name}.${index}`)) present.push(index)
    return present
  }

  setCookies (previous: readonly string[], writes: readonly CookieWrite[], secure: boolean, maxSize: number): MaybePromise<string[]> {
    return this.lines.setCookies(previous, writes, secure, maxSize)
  }

  line (write: CookieWrite, secure: boolean): string {
    return this.lines.line(write, secure)
  }
}

/** The options of one store set(): only what is set, so a store's own defaults see no `undefined`. */
export function storeOptions (attributes: CookieAttributes, secure: boolean, cleared: boolean): CookieStoreOptions {
  const options: CookieStoreOptions = { path: attributes.path, httpOnly: attributes.httpOnly, secure }
  if (attributes.domain !== undefined) options.domain = attributes.domain
  const expires = cleared ? new Date(0) : attributes.maxAge ? new Date(Date.now() + attributes.maxAge) : attributes.expires
  if (expires !== undefined) options.expires = expires
  if (attributes.sameSite !== undefined) options.sameSite = attributes.sameSite
  if (attributes.priority !== undefined) options.priority = attributes.priority
  if (attributes.partitioned) options.partitioned = true
  return options
}

/**
 * Sets `planned`'s cookies through `store`: each `.sig` signed first, every line measured against
 * maxSize (a SessionTooLargeError sets nothing), then one set() per cookie. A store that refuses
 * (Next's in a server component) gives a SessionWriteError that says where saving works.
 * Synchronous when nothing needs signing (clearing, an encrypted or chunked session).
 */
export function writeThrough (store: CookieStoreLike, signer: Signer | undefined, planned: Planned, jar: Jar): MaybePromise<void> {
  const { writes, secure, maxSize } = planned
  const signatures = writes.map((write) => write.signed && write.value !== '' ? (signer as Signer).sign(signedText(write.name, write.value)) : '')
  const all: MaybePromise<string[]> = signatures.some((sig) => sig instanceof Promise) ? Promise.all(signatures) : signatures as string[]
  return after(all, (sigs) => {
    const flat: CookieWrite[] = []
    writes.forEach((write, i) => {
      flat.push(write.signed ? { ...write, signed: false } : write)
      if (write.signed) flat.push({ name: write.name + '.sig', value: sigs[i] as string, attributes: write.attributes, signed: false })
    })
    return after(jar.setCookies([], flat, secure, maxSize), () => {
      for (const write of flat) set(store, write, secure)
    })
  })
}

function set (store: CookieStoreLike, write: CookieWrite, secure: boolean): void {
  try {
    store.set(write.name, write.value, storeOptions(write.attributes, secure, write.value === ''))
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new SessionWriteError(`the cookie store refused it (${JSON.stringify(escapeControls(reason))}). ` +
      'In Next.js, save in a Server Action, a route handler or proxy.ts; a server component can only read the session', err)
  }
}
