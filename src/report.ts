// Where failures go when the app gave no `onError`: one warning per error code through the
// platform (Node: process.emitWarning, so a busy server does not flood its log) and a trace line
// (Node: NODE_DEBUG=signed-cookie-session).
import { escapeControls, SessionWriteError } from './errors.js'
import type { Platform } from './platform/types.js'

const warned = new Set<string>()

const ONCE = ' (This warning is shown once per error code; to see every occurrence, give the "onError" option, ' +
  'or run with NODE_DEBUG=signed-cookie-session.)'

export function warnOnce (platform: Platform, err: Error & { code?: string }): void {
  const message = escapeControls(err.message)
  platform.debug('session cookie not written: %s', message)
  const code = err.code ?? err.name
  if (warned.has(code)) return
  warned.add(code)
  platform.warn(message + ONCE, code)
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
