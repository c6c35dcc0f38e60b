// Every option the factories accept, in one table: its name, its default as the README shows it,
// and a one-line description. It drives the unknown-option check, and a test holds the README's
// options tables to it. The value rules live beside it, in cookie.ts and settings.ts.

export interface OptionInfo {
  readonly name: string
  /** The default as written in the README's options table (`—` for none). */
  readonly default: string
  readonly doc: string
  /** Which of the README's two tables lists it. */
  readonly table: 'options' | 'security'
}

const row = (table: OptionInfo['table']) => (name: string, defaultText: string, doc: string): OptionInfo =>
  Object.freeze({ name, default: defaultText, doc, table })
const option = row('options')
const security = row('security')

export const OPTIONS: readonly OptionInfo[] = Object.freeze([
  option('name', "'session'", 'Cookie name; the signature goes in `<name>.sig`.'),
  option('keys', '—', 'Signing keys, newest first, or a Keygrip instance.'),
  option('secret', '—', 'A single key, used when `keys` is not given.'),
  option('maxAge', 'none', 'Milliseconds until the cookie expires.'),
  option('expires', 'none', 'A `Date` the cookie expires at.'),
  option('path', "'/'", 'Cookie path.'),
  option('domain', 'none', 'Cookie domain.'),
  option('sameSite', 'false', "'strict', 'lax', 'none', true or false."),
  option('secure', '`true` on HTTPS, else `false`', 'Only send the cookie over HTTPS.'),
  option('httpOnly', 'true', 'Hide the cookie from client-side JavaScript.'),
  option('partitioned', 'false', 'Add `Partitioned` (CHIPS).'),
  option('priority', 'none', "'low', 'medium' or 'high'."),
  option('signed', 'true', 'Sign the cookie.'),
  option('overwrite', 'true', 'Replace Set-Cookie headers of the same name set earlier in the response.'),
  option('maxSize', '4093', 'Largest Set-Cookie string, in bytes, the session cookie may take.'),
  option('compress', 'false', 'Deflate the session when that makes the cookie shorter.'),
  option('chunked', 'false', 'Spread a session too large for one cookie over several.'),
  option('maxTotalSize', '6144', 'With `chunked`: most bytes the session cookies may take together.'),
  option('onError', 'a warning', 'Where cookie-writing failures go.'),
  option('store', 'none', 'An express-session Store to keep the session in; the cookie then holds only its id.'),
  option('trustProxy', 'false', 'Believe `X-Forwarded-Proto: https` from a TLS-terminating proxy.'),
  security('encrypt', 'false', 'Encrypt the session with AES-256-GCM.'),
  security('encryptionKeys', '`keys`', 'Secrets to derive the encryption keys from, newest first.'),
  security('absoluteTimeout', 'none', 'Milliseconds a session may live after it was created.'),
  security('idleTimeout', 'none', 'Milliseconds a session may go without its cookie being written.'),
  security('rolling', 'false', 'Re-send the cookie on every response that reads the session.'),
  security('renew', 'false', 'Re-send the cookie when more than half of `maxAge` has passed.'),
  security('validate', 'none', 'Return a falsy value to reject a session read from a cookie.'),
  security('beforeSave', 'none', 'Called just before the session is written; may change it.')
])

/** Names accepted besides the table's: cookie-session's lower-case `maxage`. */
export const ALIASES: Readonly<Record<string, string>> = Object.freeze({ maxage: 'maxAge' })
