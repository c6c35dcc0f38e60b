// The same cookies read by the Fetch entry, from the Request itself: what a handler shared with a
// Hono or Workers app would use. fetchSession checks its options when it is called, so it is
// called at the first request: `next build` loads this module without SESSION_KEYS.
import { fetchSession, type FetchSessions } from 'signed-cookie-session/fetch'
import { sessionOptions } from '@/lib/session'

let sessions: FetchSessions | undefined

export async function sessionJson (request: Request) {
  sessions ??= fetchSession(sessionOptions)
  const { session } = await sessions(request)
  return Response.json(session)
}
