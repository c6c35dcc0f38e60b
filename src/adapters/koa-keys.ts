// koa-session signs with the app's keys, through ctx.cookies, whenever it signs: app.keys may be
// set (or replaced) after the middleware is made. Without "keys" (or "secret"), the Koa adapter
// signs the same way: with a Keygrip stand-in that reads app.keys each time it is asked, and
// makes a signer once per keys list. With neither, signing fails the request, as it does there.
import { SessionOptionError } from '../errors.js'
import { checkKey, describeSecret } from '../options/check.js'
import { placed, warnWeak } from '../options/strength.js'
import { isKeygrip, type KeygripLike, type Platform } from '../platform/types.js'
import { failRequest } from './koa-failures.js'

/** The message when nothing can sign: no keys option and no app.keys. */
export const NO_APP_KEYS = 'app.keys required for signed cookies: set app.keys (an array of secret keys, newest first), or give option "keys"'

/** A Keygrip that signs and verifies with `app.keys` as they are when it is used. */
export function appKeys (app: { readonly keys?: unknown }, platform: Platform): KeygripLike {
  let made: { readonly keys: unknown, readonly signer: KeygripLike } | undefined
  const signer = (): KeygripLike => {
    const { keys } = app
    if (made !== undefined && made.keys === keys) return made.signer
    made = { keys, signer: signerOf(keys, platform) }
    return made.signer
  }
  return {
    sign: (data) => signer().sign(data),
    index: (data, digest) => signer().index(data, digest)
  }
}

function signerOf (keys: unknown, platform: Platform): KeygripLike {
  if (keys === undefined || keys === null || (Array.isArray(keys) && keys.length === 0)) throw failRequest(new SessionOptionError(NO_APP_KEYS))
  if (isKeygrip(keys)) return keys
  if (!Array.isArray(keys)) {
    throw failRequest(new SessionOptionError(`app.keys must be an array of secret keys or a Keygrip instance, got ${describeSecret(keys)}`))
  }
  let list
  try {
    list = keys.map((key: unknown, i: number) => checkKey(key, `app.keys[${i}]`))
  } catch (err) {
    throw failRequest(err)
  }
  warnWeak(placed('app.keys', list), platform)
  return platform.createSigner(list) as KeygripLike
}
