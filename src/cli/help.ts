// --help texts. The exit codes here, in inspect.ts (EXIT_CODES) and in docs/cli.md must agree.
export const MAIN_HELP = `Usage: signed-cookie-session <command> [options]

Commands:
  keygen     print new random keys, one a line, for SESSION_KEYS
  inspect    show what the middleware would make of a session cookie

Options:
  -h, --help     show help (also: signed-cookie-session <command> --help)
  -v, --version  show the version

Exit codes:
  0  ok (inspect: the cookie verified, or was decoded without keys)
  1  usage error (unknown option, bad value, empty key entry, no input)
  2  cookie not found, or not a session
  3  signature did not verify, the cookie could not be decrypted or inflated, or its chunks do not add up
  4  verified, but expired under the given --absolute-timeout / --idle-timeout
`

export const KEYGEN_HELP = `Usage: signed-cookie-session keygen [--count N] [--bytes N] [--json]

Prints N new random keys (base64), one a line, for SESSION_KEYS (comma-separated, newest first).

Options:
  --count N   how many keys (1-100, default 1)
  --bytes N   random bytes per key (32-64, default 32)
  --json      print {"keys": [...]} instead
`

export const INSPECT_HELP = `Usage: signed-cookie-session inspect [COOKIES | -] [options]

Shows the session in a cookie: its data, whether the signature verified and with which key,
whether the middleware would re-issue it, its expiry stamps, and its size against maxSize.
Encrypted cookies are decrypted, compressed ones (compress: true) inflated, and chunked ones
(chunked: true: NAME, NAME.1, NAME.2, ...) joined, each chunk's size shown against maxSize and
all of them against maxTotalSize. Without keys, it decodes what it can and says it is unverified.

COOKIES is a Cookie header ("Cookie: session=...; session.sig=..." or just the value), or
name=value pairs one a line, or Set-Cookie lines ("Set-Cookie: session=...; path=/; ..."; the
size check then counts the whole line). Give "-" or nothing to read it from stdin. Other header
lines are skipped, so response headers can be piped in: curl -sI URL | signed-cookie-session inspect

Keys are read from environment variables only, never from arguments, and are never printed:
  SESSION_KEYS                 signing keys, comma-separated, newest first (key #0 is current)
  --keys-env NAME              read the signing keys from NAME instead
  --encryption-keys-env NAME   read encryptionKeys from NAME (default: the signing keys)

Options:
  --name NAME               cookie name (default "session"; its signature is NAME.sig)
  --encrypt                 the app has encrypt: true (a signed cookie would be re-issued encrypted)
  --max-size N              maxSize in bytes, or Infinity (default 4093)
  --max-total-size N        maxTotalSize, for chunked cookies, at least --max-size
                            (default 6144, or --max-size if larger)
  --absolute-timeout MS     the app's absoluteTimeout, to tell when the session expires
  --idle-timeout MS         the app's idleTimeout, likewise
  --json                    print one JSON object (see docs/cli.md) instead of text

Exit codes:
  0  verified, or decoded without keys (NOT VERIFIED)
  1  usage error
  2  no such cookie in the input, or its value is not a session
  3  the signature is missing or did not verify, the cookie could not be decrypted or
     inflated, or its chunks do not add up (one missing, one past the ~N~ count, or too long)
  4  verified, but expired under the given timeouts
`
