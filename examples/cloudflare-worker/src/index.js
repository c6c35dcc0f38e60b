// A Cloudflare Worker on Hono counting views in a signed-cookie session.
import { Hono } from 'hono'
import { fetchSession } from 'signed-cookie-session/fetch'

// The keys are the SESSION_KEYS secret, which a Worker sees on `env`, given with each request. The
// session reader is made from them on the first request and kept for the isolate's lifetime:
// making one per request would check the options and import the keys every time.
let sessions
function sessionsFor (env) {
  if (!env.SESSION_KEYS) throw new Error('SESSION_KEYS is not set: openssl rand -base64 32 | npx wrangler secret put SESSION_KEYS')
  sessions ??= fetchSession({
    keys: env.SESSION_KEYS.split(','), // newest first
    maxAge: 24 * 60 * 60 * 1000,
    sameSite: 'lax'
  })
  return sessions
}

const app = new Hono()

// The session middleware: load the session before the route, commit it onto the response after.
app.use(async (c, next) => {
  const scope = await sessionsFor(c.env).load(c.req.raw)
  c.set('session', scope)
  await next()
  c.res = await scope.commit(c.res)
})

app.get('/', (c) => {
  const { session } = c.get('session')
  session.views = (session.views ?? 0) + 1
  return c.text(`${session.views} views\n`)
})

app.post('/reset', (c) => {
  c.get('session').session = null
  return c.text('session cleared\n')
})

export default app
