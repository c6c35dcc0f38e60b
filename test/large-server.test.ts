// A real node:http server with Node's default header limit (16 KB for all request headers): a
// session as large as the default maxTotalSize allows, chunked, goes out and comes back in full
// requests, next to other cookies and the headers a browser sends.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieSession } from '../src/index.js'
import type { Req } from './helpers/apps.js'
import { CookieJar } from './helpers/cookie-jar.js'

const BROWSER_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8',
  'accept-language': 'en-GB,en;q=0.9',
  'accept-encoding': 'gzip, deflate, br, zstd'
}
/** The site's other cookies: analytics, consent, a CSRF token (about 1 KB, a typical share). */
const OTHER_COOKIES = `_ga=GA1.1.${'1'.repeat(20)}; consent=${'a'.repeat(600)}; csrf=${'c'.repeat(300)}`

const errors: Error[] = []
const mw = cookieSession({ keys: ['server-key'], chunked: true, onError: (err) => errors.push(err) })
let port: number
const server = http.createServer((req, res) => mw(req, res, () => {
  const r = req as Req
  const size = Number(req.headers['x-size'] ?? -1)
  if (size >= 0) r.session.blob = 'z'.repeat(size)
  res.setHeader('Content-Type', 'application/json')
  res.end(JSON.stringify({ blob: r.session.blob?.length ?? 0, size: r.session.encodedSize, chunks: r.session.encodedChunks }))
}))

function get (cookie: string, headers: Record<string, string> = {}): Promise<{ status: number, body: any, setCookie: string[] }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/', headers: { ...BROWSER_HEADERS, ...headers, cookie } }, (res) => {
      let text = ''
      res.setEncoding('utf8').on('data', (c) => { text += c }).on('end', () => {
        resolve({ status: res.statusCode as number, body: text ? JSON.parse(text) : null, setCookie: res.headers['set-cookie'] ?? [] })
      })
    }).on('error', reject)
  })
}

beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => {
  port = (server.address() as AddressInfo).port
  resolve()
})))
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

describe('the largest session the default bound allows, on a real server', () => {
  it('is written in two chunks at exactly the bound or within 3 bytes of it', async () => {
    // Grow the session until one more character would pass the default maxTotalSize (6144).
    let n = 4000
    for (let step = 256; step >= 1; step /= 2) {
      while ((await get('', { 'x-size': String(n + step) })).body.size <= 6144) n += step
    }
    const res = await get('', { 'x-size': String(n) })
    expect(res.body.chunks).toBe(2)
    expect(res.body.size).toBeGreaterThan(6144 - 4)
    expect(res.body.size).toBeLessThanOrEqual(6144)
    errors.length = 0
    const jar = new CookieJar().apply(res.setCookie)
    expect(jar.names).toEqual(['session', 'session.1', 'session.sig'])

    // The browser sends the session back with the site's other cookies, request after request.
    const cookie = `${OTHER_COOKIES}; ${jar.header}`
    expect(Buffer.byteLength(cookie)).toBeGreaterThan(7000)
    for (let i = 0; i < 3; i++) {
      const back = await get(cookie)
      expect(back.status).toBe(200)
      expect(back.body).toEqual({ blob: n, size: res.body.size, chunks: 2 })
    }
    const over = await get('', { 'x-size': String(n + 3) })
    expect(over.setCookie).toEqual([])
    expect(errors[0]).toMatchObject({ code: 'ERR_SESSION_TOO_LARGE', limit: 6144 })
  })

  it('has the real 16 KB limit: a Cookie header past it is refused by Node with 431', async () => {
    const res = await get('x=' + 'y'.repeat(16 * 1024))
    expect(res.status).toBe(431)
  })
})
