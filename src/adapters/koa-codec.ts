// koa-session's `encode` and `decode`: the app's own cookie value for the session object (with
// koa-session's `_expire` and `_maxAge` in it), in place of base64 JSON; either may be given
// alone. koa-session's rules for their failures hold: decode throwing a SyntaxError (or anything
// that is not an Error) means a new session; any other Error clears the cookie and fails the
// request, as does encode throwing.
import { describe } from '../options/check.js'
import type { ValueCodec } from '../options/settings.js'
import type { Platform } from '../platform/types.js'
import { failRequest } from './koa-failures.js'

export type Encode = (data: Record<string, unknown>) => unknown
export type Decode = (value: string) => unknown

/** The value codec for the app's encode and decode (undefined when neither is given). */
export function koaCodec (encode: Encode | undefined, decode: Decode | undefined, platform: Platform): ValueCodec | undefined {
  if (encode === undefined && decode === undefined) return undefined
  return {
    encode: encode === undefined ? (payload) => platform.encodeBase64(payload) : (payload) => encoded(encode, payload),
    decode: decode === undefined ? (value) => platform.decodeBase64(value) : (value) => decoded(decode, value)
  }
}

function encoded (encode: Encode, payload: string): string {
  let value: unknown
  try {
    value = encode(JSON.parse(payload) as Record<string, unknown>)
  } catch (err) {
    throw failRequest(err)
  }
  if (typeof value !== 'string') throw failRequest(new TypeError(`option "encode" must return a string (the cookie value), got ${describe(value)}`))
  return value
}

function decoded (decode: Decode, value: string): string | undefined {
  let data: unknown
  try {
    data = decode(value)
  } catch (err) {
    if (err instanceof Error && !(err instanceof SyntaxError)) throw failRequest(err, true)
    return undefined
  }
  try {
    return JSON.stringify(data)
  } catch {
    return undefined
  }
}
