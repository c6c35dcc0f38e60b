// The `signed-cookie-session/fetch` entry.
export { fetchSession } from './adapters/fetch.js'
export type { FetchErrorHandler, FetchSession, FetchSessionOptions } from './adapters/fetch.js'
