// A request may carry any number of `session.N` cookies. A write never makes more chunks than
// maxTotalSize allows, so only those names are ever looked up or expired: whatever the request
// carried, the response's session headers and the work done stay within a fixed budget, no more
// than the largest real session costs. Nothing here is timed: lines, bytes and look-ups are counted.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import Cookies from 'cookies'
import Keygrip from 'keygrip'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, type CookieSessionMiddleware, type SessionWriteFailure } from '../src/index.js'
import { NodeJar } from '../src/platform/node-jar.js'
import type { Route } from './helpers/apps.js'
import { serve } from './helpers/apps.js'
import { CookieJar } from './helpers/cookie-jar.js'

const keys = ['junk-chunks-test-key-of-32-bytes+']
const nameOf = (line: string) => line.slice(0, line.indexOf('='))

/** The answer to one request, read with a client that accepts any size of headers. */
interface Answer { status: number, body: unknown, setCookie: string[], headerBytes: number }

async function send (mw: CookieSessionMiddleware, route: Route, cookie: string): Promise<Answer> {
  const server = http.createServer((req, res) => mw(req, res, () => { res.end(JSON.stringify(route(req, res) ?? null)) }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  try {
    return await new Promise<Answer>((resolve, reject) => {
      // Node's client refuses response headers over 16 KB; raised, so that the count is what fails.
      http.get({ host: '127.0.0.1', port, headers: { cookie }, maxHeaderSize: 1 << 22 }, (res) => {
        let body = ''
        res.on('data', (data: Buffer) => { body += data.toString() })
        res.on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? []
          const headerBytes = setCookie.reduce((sum, line) => sum + 'Set-Cookie: '.length + line.length + 2, 0)
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(body), setCookie, headerBytes })
        })
      }).on('error', reject)
    })
  } finally {
    server.close()
  }
}

/**
 * A Cookie header with `chunks` junk chunk cookies (`session.1=x` ...) after a session cookie that
 * announces `count` chunks, and a `.sig` over the value they would join to: made with the app's
 * key, or not. 999 chunks make a 15 KB header, within Node's 16 KB.
 */
function junk (chunks: number, count: number, encrypted: boolean, appKey: boolean): string {
  const first = `~${count}~${encrypted ? 'e2.' : ''}junk`
  const joined = first + 'x'.repeat(count - 1)
  const sig = appKey ? new Keygrip(keys).sign(`session=${joined}`) : 'AAAAAAAAAAAAAAAAAAAAAAAAAAA'
  return [`session=${first}`, ...Array.from({ length: chunks }, (_, i) => `session.${i + 1}=x`), `session.sig=${sig}`].join('; ')
}

/** What one request cost: the answer, and the cookie look-ups and chunk indexes it took. */
async function measure (mw: CookieSessionMiddleware, route: Route, cookie: string) {
  const lookups = vi.spyOn(Cookies.prototype, 'get')
  const indexes = vi.spyOn(NodeJar.prototype, 'chunkIndexes')
  const answer = await send(mw, route, cookie)
  const considered = indexes.mock.results.reduce((sum, result) => sum + (result.value as number[]).length, 0)
  return { ...answer, lookups: lookups.mock.calls.length, considered }
}

const read: Route = (req) => ({ isNew: req.session.isNew })
const write: Route = (req) => { req.session.user = 'ann'; return { isNew: req.session.isNew } }

afterEach(() => { vi.restoreAllMocks() })

// The most chunks a session may have: 12 under the default maxTotalSize (6144 bytes, 512 at least
// a chunk); 32 with Infinity (the 16 KB of headers Node accepts, at 512 bytes a chunk).
const configs = [
  { total: 'default', options: {}, most: 12 },
  { total: 'Infinity', options: { maxTotalSize: Infinity }, most: 32 }
]
const cases = configs.flatMap((config) => [false, true].flatMap((encrypt) => [true, false].flatMap((appKey) =>
  [['reads', read], ['writes', write]].map(([verb, route]) => ({ ...config, encrypt, appKey, verb: verb as string, route: route as Route })))))

describe.each(cases)('999 junk chunk cookies, maxTotalSize $total, encrypt $encrypt, signed with the app\'s key $appKey', ({ options, most, encrypt, appKey, verb, route }) => {
  const mw = cookieSession({ keys, chunked: true, encrypt, ...options })
  // Every name a write of this middleware could have made: the session cookie, its .sig, its chunks.
  const names = new Set(['session', 'session.sig', ...Array.from({ length: most - 1 }, (_, i) => `session.${i + 1}`)])

  it.each([999, most])(`cost no more than the largest real session when the route ${verb} (announcing %s chunks)`, async (count) => {
    const res = await measure(mw, route, junk(999, count, encrypt, appKey))
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ isNew: true })
    for (const line of res.setCookie) expect(names, line).toContain(nameOf(line))
    // The largest real session writes its `most` chunks and a .sig.
    expect(res.setCookie.length).toBeLessThanOrEqual(most + 1)
    expect(res.headerBytes).toBeLessThanOrEqual((most + 1) * 100)
    // The session cookie and every chunk a session may have, once each; the .sig; and whether a
    // session cookie and a .sig are there to expire.
    expect(res.lookups).toBeLessThanOrEqual(most + 3)
    // The request's chunk names are listed once to read, once to write: only those a write could make.
    expect(res.considered).toBeLessThanOrEqual(2 * (most - 1))
  })
})

describe('chunk cookies past the most a session may have', () => {
  it('expires those a write could have made, and only those, when the session is destroyed', async () => {
    const res = await measure(cookieSession({ keys, chunked: true }), (req) => { req.session = null }, junk(50, 2, false, false))
    expect(res.setCookie.map(nameOf).sort()).toEqual(['session', 'session.sig', ...Array.from({ length: 11 }, (_, i) => `session.${i + 1}`)].sort())
  })

  it('neither break a real chunked session nor are expired by its writes', async () => {
    const mw = cookieSession({ keys, chunked: true, maxSize: 1000 })
    const jar = new CookieJar()
    const first = await serve(mw, (req) => { req.session.blob = 'y'.repeat(1500) }).get()
    jar.apply(first.setCookie)
    expect(jar.names).toContain('session.1')
    // Not one of ours: the default maxTotalSize allows 12 chunks, session .. session.11.
    const res = await serve(mw, (req) => { req.session.n = 1; return req.session.blob?.length }).get(`${jar.header}; session.12=stray`)
    expect(res.body).toBe(1500)
    expect(res.setCookie.map(nameOf)).toEqual(first.setCookie.map(nameOf))
  })
})

describe('maxTotalSize: Infinity', () => {
  it('still stops a session at 32 cookies, with an error that says so', async () => {
    const errors: SessionWriteFailure[] = []
    const mw = cookieSession({ keys, chunked: true, maxTotalSize: Infinity, onError: (err) => { errors.push(err) } })
    const route = (size: number): Route => (req) => {
      req.sessionOptions.maxSize = 600
      req.session.blob = 'z'.repeat(size)
      return req.session.encodedChunks
    }
    // With 600-byte cookies, 13400 characters take 32 cookies and 13800 take 33.
    const fits = await send(mw, route(13_400), '')
    expect(fits.body).toBe(32)
    expect(fits.setCookie).toHaveLength(33)
    const over = await send(mw, route(13_800), '')
    expect(over.body).toBe(33)
    expect(over.setCookie).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]?.message).toMatch(/^session cookies "session" would be 33 cookies, over the most a session may take \(32\); it was not sent/)
  })
})
