// The caching-header rules (src/adapters/shared/cache-headers.ts) on their own, exactly, and the
// cases of one adapter each: headers already sent, an immutable Fetch response, the warning
// without onError. test/adapters.test.ts runs the common cases against every adapter.
import http from 'node:http'
import express from 'express'
import Koa from 'koa'
import request from 'supertest'
import { describe, expect, it, vi } from 'vitest'
import { cachePlan, guardCaches, listMembers, routeName, varyWithCookie, type ResponseHeaders } from '../src/adapters/shared/cache-headers.js'
import type { RequestSession } from '../src/core/request.js'
import { SessionCacheableError, SessionWriteError } from '../src/errors.js'
import { cookieSession } from '../src/index.js'
import { fetchSession } from '../src/fetch.js'
import { koaSession } from '../src/koa.js'
import type { Platform } from '../src/platform/types.js'
import { report } from '../src/report.js'

const keys = ['a', 'b']

describe('Vary', () => {
  it.each([
    [undefined, 'Cookie'],
    ['', 'Cookie'],
    ['Accept-Encoding', 'Accept-Encoding, Cookie'],
    ['Accept-Encoding,Origin', 'Accept-Encoding, Origin, Cookie'],
    [' Accept-Encoding , ', 'Accept-Encoding, Cookie'],
    ['Cookies', 'Cookies, Cookie']
  ])('%j becomes %j', (vary, expected) => {
    expect(varyWithCookie(vary)).toBe(expected)
  })

  it.each(['*', 'Accept-Encoding, *', 'cookie', 'COOKIE', 'Origin, Cookie'])('%j stays as it is', (vary) => {
    expect(varyWithCookie(vary)).toBeUndefined()
  })
})

describe('Cache-Control of a response that sets or clears the session cookie', () => {
  const headers = (given: Record<string, string>) => (name: string): string | undefined => given[name]
  const plan = (given: Record<string, string>) => cachePlan(headers(given), true)

  it.each([
    [{}, 'private'],
    [{ 'Cache-Control': 'max-age=60' }, 'private, max-age=60'],
    [{ 'Cache-Control': 'no-cache' }, 'private, no-cache'],
    [{ 'Cache-Control': 'max-age=60, must-revalidate' }, 'private, max-age=60, must-revalidate'],
    [{ 'Cache-Control': 'no-cache="Set-Cookie, Vary", max-age=5' }, 'private, no-cache="Set-Cookie, Vary", max-age=5'],
    [{ 'Cache-Control': 'immutable' }, 'private, immutable']
  ])('%j gets %j', (given, cacheControl) => {
    expect(plan(given)).toEqual({ vary: 'Cookie', cacheControl, shareable: undefined })
  })

  it.each(['private', 'PRIVATE, max-age=60', 'no-store', 'No-Store', 'max-age=0, no-store', 'public, no-store', 'public, private'])(
    '%j is kept, unreported: no shared cache stores it', (cacheControl) => {
      expect(plan({ 'Cache-Control': cacheControl })).toEqual({ vary: 'Cookie', cacheControl: undefined, shareable: undefined })
    })

  it.each(['public', 'public, max-age=60', 'Public', 's-maxage=300', 'max-age=0, S-MaxAge=300', 'private="Set-Cookie", max-age=60'])(
    '%j is kept and reported: the app allowed shared caches to store it', (cacheControl) => {
      expect(plan({ 'Cache-Control': cacheControl })).toEqual({ vary: 'Cookie', cacheControl: undefined, shareable: `Cache-Control: ${cacheControl}` })
    })

  it.each([
    [{ 'CDN-Cache-Control': 'max-age=60' }, 'private', 'CDN-Cache-Control: max-age=60'],
    [{ 'Surrogate-Control': 'max-age=60', 'Cache-Control': 'no-store' }, undefined, 'Surrogate-Control: max-age=60'],
    [{ 'CDN-Cache-Control': 'max-age=60', 'Cache-Control': 'public' }, undefined, 'CDN-Cache-Control: max-age=60']
  ])('%j: a header meant for CDNs alone that lets them store it is reported', (given, cacheControl, shareable) => {
    expect(plan(given)).toEqual({ vary: 'Cookie', cacheControl, shareable })
  })

  it.each(['no-store', 'private'])('a CDN-Cache-Control: %s is no report', (value) => {
    expect(plan({ 'CDN-Cache-Control': value })).toEqual({ vary: 'Cookie', cacheControl: 'private', shareable: undefined })
  })

  it('leaves Cache-Control alone on a response that only read the session', () => {
    expect(cachePlan(headers({ 'Cache-Control': 'public, max-age=60' }), false)).toEqual({ vary: 'Cookie', cacheControl: undefined, shareable: undefined })
  })
})

describe('listMembers', () => {
  it('splits on commas outside quoted strings, trims, and drops empty members', () => {
    expect(listMembers(' a ,b,, c="x, \\"y\\", z" ,')).toEqual(['a', 'b', 'c="x, \\"y\\", z"'])
  })
})

