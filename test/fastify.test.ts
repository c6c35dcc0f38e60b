// What only the Fastify plugin has: registration (encapsulation, metadata, conflicts), the onSend
// write merged with the reply's other Set-Cookie lines (with and without @fastify/cookie), onError's
// (err, request, reply), the store mode's hooks and Fastify's error handling, and the methods
// Fastify's session plugins call. The behaviour every adapter shares runs on Fastify in
// test/adapters.test.ts.
import fastifyCookie from '@fastify/cookie'
import fastifySecureSession from '@fastify/secure-session'
import cookieSessionRef from 'cookie-session'
import { MemoryStore } from 'express-session'
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify'
import Keygrip from 'keygrip'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionOptionError, SessionStoreError, SessionTooLargeError, type SessionWriteFailure } from '../src/index.js'
import { fastifySession, type FastifySessionOptions } from '../src/fastify.js'
import { Browser } from './helpers/browser.js'
import { cookieFrom, serve, setCookieOf } from './helpers/apps.js'

const keys = ['a', 'b']
const HI = 'session=eyJtZXNzYWdlIjoiaGkifQ==; session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0'
const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64')
const sig = (line: string): string => new Keygrip(keys).sign(line)

const apps: FastifyInstance[] = []
afterEach(async () => {
  vi.useRealTimers()
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

function fastify (): FastifyInstance {
  const app = Fastify()
  apps.push(app)
  return app
}

/** An app with the plugin at the root and one route. */
async function app (options: FastifySessionOptions, route: (request: FastifyRequest, reply: FastifyReply) => unknown): Promise<FastifyInstance> {
  const app = fastify()
  await app.register(fastifySession, options)
  app.get('/', async (request, reply) => await route(request, reply) ?? null)
  return app
}

async function get (app: FastifyInstance, cookie?: string, url = '/') {
  const res = await app.inject({ method: 'GET', url, headers: cookie === undefined ? {} : { cookie } })
  return { status: res.statusCode, body: res.body, setCookie: setCookieOf(res.headers) }
}

describe('registering', () => {
  it('reaches routes in encapsulated plugins registered after it at the root', async () => {
    const root = fastify()
    await root.register(fastifySession, { keys })
    await root.register(async (child) => {
      child.get('/child', async (request) => { request.session!.message = 'hi'; return 'ok' })
    })
    expect((await get(root, undefined, '/child')).setCookie).toEqual([
      'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly',
      'session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0; path=/; httponly'
    ])
  })

  it('registered inside a plugin, serves that plugin\'s routes only', async () => {
    const root = fastify()
    await root.register(async (child) => {
      await child.register(fastifySession, { keys })
      child.get('/inside', async (request) => { request.session!.message = 'hi'; return typeof request.session })
    })
    root.get('/outside', async (request) => typeof request.session)
    const inside = await get(root, HI, '/inside')
    const outside = await get(root, HI, '/outside')
    expect([inside.body, inside.setCookie.length, outside.body, outside.setCookie]).toEqual(['object', 0, 'undefined', []])
  })

  it('is known to Fastify by name, so other plugins can depend on it', async () => {
    const dependent = Object.assign(async () => {}, {
      [Symbol.for('plugin-meta')]: { name: 'needs-session', dependencies: ['signed-cookie-session'] }
    })
    const withIt = fastify()
    await withIt.register(fastifySession, { keys })
    await withIt.register(dependent)
    expect(withIt.hasPlugin('signed-cookie-session')).toBe(true)
    await expect(fastify().register(dependent).ready()).rejects.toThrow(/signed-cookie-session/)
  })

  it('throws a SessionOptionError naming an invalid option', async () => {
    const app = fastify()
    await expect(app.register(fastifySession, { keys, maxAge: -1 })).rejects.toThrow(
      new SessionOptionError('option "maxAge" must be a non-negative finite number of milliseconds, got -1'))
  })

  it('refuses a second session plugin in the same context chain, saying so', async () => {
    const app = fastify()
    await app.register(fastifySession, { keys })
    await expect(app.register(async (child) => { await child.register(fastifySession, { keys, name: 'other' }) })).rejects.toThrow(
      new SessionOptionError('request.session is already defined in this Fastify context (by another session plugin, or this one ' +
        'registered twice): register one session plugin, once, at the root'))
  })

  it('refuses to join @fastify/secure-session, which defines request.session too', async () => {
    const app = fastify()
    await app.register(fastifySecureSession, { key: Buffer.alloc(32, 1) })
    await expect(app.register(fastifySession, { keys })).rejects.toThrow(SessionOptionError)
  })

  it('serves sibling plugins with their own sessions, each with its own cookie', async () => {
    const root = fastify()
    for (const name of ['admin', 'shop']) {
      await root.register(async (child) => {
        await child.register(fastifySession, { keys, name })
        child.get(`/${name}`, async (request) => { request.session!.in = name; return 'ok' })
      })
    }
    expect((await get(root, undefined, '/admin')).setCookie[0]).toBe(`admin=${b64({ in: 'admin' })}; path=/; httponly`)
    expect((await get(root, undefined, '/shop')).setCookie[0]).toBe(`shop=${b64({ in: 'shop' })}; path=/; httponly`)
  })
})

describe('request.session', () => {
  it('is read in hooks registered after the plugin, and written once for the response', async () => {
    const app = fastify()
    await app.register(fastifySession, { keys })
    app.addHook('preHandler', async (request) => { request.session!.seen = (request.session!.seen ?? 0) + 1 })
    app.get('/', async (request) => request.session!.seen)
    const res = await get(app)
    expect([res.body, res.setCookie]).toEqual(['1', [`session=${b64({ seen: 1 })}; path=/; httponly`, `session.sig=${sig(`session=${b64({ seen: 1 })}`)}; path=/; httponly`]])
  })

  it('is written with an error response too (the route threw after changing it)', async () => {
    const res = await get(await app({ keys }, (request) => {
      request.session!.tried = true
      throw new Error('boom')
    }))
    expect(res.status).toBe(500)
    expect(JSON.parse(res.body).message).toBe('boom')
    expect(res.setCookie[0]).toBe(`session=${b64({ tried: true })}; path=/; httponly`)
  })

  it('has get, set, data and regenerate(fields), as Fastify\'s session plugins call them', async () => {
    const res = await get(await app({ keys }, async (request) => {
      const session = request.session!
      session.set('cart', ['tea'])
      session.set('theme', 'dark')
      session.set('theme', undefined)
      const before = [session.get('message'), session.get('cart'), session.get('save'), session.data(), Object.keys(session)]
      await session.regenerate(['cart', 'missing'])
      return [before, request.session!.data(), request.session!.isNew, session.get('message')]
    }), HI)
    expect(JSON.parse(res.body)).toEqual([
      ['hi', ['tea'], null, { message: 'hi', cart: ['tea'] }, ['message', 'cart']],
      { cart: ['tea'] }, true, 'hi'
    ])
    expect(res.setCookie[0]).toBe(`session=${b64({ cart: ['tea'] })}; path=/; httponly`)
  })

  it('refuses set() of an API name, and regenerate() of anything but field names', async () => {
    const res = await get(await app({ keys }, (request) => {
      const session = request.session!
      const errors = []
      for (const call of [() => session.set('isNew', 1), () => session.regenerate([1] as never), () => session.get(1 as never)]) {
        try { call() } catch (err) { errors.push(`${(err as Error).name}: ${(err as Error).message}`) }
      }
      return errors
    }))
    expect(JSON.parse(res.body)).toEqual([
      'TypeError: request.session.set("isNew"): "isNew" is a name of the session\'s API, not data',
      'TypeError: request.session.regenerate(fields): fields must be an array of session field names',
      'TypeError: request.session.get(key): key must be a string'
    ])
  })

  it('keeps get, set and data off the other adapters\' sessions (they stay data there)', async () => {
    const express = serve(cookieSession({ keys }), (req) => {
      req.session.get = 'data'
      return [typeof req.session.set, req.session.get, Object.keys(req.session)]
    })
    expect((await express.get()).body).toEqual(['undefined', 'data', ['get']])
  })

  it('reads a cookie carrying a field named like a Fastify method, keeps it in the cookie, and does not show it', async () => {
    const written = `session=${b64({ get: 1, user: 'ann' })}`
    const cookie = `${written}; session.sig=${sig(written)}`
    const res = await get(await app({ keys }, (request) => {
      request.session!.visits = 1
      return [typeof request.session!.get, Object.keys(request.session!)]
    }), cookie)
    expect(JSON.parse(res.body)).toEqual(['function', ['user', 'visits']])
    expect(res.setCookie[0]).toBe(`session=${b64({ get: 1, user: 'ann', visits: 1 })}; path=/; httponly`)
  })
})

describe('Set-Cookie lines of the route and other plugins', () => {
  it('are kept beside the session\'s, and one of the session\'s own name is replaced (overwrite)', async () => {
    const res = await get(await app({ keys }, (request, reply) => {
      reply.header('set-cookie', 'theme=dark; Path=/')
      reply.header('set-cookie', ['lang=en; Path=/', 'session=stale; Path=/'])
      request.session!.message = 'hi'
    }))
    expect(res.setCookie).toEqual([
      'theme=dark; Path=/',
      'lang=en; Path=/',
      'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly',
      'session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0; path=/; httponly'
    ])
  })

  it('include a line set on reply.raw', async () => {
    const res = await get(await app({ keys }, (request, reply) => {
      reply.raw.setHeader('set-cookie', 'raw=1')
      request.session!.message = 'hi'
    }))
    expect(res.setCookie.slice(0, 2)).toEqual(['raw=1', 'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly'])
  })

  it.each(['before', 'after'])('include reply.setCookie() lines of @fastify/cookie registered %s the plugin', async (order) => {
    const app = fastify()
    if (order === 'before') await app.register(fastifyCookie)
    await app.register(fastifySession, { keys })
    if (order === 'after') await app.register(fastifyCookie)
    app.get('/', async (request, reply) => {
      reply.setCookie('theme', 'dark', { path: '/' })
      request.session!.message = 'hi'
      return request.cookies.theme ?? 'none'
    })
    const res = await get(app)
    expect(res.body).toBe('none')
    expect([...res.setCookie].sort()).toEqual([
      'session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0; path=/; httponly',
      'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly',
      'theme=dark; Path=/; SameSite=Lax'
    ])
    // The session reads back beside @fastify/cookie's parsing of the same Cookie header.
    const next = await app.inject({ url: '/', headers: { cookie: `${cookieFrom(res.setCookie)}` } })
    expect(next.body).toBe('dark')
  })

  it('with @fastify/cookie, a route\'s clearCookie() of another cookie and a session destroy both go out', async () => {
    const app = fastify()
    await app.register(fastifyCookie)
    await app.register(fastifySession, { keys })
    app.get('/', async (request, reply) => {
      reply.clearCookie('theme')
      request.session = null
      return 'bye'
    })
    const res = await get(app, `${HI}; theme=dark`)
    expect(res.setCookie).toEqual([
      'theme=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; SameSite=Lax',
      `session=; path=/; ${EPOCH}; httponly`,
      `session.sig=${sig('session=')}; path=/; ${EPOCH}; httponly`
    ])
  })
})

describe('errors', () => {
  it('sends a session too large without its cookie, and tells onError with the request and reply', async () => {
    const told: unknown[] = []
    const onError = (err: SessionWriteFailure, request: FastifyRequest, reply: FastifyReply) => {
      told.push(err, reply.request === request, request.url)
    }
    const res = await get(await app({ keys, onError }, (request, reply) => {
      reply.header('set-cookie', 'theme=dark')
      request.session!.blob = 'x'.repeat(5000)
      return 'ok'
    }))
    expect([res.status, res.body, res.setCookie]).toEqual([200, 'ok', ['theme=dark']])
    expect(told[0]).toBeInstanceOf(SessionTooLargeError)
    expect((told[0] as SessionTooLargeError).limit).toBe(4093)
    expect(told.slice(1)).toEqual([true, '/'])
  })

  it('hands onError a failure reported before the reply existed (a validate hook\'s rejected promise), once the response goes out', async () => {
    const told: unknown[] = []
    const validate = () => Promise.reject(new Error('late')) as unknown as boolean
    const res = await get(await app({ keys, validate, onError: (err, request, reply) => { told.push(err.message, reply.request === request) } }, (request) => {
      try { return request.session!.message } catch (err) { return (err as Error).message }
    }), HI)
    expect(res.body).toMatch(/^option "validate" must return a boolean, not a Promise/)
    expect(told).toEqual(['session cookie not written: late', true])
  })
})

describe('with a store', () => {
  /** A MemoryStore whose set and get can be made to fail, and whose set takes a while. */
  function store () {
    const memory = new MemoryStore()
    const faults = { get: false, set: false }
    const log: string[] = []
    const original = { get: memory.get.bind(memory), set: memory.set.bind(memory) }
    memory.get = (id, cb) => faults.get ? cb(new Error('store down')) : original.get(id, cb)
    memory.set = (id, session, cb) => {
      setTimeout(() => {
        if (faults.set) return cb?.(new Error('store full'))
        log.push('set')
        original.set(id, session, cb)
      }, 30)
    }
    return { memory, faults, log }
  }

  it('loads in onRequest, writes the store before the response, and reads it back', async () => {
    const { memory, log } = store()
    const app = fastify()
    await app.register(fastifySession, { keys, store: memory })
    app.get('/', async (request) => {
      request.session!.views = (request.session!.views ?? 0) + 1
      return request.session!.views
    })
    const first = await app.inject('/')
    log.push('response')
    expect(first.body).toBe('1')
    expect(log).toEqual(['set', 'response'])
    expect(setCookieOf(first.headers)[0]).toMatch(/^session=[\w-]{43}; path=\/; httponly$/)
    const second = await app.inject({ url: '/', headers: { cookie: cookieFrom(setCookieOf(first.headers)) } })
    expect(second.body).toBe('2')
    expect(setCookieOf(second.headers)).toEqual([])
  })

  it('answers a store failure while loading with Fastify\'s error response, and a custom error handler gets the SessionStoreError', async () => {
    const { memory, faults } = store()
    const app = fastify()
    await app.register(fastifySession, { keys, store: memory })
    app.get('/', async (request) => { request.session!.user = 'ann'; return 'ok' })
    const cookie = cookieFrom(setCookieOf((await app.inject('/')).headers))
    faults.get = true
    const res = await app.inject({ url: '/', headers: { cookie } })
    expect(res.statusCode).toBe(500)
    expect(JSON.parse(res.body)).toMatchObject({ statusCode: 500, code: 'ERR_SESSION_STORE' })
    expect(setCookieOf(res.headers)).toEqual([])

    const handled = fastify()
    const seen: unknown[] = []
    handled.setErrorHandler(async (err, _request, reply) => {
      seen.push(err)
      return await reply.code(503).send('try later')
    })
    await handled.register(fastifySession, { keys, store: memory })
    handled.get('/', async () => 'never')
    const answered = await handled.inject({ url: '/', headers: { cookie } })
    expect([answered.statusCode, answered.body]).toEqual([503, 'try later'])
    expect(seen[0]).toBeInstanceOf(SessionStoreError)
    expect((seen[0] as SessionStoreError).operation).toBe('get')
  })

  it('answers a store failure while saving with Fastify\'s error response instead of the route\'s, without a cookie', async () => {
    const { memory, faults } = store()
    faults.set = true
    const res = await get(await app({ keys, store: memory }, (request) => { request.session!.user = 'ann'; return 'saved?' }))
    expect(res.status).toBe(500)
    // The store's own text may carry a connection string: it is the cause, never in the message.
    expect(JSON.parse(res.body)).toMatchObject({ code: 'ERR_SESSION_STORE', message: expect.not.stringContaining('store full') })
    expect(res.setCookie).toEqual([])
  })

  it('regenerate(fields) deletes the old record and keeps the fields under a new id', async () => {
    const { memory } = store()
    const app = fastify()
    await app.register(fastifySession, { keys, store: memory })
    app.post('/cart', async (request) => { request.session!.cart = ['tea']; request.session!.other = 1; return 'ok' })
    app.post('/login', async (request) => {
      await request.session!.regenerate(['cart'])
      request.session!.user = 'ann'
      return request.session!.data()
    })
    const browser = new Browser()
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    await browser.post(`${url}/cart`)
    const before = browser.cookies.get('session')
    const login = await browser.post(`${url}/login`)
    expect(login.body).toEqual({ cart: ['tea'], user: 'ann' })
    expect(browser.cookies.get('session')).not.toBe(before)
    // Session records only: a destroy leaves a tombstone, `<id>.gone`, so no request in flight brings the record back.
    const ids = await new Promise<string[]>((resolve) => memory.all((_, all) => resolve(Object.keys(all ?? {}).filter((id) => !id.endsWith('.gone')))))
    expect(ids).toEqual([browser.cookies.get('session')])
  })
})

describe('over real HTTP', () => {
  it('counts with a browser\'s cookies, re-issues an old-key cookie, and destroys', async () => {
    const app = fastify()
    await app.register(fastifySession, { keys: ['new', 'old'], maxAge: 60_000, sameSite: 'lax' })
    app.get('/', async (request) => {
      request.session!.views = (request.session!.views ?? 0) + 1
      return `${request.session!.views} views`
    })
    app.get('/reset', async (request) => { request.session = null; return 'cleared' })
    const url = await app.listen({ port: 0, host: '127.0.0.1' })
    const browser = new Browser()
    const written = `session=${b64({ views: 1 })}`
    browser.cookies.set('session', b64({ views: 1 }))
    browser.cookies.set('session.sig', new Keygrip(['old']).sign(written))
    const second = await browser.get(url)
    expect(second.body).toBe('2 views')
    expect(second.setCookie[1]).toMatch(new RegExp(`^session\\.sig=${new Keygrip(['new']).sign(`session=${b64({ views: 2 })}`)}; path=/; expires=[^;]+; samesite=lax; httponly$`))
    expect((await browser.get(url)).body).toBe('3 views')
    const reset = await browser.get(`${url}/reset`)
    expect(reset.setCookie[0]).toBe(`session=; path=/; ${EPOCH}; samesite=lax; httponly`)
    expect((await browser.get(url)).body).toBe('1 views')
  })
})

describe('cookie-session 2.1.1 and Fastify', () => {
  const options = { keys, maxAge: 3_600_000, sameSite: 'lax' as const }

  it('write the same Set-Cookie lines for the same request', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2025-01-02T03:04:05Z'))
    const route = (session: Record<string, unknown>) => { session.user = 'ann'; session.cart = [1, 2] }
    const theirs = await serve(cookieSessionRef(options) as never, (req) => { route(req.session) }).get()
    const ours = await get(await app(options, (request) => { route(request.session!) }))
    expect(ours.setCookie).toEqual(theirs.setCookie)
    expect(ours.setCookie[0]).toBe(`session=${b64({ user: 'ann', cart: [1, 2] })}; path=/; expires=Thu, 02 Jan 2025 04:04:05 GMT; samesite=lax; httponly`)
  })

  it('read each other\'s cookies, both ways', async () => {
    const theirs = serve(cookieSessionRef(options) as never, (req) => {
      req.session.n = (req.session.n ?? 0) + 1
      return req.session.n
    })
    const ours = await app(options, (request) => {
      request.session!.n = (request.session!.n ?? 0) + 1
      return request.session!.n
    })
    const first = await theirs.get()
    const second = await get(ours, cookieFrom(first.setCookie))
    const third = await theirs.get(cookieFrom(second.setCookie))
    expect([first.body, second.body, third.body]).toEqual([1, '2', 3])
  })
})
