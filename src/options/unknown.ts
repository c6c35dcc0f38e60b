// Option names the factories do not know. Those of koa-session (and the cookie-format options of
// others) that would change what the cookie is throw, with what to do instead: silently ignoring
// `encode` would leave a user's app reading something else than it wrote. (express-session's own
// options are known names: options/express-session.ts.) Any other unknown name is
// a warning at creation (cookie-session ignored them silently, so throwing would break drop-in
// use), with a "did you mean" for a near miss of a real option.
import { escapeControls, SessionOptionError } from '../errors.js'
import type { Platform } from '../platform/types.js'
import { ALIASES, OPTION_NAMES } from './names.js'

/** Options of other session libraries that cannot be ignored safely, and what to do instead. */
const REFUSED: Readonly<Record<string, string>> = Object.freeze({
  encode: 'the cookie format is fixed (cookie-session\'s base64 JSON); for a cookie the client cannot read, use "encrypt: true"',
  decode: 'the cookie format is fixed (cookie-session\'s base64 JSON); for a cookie the client cannot read, use "encrypt: true"',
  externalKey: 'external session keys are not supported: the session id travels in the session cookie (with "store")',
  ContextStore: 'a context store is not supported: give any express-session Store as "store"',
  prefix: 'key prefixes belong to the store: set it on the store you give as "store" (e.g. connect-redis\'s prefix)'
})

const KNOWN = new Set([...OPTION_NAMES, ...Object.keys(ALIASES)])

/** Levenshtein distance, small strings only. */
function distance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[b.length] as number
}

/** The real option a misspelt name most likely meant, if any is close. */
export function suggest (name: string): string | undefined {
  let best: string | undefined
  let bestDistance = 3
  for (const option of OPTION_NAMES) {
    const d = option.toLowerCase() === name.toLowerCase() ? 0 : distance(option.toLowerCase(), name.toLowerCase())
    if (d < bestDistance) {
      best = option
      bestDistance = d
    }
  }
  return best
}

/**
 * Throws `SessionOptionError` for a refused option, and warns once for each other name that no
 * option has. `extra` are names the adapter itself takes (Koa's `key`).
 */
export function checkNames (options: object, platform: Platform, extra: ReadonlySet<string> = new Set()): void {
  for (const name of Object.keys(options)) {
    if (KNOWN.has(name) || extra.has(name)) continue
    const value = (options as Record<string, unknown>)[name]
    if (value === undefined) continue
    const reason = Object.hasOwn(REFUSED, name) ? REFUSED[name] : undefined
    if (reason !== undefined) throw new SessionOptionError(`option "${name}" is not supported: ${reason}`)
    const near = suggest(name)
    platform.warn(escapeControls(`option "${name}" is not an option of signed-cookie-session and is ignored` +
      (near === undefined ? '' : `; did you mean "${near}"?`)), 'ERR_SESSION_UNKNOWN_OPTION')
  }
}
