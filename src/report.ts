// Where failures go when the app gave no `onError`: one warning per error code through the
// platform (Node: process.emitWarning, so a busy server does not flood its log) and a trace line
// (Node: NODE_DEBUG=signed-cookie-session).
import { escapeControls, SessionCacheableError, SessionWriteError } from './errors.js'
import type { Platform } from './platform/types.js'

const warned = new Set<string>()

const once = (per: string): string => ` (This warning is shown once per ${per}; to see every occurrence, give the "onError" option, ` +
  'or run with NODE_DEBUG=signed-cookie-session.)'
const ONCE = once('error code')
const ONCE_PER_ROUTE = once('route')

export function warnOnce (platform: Platform, err: Error & { code?: string }): void {
  const message = escapeControls(err.message)
  const code = err.code ?? err.name
  // A cacheable response is a mistake of one route, not of the whole app: each route is said once
  // (the adapters remember a bounded number of routes, which bounds this set too). Its cookie was written.
  const route = err instanceof SessionCacheableError ? err.route : undefined
  platform.debug(route === undefined ? 'session cookie not written: %s' : 'session cookie cacheable: %s', message)
  const key = route === undefined ? code : `${code} ${route}`
  if (warned.has(key)) return
  warned.add(key)
  platform.warn(message + (route === undefined ? ONCE : ONCE_PER_ROUTE), code)
}

/** What reporting needs of the settings: the app's handler and the platform to warn through. */
interface Reporting {
  readonly onError: ((err: Error, ...args: unknown[]) => unknown) | undefined
  readonly platform: Platform
}

/** Hands a failure to the app's onError (with the adapter's own arguments), or warns once. */
export function report ({ onError, platform }: Reporting, err: unknown, ...args: unknown[]): void {
  const error = SessionWriteError.from(err)
  if (onError === undefined) return warnOnce(platform, error)
  const warnAbout = (handlerError: unknown): void => {
    // A failure of the app's onError handler itself.
    warnOnce(platform, handlerError instanceof Error ? handlerError : new Error(String(handlerError)))
  }
  try {
    const result: unknown = onError(error, ...args)
    // An async handler that rejects must not become an unhandled rejection.
    if (typeof (result as Promise<unknown> | undefined)?.then === 'function') (result as Promise<unknown>).then(undefined, warnAbout)
  } catch (handlerError) {
    // A broken handler must not break the response; say so instead.
    warnAbout(handlerError)
  }
}
