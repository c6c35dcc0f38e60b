// The SessionStoreErrors of the store drivers. A store's own error text can carry a connection
// string, a host name or a password (mysql2 and node-redis put them in messages), and our messages
// reach logs and error pages: so a message names the operation and the error's class and code,
// never its text. The store's error itself stays available as `cause`.
import { escapeControls, SessionStoreError } from '../errors.js'

/** What a driver was doing: the store method, or the part of one of our operations, that failed. */
export type StoreOperation = 'get' | 'set' | 'touch' | 'destroy' | 'all'

/** `cause`'s class and code, for a message: e.g. `Error, code ECONNREFUSED`, `a string`. */
export function describeCause (cause: unknown): string {
  if (cause === null || cause === undefined) return String(cause)
  if (typeof cause !== 'object' && typeof cause !== 'function') return `a ${typeof cause}`
  const { name, code } = cause as { name?: unknown, code?: unknown }
  // Many libraries leave `name` as 'Error' on their own classes (node-redis's ClientOfflineError).
  const constructorName = token((cause as { constructor?: { name?: unknown } }).constructor?.name)
  const ownName = token(name)
  const className = (ownName === 'Error' ? constructorName : ownName) ?? ownName ?? constructorName ?? 'an object'
  const codeText = typeof code === 'number' ? String(code) : token(code)
  return codeText === undefined ? className : `${className}, code ${codeText}`
}

/** `value` when it is a short identifier-like string (a class name, an error code), else undefined. */
function token (value: unknown): string | undefined {
  return typeof value === 'string' && /^[A-Za-z0-9_$][\w$.-]{0,63}$/.test(value) ? value : undefined
}

/** The store failed `operation`: a SessionStoreError whose message carries no text of the store's. */
export function storeFailure (operation: StoreOperation, cause: unknown): SessionStoreError {
  return worded(new SessionStoreError(operation, cause), `session store ${operation} failed (${describeCause(cause)})`)
}

/** The store neither answered nor failed `operation` within `ms`. */
export function storeTimeout (operation: StoreOperation, ms: number): SessionStoreError {
  return worded(new SessionStoreError(operation, undefined), `session store ${operation} timed out after ${ms} ms`)
}

/** The store answered `operation` with something no store of its kind answers (e.g. a number for a record). */
export function storeAnswer (operation: StoreOperation, what: string): SessionStoreError {
  return worded(new SessionStoreError(operation, undefined), `session store ${operation} answered ${what}`)
}

/**
 * `err` with `message` instead of the one SessionStoreError words from its cause's text. The stack
 * trace's first line is made from the message when it is first read, after this.
 */
function worded (err: SessionStoreError, message: string): SessionStoreError {
  Object.defineProperty(err, 'message', { value: escapeControls(message), writable: true, configurable: true, enumerable: false })
  return err
}

/** `err` if it is already one of ours, else a failure of `operation` caused by it. */
export function asStoreError (operation: StoreOperation, err: unknown): SessionStoreError {
  return err instanceof SessionStoreError ? err : storeFailure(operation, err)
}
