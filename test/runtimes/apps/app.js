// The conformance app: each profile of profiles.js under its own prefix, with its own fetchSession.
// Deno, Bun and Node serve this module as it is; workerd and edge-runtime get it bundled.
// Answers with the session as JSON (`null` once destroyed), and what onError got, if anything,
// in the x-session-error header.
import { fetchSession } from 'signed-cookie-session/fetch'
import { ACTIONS, PROFILES, act } from './profiles.js'

/** onError's reports, by request: they arrive during commit, the header goes on after it. */
const failures = new WeakMap()
const onError = (err, request) => { failures.set(request, err) }
const readers = new Map(Object.entries(PROFILES).map(([name, options]) => [name, fetchSession({ ...options, onError })]))

async function handle (request) {
  const url = new URL(request.url)
  const [, profile, action] = url.pathname.split('/')
  const sessions = readers.get(profile)
  if (sessions === undefined || !ACTIONS.includes(action)) return new Response('not found\n', { status: 404 })
  const scope = await sessions.load(request)
  const kept = act(action, scope.session, url.searchParams)
  if (kept === null) scope.session = null
  const response = await scope.commit(new Response(JSON.stringify(kept)))
  const err = failures.get(request)
  if (err !== undefined) response.headers.set('x-session-error', `${err.name} ${err.code}`)
  return response
}

export default {
  async fetch (request) {
    try {
      return await handle(request)
    } catch (err) {
      // The runtime's own error, for the suite's failure message (a runtime's 500 page says less).
      return new Response(`${err?.stack ?? err}\n`, { status: 500 })
    }
  }
}
