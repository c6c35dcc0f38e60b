// The same route on each framework the middleware supports, so behaviour tests run on all of them.
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import connect from 'connect'
import express5 from 'express'
import express4 from 'express4'
import request from 'supertest'
import type { CookieSessionMiddleware } from '../../src/index.js'

export type Req = IncomingMessage & { session?: any, sessionOptions?: any, protocol?: string }
/** A route: gets the request, returns what the response body (JSON) should be. */
export type Route = (req: Req, res: ServerResponse) => unknown

/** Runs the route (which may return a Promise) and answers with its result as JSON, or a 500. */
function reply (req: Req, res: ServerResponse, route: Route): void {
  const send = (status: number, body: unknown) => {
    if (res.writableEnded) return
    res.statusCode = status
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify(body ?? null))
  }
  const fail = (err: unknown) => send(500, { error: (err as Error).message })
  try {
    const body = route(req, res)
    if (body instanceof Promise) body.then((value) => send(200, value), fail)
    else send(200, body)
  } catch (err) {
    fail(err)
  }
}

export interface Framework {
  name: string
  app (mw: CookieSessionMiddleware, route: Route): http.RequestListener
}

export const frameworks: Framework[] = [
  {
    name: 'Express 5',
    app (mw, route) {
      const app = express5()
      app.use(mw)
      app.all('/{*path}', (req, res) => reply(req as Req, res, route))
      return app
    }
  },
  {
    name: 'Express 4',
    app (mw, route) {
      const app = express4()
      app.use(mw)
      app.all('*', (req, res) => reply(req as Req, res, route))
      return app as unknown as http.RequestListener
    }
  },
  {
    name: 'Connect',
    app (mw, route) {
      const app = connect()
      app.use(mw)
      app.use((req: IncomingMessage, res: ServerResponse) => reply(req as Req, res, route))
      return app as unknown as http.RequestListener
    }
  },
  {
    name: 'node:http',
    app (mw, route) {
      return (req, res) => mw(req, res, () => reply(req as Req, res, route))
    }
  }
]

export const express = frameworks[0] as Framework

/** A server for one middleware and route; `get(cookie)` sends a request with that Cookie header. */
export function serve (mw: CookieSessionMiddleware, route: Route, framework: Framework = express) {
  const server = http.createServer(framework.app(mw, route))
  return {
    server,
    async get (cookie?: string, headers: Record<string, string> = {}, path = '/') {
      const req = request(server).get(path)
      if (cookie) req.set('Cookie', cookie)
      for (const [name, value] of Object.entries(headers)) req.set(name, value)
      const res = await req
      return { status: res.status, body: res.body as any, setCookie: setCookieOf(res.headers), header: headerOf(res.headers) }
    }
  }
}

/** A response header by name, from Node-style headers (lower-case names; a repeated header is an array, joined as sent). */
export const headerOf = (headers: Record<string, unknown>) => (name: string): string | undefined => {
  const value = headers[name.toLowerCase()]
  return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value)
}

export function setCookieOf (headers: Record<string, unknown>): string[] {
  const value = headers['set-cookie']
  return value === undefined ? [] : Array.isArray(value) ? value : [String(value)]
}

/** The Cookie header a browser would send back after these Set-Cookie lines (deletions dropped). */
export function cookieFrom (setCookie: string[]): string {
  return setCookie
    .filter((line) => !line.includes('expires=Thu, 01 Jan 1970'))
    .map((line) => line.split(';')[0])
    .join('; ')
}