describe('routeName', () => {
  it('is the method and the path, without the query string or fragment', () => {
    expect(routeName('POST', '/login?next=/account&token=secret#top')).toBe('POST /login')
    expect(routeName(undefined, '/')).toBe('GET /')
  })

  it('cuts a long path at 200 characters', () => {
    expect(routeName('GET', '/' + 'x'.repeat(500))).toBe(`GET /${'x'.repeat(199)}...`)
  })
})

describe('reporting without onError', () => {
  it('warns once per route, not once per code', () => {
    const warn = vi.fn()
    const platform = { warn, debug: vi.fn() } as unknown as Platform
    const at = (route: string) => new SessionCacheableError(route, 'session', 'Cache-Control: public')
    for (const route of ['GET /warn-a', 'GET /warn-a', 'POST /warn-a', 'GET /warn-b']) report({ onError: undefined, platform }, at(route))
    expect(warn.mock.calls.map(([message, code]) => [(message as string).slice(0, 12), code])).toEqual([
      ['GET /warn-a ', 'ERR_SESSION_CACHEABLE'],
      ['POST /warn-a', 'ERR_SESSION_CACHEABLE'],
      ['GET /warn-b ', 'ERR_SESSION_CACHEABLE']
    ])
    expect(warn.mock.calls[0]?.[0]).toContain('(This warning is shown once per route;')
  })

  it('stops remembering routes after 100 per middleware, so a crawl of /users/<id> cannot grow it without end', () => {
    const errors: SessionCacheableError[] = []
    // What guardCaches uses of a request's session: one middleware's settings, shared by its requests.
    const settings = { cacheHeaders: true, name: 'session' }
    const context = { settings, accessed: true, reportError: (err: SessionCacheableError) => { errors.push(err) } } as unknown as RequestSession
    const publicPage = (): ResponseHeaders => ({ get: (name) => name === 'Cache-Control' ? 'public' : undefined, set: () => {} })
    for (let id = 0; id < 105; id++) guardCaches(context, publicPage(), true, () => `GET /users/${id}`)
    guardCaches(context, publicPage(), true, () => 'GET /users/0')
    expect(errors.map((err) => err.route)).toEqual(Array.from({ length: 100 }, (_, id) => `GET /users/${id}`))
  })
})

describe('when the headers have gone out', () => {
  it('Express: a response streamed after reading the session has Vary: Cookie (the headers hook ran at the first write)', async () => {
    const app = express()
    app.use(cookieSession({ keys }))
    app.get('/', (req, res) => {
      res.type('text')
      res.write(String(req.session!.views ?? 0))
      res.end(' views')
    })
    const res = await request(http.createServer(app)).get('/')
    expect([res.text, res.headers.vary, res.headers['cache-control']]).toEqual(['0 views', 'Cookie', undefined])
  })

  it('Koa with ctx.respond = false: nothing is added and nothing thrown; the unwritten cookie is reported', async () => {
    const errors: Error[] = []
    const app = new Koa()
    app.use(koaSession({ keys, onError: (err) => { errors.push(err) } }))
    app.use((ctx) => {
      ctx.session!.user = 'ann'
      ctx.respond = false
      ctx.res.writeHead(200, { 'Content-Type': 'text/plain', 'Cache-Control': 'max-age=60' })
      ctx.res.end('raw')
    })
    const res = await request(http.createServer(app.callback())).get('/')
    expect([res.status, res.text, res.headers.vary, res.headers['cache-control'], res.headers['set-cookie']]).toEqual([200, 'raw', undefined, 'max-age=60', undefined])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(SessionWriteError)
  })
})

describe('Fetch', () => {
  it('answers an immutable Response (Response.redirect) with a copy carrying the cookies and caching headers', async () => {
    const sessions = fetchSession({ keys })
    const s = await sessions(new Request('http://localhost/login'))
    s.session!.user = 'ann'
    const redirect = Response.redirect('http://localhost/account', 303)
    const res = await s.commit(redirect)
    expect(res).not.toBe(redirect)
    expect([res.status, res.headers.get('location'), res.headers.get('vary'), res.headers.get('cache-control')])
      .toEqual([303, 'http://localhost/account', 'Cookie', 'private'])
    expect(res.headers.getSetCookie()).toHaveLength(2)
  })

  it('adds Vary: Cookie to a response that only read the session, once however often it is committed', async () => {
    const sessions = fetchSession({ keys })
    const s = await sessions(new Request('http://localhost/', { headers: { Cookie: 'session=eyJtZXNzYWdlIjoiaGkifQ==; session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0' } }))
    const res = new Response(String(s.session!.message), { headers: { Vary: 'Accept-Encoding' } })
    await s.commit(res)
    await s.commit(res)
    expect([res.headers.get('vary'), res.headers.get('cache-control'), res.headers.getSetCookie()]).toEqual(['Accept-Encoding, Cookie', null, []])
  })

  it('adds nothing to the Headers of a request that never touched its session', async () => {
    const s = await fetchSession({ keys })(new Request('http://localhost/'))
    const headers = await s.commit(new Headers({ 'Cache-Control': 'public, max-age=60' }))
    expect([...headers]).toEqual([['cache-control', 'public, max-age=60']])
  })
})
