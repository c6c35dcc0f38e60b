// The `store` option: any express-session Store, checked when the middleware is created. The
// promise wrapper that calls it is core/store.ts.
import { SessionOptionError } from '../errors.js'

/** The callback interface of an express-session Store; express-session's `Store` class fits it. */
export interface StoreLike {
  get (sid: string, callback: (err: any, session?: any) => void): void
  set (sid: string, session: any, callback?: (err?: any) => void): void
  destroy (sid: string, callback?: (err?: any) => void): void
  touch? (sid: string, session: any, callback?: (err?: any) => void): void
}

/** The store as given, checked when the middleware is created. */
export function checkStore (value: unknown): StoreLike | undefined {
  if (value === undefined || value === null) return undefined
  const store = value as Partial<Record<keyof StoreLike, unknown>>
  const missing = (['get', 'set', 'destroy'] as const).filter((name) => typeof store[name] !== 'function')
  if (typeof value !== 'object' || missing.length > 0 || (store.touch !== undefined && typeof store.touch !== 'function')) {
    throw new SessionOptionError('option "store" must be an express-session Store (an object with get, set and destroy methods, ' +
      `and optionally touch), got ${typeof value !== 'object' ? typeof value : `an object without ${missing.join(', ') || 'a touch function'}`}`)
  }
  return value as StoreLike
}
