// Sizes of the session's cookies, and the chunks of a chunked one (`session=~N~...`, `session.1`,
// ...): the joined value comes from the middleware's own readChunks, so the verdict is its verdict;
// the rest only says which chunk is missing or extra when they do not add up.
import type { CookieInput } from './input.js'
import { chunkCount, chunkName, isChunked, Jar, maxChunks, readChunks } from './library.js'

/** One cookie's size against maxSize. */
export interface CookieSize {
  readonly name: string
  readonly bytes: number
  readonly fits: boolean
  /** What was counted: its whole Set-Cookie line, or only `name=value` (attributes unknown). */
  readonly counted: 'set-cookie' | 'name=value'
}

/** Why chunks do not add up: a bad `~N~` header, a chunk missing or past the count, or all of them over maxTotalSize. */
export type ChunkProblem = 'bad-header' | 'missing' | 'extra' | 'too-long'

export interface Chunks {
  /** The number of cookies the first one announces (`~N~`); null for a malformed header. */
  readonly count: number | null
  /** The value cookies given, in order (the session cookie first), with their sizes. */
  readonly cookies: readonly CookieSize[]
  /** Chunk cookies the count calls for that the input lacks (or has empty). */
  readonly missing: readonly string[]
  /** Chunk cookies past the count: left from an earlier, longer write, or put there by someone else. */
  readonly extra: readonly string[]
  readonly problem: ChunkProblem | null
}

export interface Limits {
  readonly name: string
  readonly maxSize: number
  readonly maxTotalSize: number
}

export function cookieSize (name: string, value: string, input: CookieInput, maxSize: number): CookieSize {
  const line = input.setCookie.get(name)
  // The middleware counts string length; a cookie line is ASCII, so that is its size in bytes.
  const bytes = line === undefined ? name.length + 1 + value.length : line.length
  return { name, bytes, fits: bytes <= maxSize, counted: line === undefined ? 'name=value' : 'set-cookie' }
}

/** The input's cookies as the Cookie header the middleware would get. */
export function jarOf (input: CookieInput): Jar {
  const cookie = input.cookies.map(({ name, value }) => `${name}=${value}`).join('; ')
  return new Jar({ headers: { cookie } }, undefined)
}

/**
 * The value the middleware would verify for the session cookie `first` (its chunks joined, header
 * included; undefined when they do not add up), and its chunks; `chunks` is null when not chunked.
 */
export function readValue (jar: Jar, input: CookieInput, first: string, limits: Limits): { value: string | undefined, chunks: Chunks | null } {
  if (!isChunked(first)) return { value: first, chunks: null }
  const { name, maxSize, maxTotalSize } = limits
  const value = readChunks(jar, { name, maxTotalSize }, first)
  const count = chunkCount(first) ?? null
  // As the middleware: chunk cookies past the most a session may have are not its own.
  const present = jar.chunkIndexes(name, maxChunks(maxTotalSize))
  const indexes = count === null ? present : Array.from({ length: count - 1 }, (_, i) => i + 1)
  const cookies = [cookieSize(name, first, input, maxSize)]
  const missing: string[] = []
  for (const index of indexes) {
    const chunk = chunkName(name, index)
    const part = jar.get(chunk)
    if (part) cookies.push(cookieSize(chunk, part, input, maxSize))
    else missing.push(chunk)
  }
  const extra = count === null ? [] : present.filter((index) => index >= count).map((index) => chunkName(name, index))
  for (const chunk of extra) cookies.push(cookieSize(chunk, jar.get(chunk) ?? '', input, maxSize))
  const problem: ChunkProblem | null = value !== undefined
    ? null
    : count === null ? 'bad-header' : missing.length > 0 ? 'missing' : extra.length > 0 ? 'extra' : 'too-long'
  return { value, chunks: { count, cookies, missing: count === null ? [] : missing, extra, problem } }
}
