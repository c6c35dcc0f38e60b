// Every adapter behind one interface, so one behaviour suite runs against all of them.
import http from 'node:http'
import Fastify from 'fastify'
import { Hono } from 'hono'
import Koa from 'koa'
import request from 'supertest'
import { cookieSession } from '../../src/index.js'
import { fastifySession } from '../../src/fastify.js'
import { fetchSession, type FetchSession } from '../../src/fetch.js'
import { koaSession } from '../../src/koa.js'
import { frameworks, headerOf, serve, setCookieOf, type Req } from './apps.js'

/** What a handler sees, whatever the framework: the session, its options, the request headers; it may set response headers. */
export interface Handle {
  session: any
  sessionOptions: any
  header (name: string): string | undefined
  setHeader (name: string, value: string): void
}
export type Handler = (s: Handle) => unknown

export interface Response {
  status: number
  body: any
  setCookie: string[]
  /** A response header as it arrived (undefined when absent). */
  header (name: string): string | undefined
}

export interface Adapter {
  name: string
  serve (options: object, handler: Handler): { get (cookie?: string, headers?: Record<string, string>, path?: string): Promise<Response> }
}

type Holder = { session: unknown, sessionOptions: unknown }
function handle (holder: Holder, header: (name: string) => string | undefined, setHeader: (name: string, value: string) => void): Handle {
  return {
    get session () { return holder.session },
    set session (value) { holder.session = value },
    get sessionOptions () { return holder.sessionOptions },
    set sessionOptions (value) { holder.sessionOptions = value },
    header,
    setHeader
  }
}

async function run (handler: Handler, s: Handle): Promise<{ status: number, body: unknown }> {
  try {
    return { status: 200, body: await handler(s) ?? null }
  } catch (err) {
    return { status: 500, body: { error: (err as Error).message } }
  }
}

const nodeAdapters: Adapter[] = frameworks.map((framework) => ({
  name: framework.name,
  serve (options, handler) {
    return serve(cookieSession(options), (req: Req, res) => handler(handle(req as unknown as Holder, (name) => req.headers[name] as string | undefined,
      (name, value) => res.setHeader(name, value))), framework)
  }
}))

const koa: Adapter = {
  name: 'Koa 3',
  serve (options, handler) {
    const app = new Koa()
    app.use(koaSession(options))
    app.use(async (ctx) => {
      const { status, body } = await run(handler, handle(ctx as unknown as Holder, (name) => ctx.get(name) || undefined, (name, value) => ctx.set(name, value)))
      ctx.status = status
      ctx.body = JSON.stringify(body)
      ctx.type = 'json'
    })
    const server = http.createServer(app.callback())
    return {
      async get (cookie, headers = {}, path = '/') {
        const req = request(server).get(path)
        if (cookie) req.set('Cookie', cookie)
        for (const [name, value] of Object.entries(headers)) req.set(name, value)
        const res = await req
        return { status: res.status, body: res.body, setCookie: setCookieOf(res.headers), header: headerOf(res.headers) }
      }
    }
  }
}

const hono: Adapter = {
  name: 'Hono (Fetch API)',
  serve (options, handler) {
    const sessions = fetchSession(options)
    const app = new Hono<{ Variables: { session: FetchSession } }>()
    app.use(async (c, next) => {
      const scope = await sessions(c.req.raw)
      c.set('session', scope)
      await next()
      c.res = await scope.commit(c.res)
    })
    app.all('*', async (c) => {
      const { status, body } = await run(handler, handle(c.get('session') as Holder, (name) => c.req.header(name), (name, value) => { c.header(name, value) }))
      return c.json(body, status as 200)
    })
    return {
      async get (cookie, headers = {}, path = '/') {
        const res = await app.request(`http://localhost${path}`, { headers: { ...(cookie ? { Cookie: cookie } : {}), ...headers } })
        return { status: res.status, body: await res.json(), setCookie: res.headers.getSetCookie(), header: (name: string) => res.headers.get(name) ?? undefined }
      }
    }
  }
}

const fastify: Adapter = {
  name: 'Fastify 5',
  serve (options, handler) {
    const app = Fastify()
    // Registered when the first request comes: serve() is synchronous, register is not.
    const ready = app.register(fastifySession, options).after(() => {
      app.all('/*', async (request, reply) => {
        const { status, body } = await run(handler, handle(request as unknown as Holder, (name) => request.headers[name] as string | undefined,
          (name, value) => { reply.header(name, value) }))
        return await reply.code(status).type('application/json').send(JSON.stringify(body))
      })
    }).ready()
    return {
      async get (cookie, headers = {}, path = '/') {
        await ready
        const res = await app.inject({ method: 'GET', url: path, headers: { ...(cookie ? { cookie } : {}), ...headers } })
        return { status: res.statusCode, body: res.json(), setCookie: setCookieOf(res.headers), header: headerOf(res.headers) }
      }
    }
  }
}

export const adapters: Adapter[] = [...nodeAdapters, koa, hono, fastify]
