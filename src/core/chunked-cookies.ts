// The cookies of a chunked session (`chunked: true`): reading the chunks back into one value, and
// turning one value into the writes of a response. A session that fits in one cookie stays one
// plain cookie; every write expires the chunks an earlier, longer write left in the browser.
// The chunk format itself (the `~N~` header, splitting, joining) is wire/chunks.ts's.
import { SessionTooLargeError } from '../errors.js'
import type { Settings } from '../options/settings.js'
import { after, type MaybePromise } from '../platform/maybe.js'
import type { CookieAttributes, CookieWrite, Jar } from '../platform/types.js'
import { chunkCount, chunkName, isChunked, join, split } from '../wire/chunks.js'
import { signedText } from '../wire/signature.js'

/**
 * The most chunks a session may have. A write never splits into more pieces than fit maxTotalSize
 * at MIN_CHUNK bytes each (one that would is refused), and the reader and the writer look no
 * further: a cookie announcing more is refused before any chunk is looked up, and chunk cookies
 * past it are neither read nor expired, so what a request carries never sets the work or the
 * size of the response. An infinite maxTotalSize still stops at MOST_BYTES, the 16 KB of
 * request headers Node accepts by default (`--max-http-header-size`): a session over it could
 * not come back.
 */
const MIN_CHUNK = 512
const MOST_BYTES = 16384
export function maxChunks (maxTotalSize: number): number {
  return Math.ceil(Math.min(maxTotalSize, MOST_BYTES) / MIN_CHUNK)
}

/**
 * The session cookie's value, its chunks joined (header included); undefined when they do not add up.
 * Needs only the name and maxTotalSize, so that the command line's inspect reads chunks with it too.
 */
export function readChunks (jar: Jar, settings: Pick<Settings, 'name' | 'maxTotalSize'>, first: string): string | undefined {
  if (!isChunked(first)) return first
  const { name, maxTotalSize } = settings
  const most = maxChunks(maxTotalSize)
  const count = chunkCount(first)
  if (count === undefined || count > most) return undefined
  // Exactly the chunks 1 .. count-1, each once: a missing one, or one past the count (which the last
  // write expired, so something else put it back), refuses the session before any is read.
  const present = jar.chunkIndexes(name, most)
  if (present.length !== count - 1 || present.some((index, i) => index !== i + 1)) return undefined
  return join(first, (index) => jar.get(chunkName(name, index)), maxTotalSize)
}

/** What a write of the session needs: the value cookies, then anything else to set or expire. */
export interface ChunkedWrite {
  readonly writes: CookieWrite[]
  /** Bytes of the value cookies' Set-Cookie strings together. */
  readonly size: number
  /** How many cookies hold the value. */
  readonly chunks: number
}

/**
 * The writes for `value` ('' expires every chunk). `single` is the write one cookie would take;
 * `others` are the writes besides the value cookies (a cleared `.sig`). `measure`: only the size
 * and count are wanted (no limit applies, no signature is made).
 */
export function writeChunks (jar: Jar, settings: Settings, single: CookieWrite, others: readonly CookieWrite[],
  secure: boolean, maxSize: number, measure = false): MaybePromise<ChunkedWrite> {
  const { name, sigName, signer, cipher } = settings
  const { value, attributes } = single
  // Attributes are the same on every chunk, so a line is a fixed overhead plus its name and value.
  const overhead = jar.line({ name, value: 'x', attributes, signed: false }, secure).length - 1
  let values = [value]
  if (value !== '' && overhead + value.length > maxSize) values = split(value, (i) => maxSize - overhead - (chunkName(name, i).length - name.length)) ?? values
  const { maxTotalSize } = settings
  const most = maxChunks(maxTotalSize)
  // Only names a write could have made: a request's junk chunk cookies cannot inflate the response.
  const present = jar.chunkIndexes(name, most)
  const stale = present.filter((index) => index >= values.length).map((index) => expired(chunkName(name, index), attributes))
  if (values.length === 1) {
    return { writes: [single, ...others, ...stale], size: overhead + value.length, chunks: 1 }
  }
  const size = values.reduce((sum, part, i) => sum + overhead + part.length + chunkName(name, i).length - name.length, 0)
  if (!measure && size > maxTotalSize) throw new SessionTooLargeError(name, size, maxTotalSize, 'maxTotalSize')
  if (!measure && values.length > most) {
    // Only a maxSize under MIN_CHUNK, or maxTotalSize: Infinity, splits this finely; the reader would refuse it.
    throw new SessionTooLargeError(name, values.length, most, 'chunks')
  }
  const writes: CookieWrite[] = values.map((part, i) => ({ name: chunkName(name, i), value: part, attributes, signed: false }))
  const done = (): ChunkedWrite => ({ writes: [...writes, ...others, ...stale], size, chunks: values.length })
  // The signature covers the joined value with its header, so the chunks verify only as one unit.
  if (measure || cipher !== undefined || !single.signed || signer === undefined) return done()
  return after(signer.sign(signedText(name, values.join(''))), (sig) => {
    writes.push({ name: sigName, value: sig, attributes, signed: false })
    return done()
  })
}

function expired (name: string, attributes: CookieAttributes): CookieWrite {
  return { name, value: '', attributes, signed: false }
}
