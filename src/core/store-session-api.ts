// The names a session answers in store mode besides the others: `id` (its id in the store, as
// express-session's `req.session.id`) and `cookie` (express-session's Cookie). Like the methods,
// they are never stored as data; with express-session's options `cookie` is listed among the
// session's keys, as it is there. An adapter's own API (Fastify's) gets them too.
import { withProperties, type SessionApi, type SessionState } from './session.js'

const STORE_PROPERTIES = Object.freeze({
  id: (state: SessionState) => state.host.sessionId?.(),
  cookie: (state: SessionState) => state.host.sessionCookie?.()
})

const made = new WeakMap<SessionApi, SessionApi>()
const madeShowing = new WeakMap<SessionApi, SessionApi>()
const COOKIE = Object.freeze(['cookie'])

/** `api` with store mode's `id` and `cookie`; `showCookie`: `cookie` is listed among the keys. */
export function storeApi (api: SessionApi, showCookie: boolean): SessionApi {
  const cache = showCookie ? madeShowing : made
  let withStore = cache.get(api)
  if (withStore === undefined) {
    withStore = withProperties(api, STORE_PROPERTIES, showCookie ? COOKIE : undefined)
    cache.set(api, withStore)
  }
  return withStore
}
