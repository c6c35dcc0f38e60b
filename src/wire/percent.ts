// Cookie values that a framework's cookie API percent-encoded on the way out: Next's
// `cookies().set()`, SvelteKit's and Astro's `cookies.set()` run encodeURIComponent over the value,
// so a value with `+`, `/` or `=` (cookie-session's standard base64) reaches the browser as %2B, %2F
// and %3D, while its signature was made over the plain value. The reader undoes that before
// verifying. Pure.

/** RFC 6265 §4.1.1 cookie-octets: what a cookie value may hold (no space, `"`, `,`, `;` or `\`). */
const COOKIE_OCTETS = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/

/**
 * `value` percent-decoded when it holds a `%`, else `value` itself. A malformed escape, or one that
 * decodes to something no cookie value can hold, leaves the value as it came: then it verifies
 * against nothing (what was signed never holds a `%`), and is a bad cookie like any other.
 */
export function percentDecoded (value: string): string {
  if (!value.includes('%')) return value
  let decoded: string
  try {
    decoded = decodeURIComponent(value)
  } catch {
    return value
  }
  return COOKIE_OCTETS.test(decoded) ? decoded : value
}
