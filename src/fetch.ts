// The `signed-cookie-session/fetch` entry.
export { fetchSession } from './adapters/fetch.js'
export type { FetchErrorHandler, FetchSession, FetchSessionOptions, FetchSessions, FetchStoreSession, FetchStoreSessions } from './adapters/fetch.js'
