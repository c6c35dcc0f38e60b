// The session getSession gives: the tracked session every entry has (isNew, isChanged,
// isPopulated), whose save() and destroy() are iron-session's, the names its users know: save()
// writes the cookies through the cookie store now, destroy() clears them now. Like the Fastify
// adapter's get/set, they are never data, and only these sessions have them.
import { withMethods, type SessionState } from '../core/session.js'
import type { Session } from '../types.js'

/**
 * A session from `getSession`. (When src/types.ts gives `Session` a type parameter for the
 * session's data, this takes it too: `NextSession<Data> extends Session<Data>`.)
 */
export interface NextSession extends Session {
  /**
   * Writes the session's cookies through the cookie store now (with the `store` option, the store
   * first), even if unchanged, so its expiry starts again; a new empty session writes nothing.
   * Rejects with a `SessionWriteError` where the store cannot set cookies (a Next server
   * component), a `SessionTooLargeError` when the cookie would be over `maxSize`.
   */
  save (): Promise<void>
  /**
   * Ends the session: its data is emptied and its cookies are cleared through the cookie store at
   * once (throws a `SessionWriteError` where the store cannot set cookies). The promise settles
   * once a `store` has deleted the record (at once without one).
   */
  destroy (): Promise<void>
}

/** What the methods need of the request the session belongs to (adapters/next.ts). */
export interface NextHost {
  commit (): Promise<void>
  end (state: SessionState): Promise<void>
}

/** The names a session from getSession answers besides its data, for `host` (how a state finds its request). */
export function nextSessionApi (hostOf: (state: SessionState) => NextHost): ReturnType<typeof withMethods> {
  return withMethods({
    save: async (state: SessionState) => await hostOf(state).commit(),
    destroy: (state: SessionState) => hostOf(state).end(state)
  })
}
