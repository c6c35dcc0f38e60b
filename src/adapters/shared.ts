// What every adapter shares: the accessors they put on a request or context, whether a connection
// is HTTPS, and one middleware instance per cookie name on a request. (Writing onto a node:http
// response, which only the Node and Koa adapters do, is shared/node-response.ts.)
import type { RequestSession } from '../core/request.js'
import { SessionOptionError } from '../errors.js'
import type { SessionOptions, Settings } from '../options/settings.js'

/**
 * Property descriptors for `session` and `sessionOptions` on a request (or Koa context), whose
 * RequestSession `contextOf` finds: made once per middleware, so a request costs no new closures.
 */
export function sessionAccessors (contextOf: (carrier: object) => RequestSession): { session: PropertyDescriptor, sessionOptions: PropertyDescriptor } {
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

/**
 * Whether the client's connection is HTTPS: as the framework or socket says, or by the first entry
 * of X-Forwarded-Proto (as Express reads it) when the app trusts its proxy.
 */
export function isHttps (direct: boolean, settings: Settings, forwardedProto: string | string[] | null | undefined): boolean {
  if (direct) return true
  if (!settings.trustProxy) return false
  const header = Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto
  if (!header) return false
  const comma = header.indexOf(',')
  return (comma === -1 ? header : header.slice(0, comma)).trim().toLowerCase() === 'https'
}

/** The property, per cookie name, that holds on a request which middleware instance serves that cookie. */
export function claimKey (name: string): symbol {
  return Symbol.for('signed-cookie-session cookie ' + name)
}

/**
 * Records on the request (or Koa context, or Request) that the middleware instance `owner` serves
 * the cookie whose `claimKey` is `key`. Two different instances with one cookie name would each
 * load, and the last to commit would undo the other's changes (a logout undone): that is a
 * configuration error, thrown here.
 */
export function claim (carrier: object, key: symbol, owner: symbol, name: string): void {
  const other = (carrier as Record<symbol, symbol | undefined>)[key]
  if (other !== undefined && other !== owner) {
    throw new SessionOptionError(`two different session middlewares use the cookie "${name}" on one request, ` +
      'so each would overwrite the other\'s changes: create the middleware once and mount that one ' +
      '(app-level and router-level alike), or give each its own "name"')
  }
  ;(carrier as Record<symbol, symbol>)[key] = owner
}
