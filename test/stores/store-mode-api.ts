// Store mode as issue 13 specifies it, loaded from the built package as users load it. The
// package's types do not have the `store` option yet, so this module states the expected API.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { Store } from 'express-session'
import type Koa from 'koa'

/** The code of the error a store failure gives (assumed name; the implementation must match it). */
export const STORE_ERROR_CODE = 'ERR_SESSION_STORE'
/** The class of that error, exported by the package (assumed name). */
export const STORE_ERROR_NAME = 'SessionStoreError'

export interface StoreModeOptions {
  keys: string[]
  /** Any express-session Store (callback interface: get, set, destroy, optional touch). */
  store?: Store
  name?: string
}

type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void

export interface LoadedSession {
  session: any
  /** May return a Promise in store mode: the tests await whatever it returns. */
  commit<T extends Response> (response: T): T | Promise<T>
}

const load = createRequire(import.meta.url)

export const pkg = load('signed-cookie-session') as {
  cookieSession: (options: StoreModeOptions) => NodeMiddleware
  [name: string]: unknown
}
export const { koaSession } = load('signed-cookie-session/koa') as {
  koaSession: (options: StoreModeOptions) => Koa.Middleware
}
export const { fetchSession } = load('signed-cookie-session/fetch') as {
  fetchSession: (options: StoreModeOptions) => {
    /** The async entry point of store mode (assumed name). */
    load (request: Request): Promise<LoadedSession>
  }
}
export const cookieSession = pkg.cookieSession
