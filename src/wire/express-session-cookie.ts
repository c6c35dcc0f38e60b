// express-session's session id cookie, as strings: the value `s:<id>.<signature>` URL-encoded
// (`s%3A...`), and the Set-Cookie line spelled as express-session writes it (the `cookie` module's
// `Path=/; Expires=...; HttpOnly; SameSite=Lax`). The signature (cookie-signature's: HMAC-SHA256
// of the id, standard base64 without padding) is the platform's (Platform.createSha256Signer);
// nothing here computes or compares one.

/** What marks a signed value in express-session's cookie. */
const PREFIX = 's:'

/** The id and signature in an express-session cookie value; undefined for anything else. */
export function parseSignedId (raw: string): { id: string, signature: string } | undefined {
  let value = raw
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value)
    } catch {
      return undefined
    }
  }
  if (!value.startsWith(PREFIX)) return undefined
  const dot = value.lastIndexOf('.')
  if (dot <= PREFIX.length || dot === value.length - 1) return undefined
  return { id: value.slice(PREFIX.length, dot), signature: value.slice(dot + 1) }
}

/** The cookie value for `id` and its signature, URL-encoded as express-session writes it. */
export function signedIdValue (id: string, signature: string): string {
  return encodeURIComponent(PREFIX + id + '.' + signature)
}

/** The attributes of express-session's cookie (its Cookie's `data`), as this library checked them. */
export interface LineAttributes {
  readonly path: string
  readonly domain: string | undefined
  readonly expires?: Date | undefined
  readonly httpOnly: boolean
  readonly secure: boolean
  readonly partitioned: boolean
  readonly priority: 'low' | 'medium' | 'high' | undefined
  readonly sameSite: 'strict' | 'lax' | 'none' | undefined
}

const PRIORITY = { low: 'Low', medium: 'Medium', high: 'High' } as const
const SAME_SITE = { strict: 'Strict', lax: 'Lax', none: 'None' } as const

/** The Set-Cookie line, attributes in the order and spelling express-session's `cookie` module uses. */
export function setCookieLine (name: string, value: string, attributes: LineAttributes): string {
  let line = name + '=' + value
  if (attributes.domain) line += '; Domain=' + attributes.domain
  if (attributes.path) line += '; Path=' + attributes.path
  if (attributes.expires) line += '; Expires=' + attributes.expires.toUTCString()
  if (attributes.httpOnly) line += '; HttpOnly'
  if (attributes.secure) line += '; Secure'
  if (attributes.partitioned) line += '; Partitioned'
  if (attributes.priority !== undefined) line += '; Priority=' + PRIORITY[attributes.priority]
  if (attributes.sameSite !== undefined) line += '; SameSite=' + SAME_SITE[attributes.sameSite]
  return line
}

const EPOCH = new Date(0)

/** The line that makes a browser drop the cookie: an empty value that expired at the epoch. */
export function clearedLine (name: string, attributes: Omit<LineAttributes, 'expires'>): string {
  return setCookieLine(name, '', { ...attributes, expires: EPOCH })
}

/** The name of the cookie a Set-Cookie line sets. */
export function lineName (line: string): string {
  const eq = line.indexOf('=')
  return (eq === -1 ? line : line.slice(0, eq)).trim()
}
