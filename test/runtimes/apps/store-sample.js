// docs/fetch.md's store-mode Worker (linked from there), whole: sessions in a Durable Object. Its wrangler.toml:
//   [[durable_objects.bindings]]
//   name = "SESSIONS"
//   class_name = "Sessions"
//   [[migrations]]
//   tag = "v1"
//   new_sqlite_classes = ["Sessions"]
// and the secret SESSION_KEYS (comma-separated, newest first).
import { DurableObject } from 'cloudflare:workers'
import { fetchSession } from 'signed-cookie-session/fetch'

// One object holds every session: strongly consistent, so a logout is final everywhere.
export class Sessions extends DurableObject {
  async get (id) {
    const entry = await this.ctx.storage.get(id)
    return entry !== undefined && entry.expires > Date.now() ? entry.record : undefined
  }

  async set (id, record, maxAge) {
    await this.ctx.storage.put(id, { record, expires: Date.now() + maxAge })
  }

  async destroy (id) {
    await this.ctx.storage.delete(id)
  }
}

let sessions

export default {
  async fetch (request, env) {
    const object = () => env.SESSIONS.get(env.SESSIONS.idFromName('sessions'))
    sessions ??= fetchSession({
      keys: env.SESSION_KEYS.split(','),
      maxAge: 24 * 60 * 60 * 1000,
      // Plain async functions, not the stub itself (a stub answers to every method name).
      store: {
        get: async (id) => await object().get(id),
        set: async (id, record, maxAge) => { await object().set(id, record, maxAge) },
        destroy: async (id) => { await object().destroy(id) }
      }
    })
    const scope = await sessions(request)
    if (new URL(request.url).pathname === '/logout') {
      scope.session = null
      return await scope.commit(new Response('logged out\n'))
    }
    scope.session.views = (scope.session.views ?? 0) + 1
    return await scope.commit(new Response(`${scope.session.views} views\n`))
  }
}
