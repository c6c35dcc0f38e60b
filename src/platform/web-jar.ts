// The session's cookies on the wire on the Web platform: the Cookie header read and Set-Cookie lines
// written exactly as the `cookies` module does on Node (which needs node:http and cannot run here) —
// the same lookup, the same attribute order and spelling, the same replacing of earlier lines of
// a name — so a response carries the same bytes on every runtime. A test holds the two to each other.
import { SessionTooLargeError } from '../errors.js'
import { after, type MaybePromise } from './maybe.js'
import { chunkIndexesIn } from '../wire/chunks.js'
import { signedText } from '../wire/signature.js'
import type { CookieAttributes, CookieSource, CookieWrite, Jar, Signer } from './types.js'

/** RFC 7230 field-content, as `cookies` checks a value (and ";" is refused besides). */
const FIELD_CONTENT = /^[\t\u0020-\u007e\u0080-\u00ff]+$/

const patterns = new Map<string, RegExp>()

/** `cookies`'s lookup: the first `name=` at the start or after a ";" and spaces, up to the next ";". */
function patternOf (name: string): RegExp {
  let pattern = patterns.get(name)
  if (pattern === undefined) {
    pattern = new RegExp('(?:^|;) *' + name.replace(/[\^$\\.*+?()[\]{}|]/g, '\\$&') + '=([^;]*)')
    patterns.set(name, pattern)
  }
  return pattern
}

/**
 * One Set-Cookie line. `expired`: the cookie is being cleared (an empty value; for a `.sig` line,
 * the value it signs was empty), so it carries the epoch as its expiry and no maxAge.
 */
function serialize (name: string, value: string, attributes: CookieAttributes, secure: boolean, expired: boolean): string {
  if (value !== '' && (!FIELD_CONTENT.test(value) || value.includes(';'))) throw new TypeError('argument value is invalid')
  let line = name + '=' + value
  const expires = expired ? new Date(0) : attributes.maxAge ? new Date(Date.now() + attributes.maxAge) : attributes.expires
  if (attributes.path) line += '; path=' + attributes.path
  if (expires) line += '; expires=' + expires.toUTCString()
  if (attributes.domain) line += '; domain=' + attributes.domain
  if (attributes.priority) line += '; priority=' + attributes.priority.toLowerCase()
  if (attributes.sameSite) line += '; samesite=' + attributes.sameSite.toLowerCase()
  if (secure) line += '; secure'
  if (attributes.httpOnly) line += '; httponly'
  if (attributes.partitioned) line += '; partitioned'
  return line
}

/** Adds `line` for `name` (and returns it), first removing earlier lines of that name when `overwrite` is on. */
function push (lines: string[], name: string, line: string, overwrite: boolean): string {
  if (overwrite) {
    for (let i = lines.length - 1; i >= 0; i--) if ((lines[i] as string).startsWith(name + '=')) lines.splice(i, 1)
  }
  lines.push(line)
  return line
}

export class WebJar implements Jar {
  private readonly source: CookieSource
  private readonly signer: Signer | undefined

  constructor (source: CookieSource, signer: Signer | undefined) {
    this.source = source
    this.signer = signer
  }

  get (name: string): string | undefined {
    const header = this.source.headers.cookie
    if (!header) return undefined
    const match = patternOf(name).exec(header)
    if (match === null) return undefined
    const value = match[1] as string
    return value[0] === '"' ? value.slice(1, -1) : value
  }

  chunkIndexes (name: string): number[] {
    return chunkIndexesIn(this.source.headers.cookie, name)
  }

  line (write: CookieWrite, secure: boolean): string {
    return serialize(write.name, write.value, write.attributes, secure, write.value === '')
  }

  setCookies (previous: readonly string[], writes: readonly CookieWrite[], secure: boolean, maxSize: number): MaybePromise<string[]> {
    const { signer } = this
    const signed = writes.filter((write) => write.signed)
    if (signed.length > 0 && signer === undefined) throw new Error('.keys required for signed cookies')
    const signatures = signed.map((write) => (signer as Signer).sign(signedText(write.name, write.value)))
    return after(signatures.some((s) => s instanceof Promise) ? Promise.all(signatures) : signatures as string[], (sigs) => {
      const lines = previous.slice()
      const added: string[] = []
      let next = 0
      for (const write of writes) {
        const { name, value, attributes } = write
        const expired = value === ''
        added.push(push(lines, name, serialize(name, value, attributes, secure, expired), attributes.overwrite))
        if (write.signed) added.push(push(lines, name + '.sig', serialize(name + '.sig', sigs[next++] as string, attributes, secure, expired), attributes.overwrite))
      }
      for (const line of added) {
        if (line.length > maxSize) throw new SessionTooLargeError(line.slice(0, line.indexOf('=')), line.length, maxSize)
      }
      return lines
    })
  }
}
