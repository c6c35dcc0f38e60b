// The view counter on Fastify: node examples/fastify.mjs
import Fastify from 'fastify'
import { fastifySession } from 'signed-cookie-session/fastify'
import sessionKeys from './keys.js'

const app = Fastify()
// At the root, before the routes: the plugin is not encapsulated, so every route gets request.session.
await app.register(fastifySession, { keys: sessionKeys(), maxAge: 24 * 60 * 60 * 1000, sameSite: 'lax' })

app.get('/', async (request) => {
  request.session.views = (request.session.views || 0) + 1
  return `${request.session.views} views\n`
})

app.get('/reset', async (request) => {
  request.session = null
  return 'session cleared\n'
})

await app.listen({ port: Number(process.env.PORT || 3000) })
console.log(`Listening on http://localhost:${app.server.address().port}/`)
