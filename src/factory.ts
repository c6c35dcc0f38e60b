import { createMiddleware, type CookieSessionMiddleware, type CookieSessionOptions } from './middleware.js'
import { settingsFrom } from './options.js'
import type { Key, KeygripLike } from './signer.js'

/**
 * Creates the session middleware. `options` may also be just the list of keys (or a Keygrip).
 * Throws a `TypeError` (`SessionOptionError`) naming any invalid option.
 */
export function cookieSession (options?: CookieSessionOptions | readonly Key[] | KeygripLike): CookieSessionMiddleware {
  return createMiddleware(settingsFrom(options))
}
