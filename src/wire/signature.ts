// The `.sig` cookie of cookie-session: `<name>.sig` holds the HMAC of `<name>=<value>` (SHA-1 with
// keys[0]) in Keygrip's form — base64 with `-` and `_` for `+` and `/`, no padding. Each platform
// computes it with its own crypto (platform/node-signer.ts, platform/web-signer.ts).

/** Characters of a SHA-1 signature: 20 bytes in unpadded base64url. */
export const SIGNATURE_LENGTH = 27

/** The text a session cookie's signature covers. */
export function signedText (name: string, value: string): string {
  return name + '=' + value
}
