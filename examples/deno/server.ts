// A Deno server counting views in a signed-cookie session. With the package in node_modules
// (`deno install` or `npm install` beside this file's package.json):
//   SESSION_KEYS="$(openssl rand -base64 32)" deno run --allow-net --allow-env=SESSION_KEYS,PORT server.ts
import { fetchSession } from 'signed-cookie-session/fetch'

const keys = Deno.env.get('SESSION_KEYS')?.split(',') // newest first
if (!keys) throw new Error('set SESSION_KEYS, e.g. to the output of: openssl rand -base64 32')

const sessions = fetchSession({ keys, maxAge: 24 * 60 * 60 * 1000, sameSite: 'lax' })

Deno.serve({ hostname: '127.0.0.1', port: Number(Deno.env.get('PORT') ?? 8000) }, async (request) => {
  const scope = await sessions.load(request)
  if (request.method === 'POST' && new URL(request.url).pathname === '/reset') {
    scope.session = null
    return await scope.commit(new Response('session cleared\n'))
  }
  const session = scope.session!
  session.views = (session.views ?? 0) + 1
  return await scope.commit(new Response(`${session.views} views\n`))
})
