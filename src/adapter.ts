// What the adapters share: the accessors they put on a request or context, and reading the
// X-Forwarded-Proto header of a trusted proxy.
import type { SessionContext } from './context.js'
import type { SessionOptions } from './options.js'

/**
 * Property descriptors for `session` and `sessionOptions` on a request (or Koa context) that keeps
 * its SessionContext under `key`: shared getters, so a request costs no new closures.
 */
export function sessionAccessors (key: symbol): { session: PropertyDescriptor, sessionOptions: PropertyDescriptor } {
  const contextOf = (carrier: object) => (carrier as Record<symbol, SessionContext>)[key] as SessionContext
  return {
    session: {
      configurable: true,
      enumerable: true,
      get (this: object) { return contextOf(this).session },
      set (this: object, value: unknown) { contextOf(this).session = value }
    },
    sessionOptions: {
      configurable: true,
      enumerable: true,
      get (this: object) { return contextOf(this).sessionOptions },
      set (this: object, value: SessionOptions) { contextOf(this).sessionOptions = value }
    }
  }
}

/** Whether an X-Forwarded-Proto value says the client's connection is HTTPS (its first entry, as Express reads it). */
export function forwardedHttps (value: string | string[] | null | undefined): boolean {
  const header = Array.isArray(value) ? value[0] : value
  if (!header) return false
  const comma = header.indexOf(',')
  return (comma === -1 ? header : header.slice(0, comma)).trim().toLowerCase() === 'https'
}
