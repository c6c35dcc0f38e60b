// cookie-signature (express-session's dependency), which the tests hold our express-session signer to.
declare module 'cookie-signature' {
  export function sign (value: string, secret: string | Uint8Array): string
  export function unsign (input: string, secret: string | Uint8Array): string | false
}
