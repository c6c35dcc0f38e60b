// What `inspect` reads, gathered into the cookies a browser would send: a Cookie header (with or
// without "Cookie:"), name=value pairs one a line, or Set-Cookie lines ("Set-Cookie: name=value;
// attributes", one cookie each, the "Set-Cookie:" optional), mixed freely. Other header lines and
// curl's "> " and "< " prefixes are skipped, so `curl -si URL | ... inspect` works.

export interface Cookie {
  readonly name: string
  readonly value: string
}

export interface CookieInput {
  /** The cookies in the order given, as a Cookie header would carry them. */
  readonly cookies: readonly Cookie[]
  /** The first Set-Cookie line given for each cookie name, without "Set-Cookie:". */
  readonly setCookie: ReadonlyMap<string, string>
}

/** RFC 9110 §5.1: field-name = token; a cookie pair cannot start so, as ":" is no token character. */
const HEADER = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)[ \t]*:[ \t]*/
const CURL_PREFIX = /^[<>] /

/** RFC 6265 §5.2 attribute names (and RFC 6265bis, CHIPS): no Cookie header pair is named so in practice. */
const ATTRIBUTE = /^(expires|max-age|domain|path|secure|httponly|samesite|priority|partitioned)$/i

/** A line without "Set-Cookie:" is still one when a piece after its first pair is an attribute. */
function looksLikeSetCookie (line: string): boolean {
  return line.split(';').slice(1).some((piece) => ATTRIBUTE.test(piece.split('=', 1)[0]?.trim() ?? ''))
}

export function readInput (text: string): CookieInput {
  const cookies: Cookie[] = []
  const setCookie = new Map<string, string>()
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim().replace(CURL_PREFIX, '')
    const header = HEADER.exec(line)
    const rest = header === null ? line : line.slice(header[0].length)
    const kind = header?.[1]?.toLowerCase()
    if (kind !== undefined && kind !== 'cookie' && kind !== 'set-cookie') continue
    if (kind === 'set-cookie' || (kind === undefined && looksLikeSetCookie(rest))) {
      // RFC 6265 §5.2: the pair is everything up to the first ";"; the rest are attributes.
      const cookie = pairOf(rest.split(';', 1)[0] as string)
      if (cookie === undefined) continue
      cookies.push(cookie)
      if (!setCookie.has(cookie.name)) setCookie.set(cookie.name, rest)
      continue
    }
    for (const piece of rest.split(';')) {
      const cookie = pairOf(piece)
      if (cookie !== undefined) cookies.push(cookie)
    }
  }
  return { cookies, setCookie }
}

/** `name=value`, as the middleware reads it: one pair of surrounding double quotes removed. */
function pairOf (piece: string): Cookie | undefined {
  const at = piece.indexOf('=')
  if (at === -1) return undefined
  const name = piece.slice(0, at).trim()
  const value = piece.slice(at + 1).trim()
  if (name === '') return undefined
  return { name, value: value.startsWith('"') ? value.slice(1, -1) : value }
}

/** The value of the first cookie named `name` (the one the middleware reads), and how many there are. */
export function find (input: CookieInput, name: string): { value: string, count: number } | undefined {
  const matches = input.cookies.filter((cookie) => cookie.name === name)
  return matches.length === 0 ? undefined : { value: (matches[0] as Cookie).value, count: matches.length }
}
