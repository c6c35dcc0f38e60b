// Opt-in chunking (`chunked: true`): one cookie value too long for one cookie, spread over
// `<name>`, `<name>.1`, `<name>.2`, ... The first holds a header with the count, "~3~", then the
// first piece. "~" is a cookie-octet (RFC 6265 §4.1.1) that base64, base64url, the compressed "."
// mark and the sealed "e1." prefix never start with. The joined value, header included, is what is
// signed or sealed, so a missing, extra, reordered or stale chunk fails verification. Pure.

const MARK = '~'
const HEADER = /^~([2-9]|[1-9]\d{1,2})~/

export function isChunked (value: string): boolean {
  return value.startsWith(MARK)
}

/** The cookie name of chunk `index` (0 is the session cookie itself). */
export function chunkName (name: string, index: number): string {
  return index === 0 ? name : `${name}.${index}`
}

/** One more than the highest chunk index the format allows (the `~N~` header has at most three digits). */
export const FORMAT_CHUNKS = 1000

/**
 * The indexes below `below` of the `<name>.<n>` chunk cookies in a Cookie header, ascending, each
 * once (a cookie jar can only look up a name it is given, not list them). Indexes no write could
 * have made are left out, so that what a request carries never sets how much is looked up or
 * expired. RFC 6265 §4.2.1: cookie-header = cookie-pair *( "; " cookie-pair ).
 */
export function chunkIndexesIn (header: string | undefined, name: string, below = FORMAT_CHUNKS): number[] {
  const prefix = name + '.'
  if (header === undefined || !header.includes(prefix)) return []
  const found = new Set<number>()
  for (const pair of header.split(';')) {
    const key = pair.slice(0, pair.indexOf('=')).trim()
    const index = key.slice(prefix.length)
    if (key.startsWith(prefix) && /^[1-9]\d{0,2}$/.test(index) && Number(index) < below) found.add(Number(index))
  }
  return [...found].sort((a, b) => a - b)
}

/** The number of chunks a chunked first value announces; undefined for a malformed header. */
export function chunkCount (first: string): number | undefined {
  const match = HEADER.exec(first)
  return match === null ? undefined : Number(match[1])
}

/** The value inside a joined chunked value (the header removed); other values unchanged. */
export function unchunked (value: string): string {
  return isChunked(value) ? value.replace(HEADER, '') : value
}

/**
 * `value`, longer than `room(0)`, cut into the fewest chunk values (the first with its header) such
 * that chunk `i` holds at most `room(i)` characters; undefined when no chunk has room for anything.
 */
export function split (value: string, room: (index: number) => number): string[] | undefined {
  for (let count = 2; count < FORMAT_CHUNKS; count++) {
    const header = `${MARK}${count}${MARK}`
    const sizes = Array.from({ length: count }, (_, i) => room(i) - (i === 0 ? header.length : 0))
    if (sizes.some((size) => size <= 0)) return undefined
    if (sizes.reduce((a, b) => a + b, 0) < value.length) continue
    const chunks: string[] = []
    let at = 0
    for (const size of sizes) {
      chunks.push(value.slice(at, at + size))
      at += size
    }
    chunks[0] = header + chunks[0]
    return chunks
  }
  return undefined
}

/**
 * The joined value of a chunked first value and the chunks `chunk(i)` reads, header included;
 * undefined when the header is malformed, a chunk is missing or empty, or the whole is over `limit`.
 */
export function join (first: string, chunk: (index: number) => string | undefined, limit: number): string | undefined {
  const count = chunkCount(first)
  if (count === undefined) return undefined
  let joined = first
  for (let i = 1; i < count; i++) {
    const part = chunk(i)
    if (!part) return undefined
    joined += part
    if (joined.length > limit) return undefined
  }
  return joined
}
