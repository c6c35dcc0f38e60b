// Where failures go when the app gave no `onError`: one process warning per error code (so a
// busy server does not flood its log) and a trace line under NODE_DEBUG=signed-cookie-session.
import { debuglog } from 'node:util'
import { SessionWriteError } from './errors.js'

export const debug = debuglog('signed-cookie-session')

const warned = new Set<string>()

export function warnOnce (err: Error & { code?: string }): void {
  debug('session cookie not written: %s', err.message)
  const code = err.code ?? err.name
  if (warned.has(code)) return
  warned.add(code)
  process.emitWarning(err.message, { type: 'SignedCookieSessionWarning', code })
}

/** Hands a failure to the app's onError (with the adapter's own arguments), or warns once. */
export function report (onError: ((err: Error, ...args: unknown[]) => void) | undefined, err: unknown, ...args: unknown[]): void {
  const error = SessionWriteError.from(err)
  if (onError === undefined) return warnOnce(error)
  try {
    const result: unknown = onError(error, ...args)
    // An async handler that rejects must not become an unhandled rejection.
    if (typeof (result as Promise<unknown> | undefined)?.catch === 'function') (result as Promise<unknown>).catch(warnAbout)
  } catch (handlerError) {
    // A broken handler must not break the response; say so instead.
    warnAbout(handlerError)
  }
}

function warnAbout (handlerError: unknown): void {
  warnOnce(handlerError instanceof Error ? handlerError : new Error(String(handlerError)))
}
