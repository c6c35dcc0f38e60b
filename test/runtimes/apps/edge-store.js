// Store mode on workerd: the Fetch entry with `store`, backed by workerd's own storage in two ways,
// each under its own prefix: /kv/... a Workers KV namespace binding (KV_SESSIONS), /do/... a
// Durable Object (DO_SESSIONS, class SessionStore below). Both stores are koa-session-style
// promise stores (async get, set, destroy), as a user would write them.
//
// Routes, answering with the session as JSON (null once destroyed):
//   /<backing>/read                  nothing changes
//   /<backing>/set?key=K&value=V     session[K] = V
//   /<backing>/destroy               session = null (a logout)
//   /<backing>/both?first=OP&second=OP  two requests carrying the same cookie, both loaded before
//       either commits, then committed first, second; OP is set:K:V or destroy. Answers
//       { first, second }, each { body, setCookies }.
//   /<backing>/late?op=OP            the same two requests, the write made to happen inside a
//       logout: the second's store write of the record is held until the first (a logout) has
//       completed. Answers { logout, late }, each the Set-Cookie lines.
//   /<backing>/peek?id=ID            what the store holds: { record, tombstone } (ID and ID.gone)
import { DurableObject } from 'cloudflare:workers'
import { fetchSession } from 'signed-cookie-session/fetch'

/** A Workers KV namespace as a session store. KV keeps a key at least 60 s. */
export function kvStore (kv) {
  return {
    async get (id) {
      return await kv.get(id, 'json') ?? undefined
    },
    async set (id, record, maxAge) {
      await kv.put(id, JSON.stringify(record), { expirationTtl: Math.max(60, Math.ceil(maxAge / 1000)) })
    },
    async destroy (id) {
      await kv.delete(id)
    }
  }
}

/** Sessions in a Durable Object's storage: one object, strongly consistent. */
export class SessionStore extends DurableObject {
  async get (id) {
    const entry = await this.ctx.storage.get(id)
    return entry === undefined || entry.expires <= Date.now() ? undefined : entry.record
  }

  async set (id, record, maxAge) {
    await this.ctx.storage.put(id, { record, expires: Date.now() + maxAge })
  }

  async destroy (id) {
    await this.ctx.storage.delete(id)
  }
}

/**
 * A wrapper, not the stub itself: a stub answers every property name with a method, so it would
 * look like an express-session Store (callbacks), and the store's third argument (the Request)
 * need not cross to the object.
 */
export function durableObjectStore (namespace) {
  const object = () => namespace.get(namespace.idFromName('sessions'))
  return {
    get: async (id) => await object().get(id),
    set: async (id, record, maxAge) => { await object().set(id, record, maxAge) },
    destroy: async (id) => { await object().destroy(id) }
  }
}

/** Set by /late: the next write of a record (not of a tombstone) waits for `released`. */
let hold

/** `store` with its writes held when /late asks: the suite's instrument, not part of a store. */
function held (store) {
  return {
    ...store,
    async set (id, record, maxAge) {
      if (hold !== undefined && !id.endsWith('.gone')) {
        const { reached, released } = hold
        hold = undefined
        reached()
        await released
      }
      await store.set(id, record, maxAge)
    }
  }
}

const failures = new WeakMap()
const onError = (err, request) => { failures.set(request, err) }

/** The readers, made on the first request: the bindings arrive with it. */
let readers
function readersFor (env) {
  readers ??= new Map([
    ['kv', { sessions: fetchSession({ keys: [env.SESSION_KEY], maxAge: 60 * 60 * 1000, store: held(kvStore(env.KV_SESSIONS)), onError }), store: kvStore(env.KV_SESSIONS) }],
    ['do', { sessions: fetchSession({ keys: [env.SESSION_KEY], maxAge: 60 * 60 * 1000, store: held(durableObjectStore(env.DO_SESSIONS)), onError }), store: durableObjectStore(env.DO_SESSIONS) }]
  ])
  return readers
}

/** Applies OP (set:K:V, or destroy) to a loaded session. */
function apply (scope, op) {
  if (op === 'destroy') {
    scope.session = null
    return
  }
  const [verb, key, value] = op.split(':')
  if (verb !== 'set' || key === undefined || value === undefined) throw new Error(`no such operation: ${op}`)
  scope.session[key] = value
}

async function answer (sessions, request, op) {
  const scope = await sessions(request)
  if (op !== undefined) apply(scope, op)
  const response = await scope.commit(new Response(JSON.stringify(scope.session)))
  const err = failures.get(request)
  if (err !== undefined) response.headers.set('x-session-error', `${err.name} ${err.code}`)
  return response
}

async function handle (request, env) {
  const url = new URL(request.url)
  const [, backing, action] = url.pathname.split('/')
  const reader = readersFor(env).get(backing)
  if (reader === undefined) return new Response('not found\n', { status: 404 })
  const { sessions, store } = reader
  const params = url.searchParams
  switch (action) {
    case 'read':
      return await answer(sessions, request)
    case 'set':
      return await answer(sessions, request, `set:${params.get('key')}:${params.get('value')}`)
    case 'destroy':
      return await answer(sessions, request, 'destroy')
    case 'both': {
      const copies = [new Request(request), new Request(request)]
      const scopes = await Promise.all(copies.map((copy) => sessions(copy)))
      apply(scopes[0], params.get('first'))
      apply(scopes[1], params.get('second'))
      const replies = []
      for (const scope of scopes) {
        const body = JSON.stringify(scope.session)
        const committed = await scope.commit(new Response(body))
        replies.push({ body: JSON.parse(body), setCookies: committed.headers.getSetCookie() })
      }
      return Response.json({ first: replies[0], second: replies[1] })
    }
    case 'late': {
      const [logout, late] = await Promise.all([new Request(request), new Request(request)].map((copy) => sessions(copy)))
      apply(logout, 'destroy')
      apply(late, params.get('op'))
      let reached, release
      const reaching = new Promise((resolve) => { reached = resolve })
      hold = { reached, released: new Promise((resolve) => { release = resolve }) }
      // The late request reads the record (still there), then its write waits...
      const writing = late.commit(new Response('late'))
      await Promise.race([reaching, writing])
      hold = undefined
      // ...while the logout completes; then the write lands.
      const loggedOut = await logout.commit(new Response('logout'))
      release()
      const written = await writing
      return Response.json({ logout: loggedOut.headers.getSetCookie(), late: written.headers.getSetCookie() })
    }
    case 'peek': {
      const id = params.get('id')
      const [record, tombstone] = await Promise.all([store.get(id), store.get(`${id}.gone`)])
      return Response.json({ record: record ?? null, tombstone: tombstone ?? null })
    }
    default:
      return new Response('not found\n', { status: 404 })
  }
}

export default {
  async fetch (request, env) {
    try {
      return await handle(request, env)
    } catch (err) {
      return new Response(`${err?.stack ?? err}\n`, { status: 500 })
    }
  }
}
