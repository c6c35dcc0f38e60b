// The service behind the suite's Workers KV binding. workerd implements a `kvNamespace` binding as
// a client: env.NAMESPACE.get/put/delete become HTTP requests to the service the capnp config names
// (GET, PUT or DELETE https://fake-host/<percent-encoded key>?urlencoded=true, a PUT's lifetime in
// expiration_ttl seconds or expiration, a Unix time; 404 for a missing key). Cloudflare serves it
// from KV itself, miniflare from a Worker of its own; this one keeps each key in a Durable Object's
// storage (workerd's own, in memory for the suite's run). It refuses what production KV refuses
// that a session store could do by mistake (a TTL under 60 s, an expiration within 60 s) and
// anything it does not implement, so a store that relied on either fails here.

/** The least lifetime KV accepts, in seconds. */
const MIN_TTL = 60

export class Namespace {
  constructor (state) {
    this.storage = state.storage
  }

  async fetch (request) {
    const url = new URL(request.url)
    if (url.searchParams.get('urlencoded') !== 'true' || url.pathname.length < 2) return refuse(501, `not implemented: ${request.method} ${url.pathname}${url.search}`)
    const key = decodeURIComponent(url.pathname.slice(1))
    switch (request.method) {
      case 'GET': {
        const entry = await this.storage.get(key)
        if (entry === undefined || entry.expires <= Date.now()) return new Response(null, { status: 404 })
        return new Response(entry.value)
      }
      case 'PUT': {
        const now = Date.now()
        const ttl = url.searchParams.get('expiration_ttl')
        const at = url.searchParams.get('expiration')
        let expires = Infinity
        if (ttl !== null) {
          if (!(Number(ttl) >= MIN_TTL)) return refuse(400, `Invalid expiration_ttl of ${ttl}. Expiration TTL must be at least ${MIN_TTL}.`)
          expires = now + Number(ttl) * 1000
        } else if (at !== null) {
          if (!(Number(at) * 1000 >= now + MIN_TTL * 1000)) return refuse(400, `Invalid expiration of ${at}. Expiration times must be at least ${MIN_TTL} seconds in the future.`)
          expires = Number(at) * 1000
        }
        await this.storage.put(key, { value: await request.arrayBuffer(), expires })
        return new Response(null)
      }
      case 'DELETE':
        await this.storage.delete(key)
        return new Response(null)
      default:
        return refuse(501, `not implemented: ${request.method}`)
    }
  }
}

function refuse (status, message) {
  return new Response(message, { status })
}

export default {
  /** One namespace, one object: every key in one place, as consistent as a single KV location. */
  fetch (request, env) {
    return env.NAMESPACE.get(env.NAMESPACE.idFromName('namespace')).fetch(request)
  }
}
