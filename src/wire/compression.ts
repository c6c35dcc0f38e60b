// Opt-in compression of the session JSON (`compress: true`): raw DEFLATE (RFC 1951) of its UTF-8
// text, written as "." + base64url (no padding). Base64 and base64url never contain ".", and a
// sealed value starts with "e2." or "e1.", so the mark cannot be mistaken for a plain or sealed
// value. Each platform deflates with its own code (platform/node-compression.ts,
// platform/web-compression.ts). The envelope verifies a value before it is inflated.

export const MARK = '.'

/**
 * The most JSON text a compressed value may inflate to. DEFLATE can expand about 1000:1, so a 6 KB
 * cookie could otherwise cost 6 MB of memory per request; 64 KiB is 16 times the default maxSize and
 * more than any uncompressed session that fits in a Cookie header Node accepts (16 KB). A session
 * larger than this is never written compressed, so everything written can be read back.
 */
export const INFLATE_LIMIT = 64 * 1024

export function isCompressed (value: string): boolean {
  return value.startsWith(MARK)
}
