// What the adapters share: the accessors they put on a request or context, whether a connection is
// HTTPS, and writing a session's cookies onto a node:http response with failures reported.
import type { ServerResponse } from 'node:http'
import type { SessionContext } from '../core/context.js'
import { SessionOptionError, SessionWriteError } from '../errors.js'
import type { SessionOptions, Settings } from '../options/settings.js'

/**
 * Property descriptors for `session` and `sessionOptions` on a request (or Koa context), whose
 * SessionContext `contextOf` finds: made once per middleware, so a request costs no new closures.
 */
export function sessionAccessors (contextOf: (carrier: object) => SessionContext): { session: PropertyDescriptor, sessionOptions: PropertyDescriptor } {
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

/** The Set-Cookie lines a node:http response holds so far. */
function setCookiesOf (res: ServerResponse): string[] {
  const previous = res.getHeader('Set-Cookie')
  return previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)]
}

/**
 * Adds the session's cookies to a node:http response (merged with the lines it has), or reports
 * why they cannot be (to `onError`); the response then goes out as it is.
 */
export function commitTo (context: SessionContext, res: ServerResponse): void {
  try {
    const lines = context.setCookies(setCookiesOf(res))
    if (lines === undefined) return
    if (res.headersSent) {
      throw new SessionWriteError('the response headers were already sent (ctx.respond = false, or a flushed stream)')
    }
    res.setHeader('Set-Cookie', lines)
  } catch (err) {
    context.reportError(err)
  }
}
