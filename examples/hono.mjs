// The view counter on Hono, through the Fetch-API adapter. `app` is exported so it can run on any
// runtime Hono supports; run here with Node: node examples/hono.mjs
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { fetchSession } from 'signed-cookie-session/fetch'
import sessionKeys from './keys.js'

const sessions = fetchSession({ keys: sessionKeys(), maxAge: 24 * 60 * 60 * 1000, sameSite: 'lax' })

export const app = new Hono()

// The session middleware: read the session from the request, commit it onto the response.
app.use(async (c, next) => {
  const scope = await sessions(c.req.raw)
  c.set('session', scope)
  await next()
  c.res = await scope.commit(c.res)
})

app.get('/', (c) => {
  const { session } = c.get('session')
  session.views = (session.views || 0) + 1
  return c.text(`${session.views} views\n`)
})

app.get('/reset', (c) => {
  c.get('session').session = null
  return c.text('session cleared\n')
})

// Serve with Node when run directly (Bun and Deno can serve `app.fetch` as it is).
if (import.meta.url === `file://${process.argv[1]}`) {
  serve({ fetch: app.fetch, port: Number(process.env.PORT || 3000) }, ({ port }) => {
    console.log(`Listening on http://localhost:${port}/`)
  })
}
