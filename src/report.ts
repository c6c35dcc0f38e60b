// Where failures go when the app gave no `onError`: one process warning per error code (so a
// busy server does not flood its log) and a trace line under NODE_DEBUG=signed-cookie-session.
import { debuglog } from 'node:util'
import { escapeControls, SessionWriteError } from './errors.js'

export const debug = debuglog('signed-cookie-session')

const warned = new Set<string>()

const ONCE = ' (This warning is shown once per error code; to see every occurrence, give the "onError" option, ' +
  'or run with NODE_DEBUG=signed-cookie-session.)'

export function warnOnce (err: Error & { code?: string }): void {
  const message = escapeControls(err.message)
  debug('session cookie not written: %s', message)
  const code = err.code ?? err.name
  if (warned.has(code)) return
  warned.add(code)
  process.emitWarning(message + ONCE, { type: 'SignedCookieSessionWarning', code })
}

/** Hands a failure to the app's onError (with the adapter's own arguments), or warns once. */
export function report (onError: ((err: Error, ...args: unknown[]) => void) | undefined, err: unknown, ...args: unknown[]): void {
  const error = SessionWriteError.from(err)
  if (onError === undefined) return warnOnce(error)
  try {
    const result: unknown = onError(error, ...args)
    // An async handler that rejects must not become an unhandled rejection.
    if (typeof (result as Promise<unknown> | undefined)?.then === 'function') (result as Promise<unknown>).then(undefined, warnAbout)
  } catch (handlerError) {
    // A broken handler must not break the response; say so instead.
    warnAbout(handlerError)
  }
}

/** A failure of the app's onError handler itself. */
function warnAbout (handlerError: unknown): void {
  warnOnce(handlerError instanceof Error ? handlerError : new Error(String(handlerError)))
}
