// Properties of compressed and chunked sessions, over generated input (fast-check): the pure
// chunk codec round-trips; any JSON-safe session up to the bound round-trips through the real
// middleware; and any tampering with any chunk gives a new empty session.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieSession, type CookieSessionMiddleware } from '../src/index.js'
import { join, split } from '../src/wire/chunks.js'
import { compress, decompress } from '../src/platform/node-compression.js'
import type { Req } from './helpers/apps.js'
import { CookieJar } from './helpers/cookie-jar.js'

const keys = ['property-key']
const NUM_RUNS = 100
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

/** Keys parse() refuses by design (prototype pollution; test/hostile.test.ts) are left out. */
const safe = (data: Record<string, unknown>) => !JSON.stringify(data).includes('"__proto__"') && !JSON.stringify(data).includes('"prototype"')

/** `n` random bytes as base64: text that barely compresses. */
const noise = (max: number) => fc.integer({ min: 0, max }).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })).map((bytes) => Buffer.from(bytes).toString('base64'))

/** Any JSON-safe session, from tiny to past the bound: random bytes make the large ones. */
const sessionObject = fc.record({
  data: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
  blob: noise(6000),
  text: fc.string({ unit: 'binary', maxLength: 800 })
}, { requiredKeys: [] }).filter(safe)

interface Reply { status: number, body: any, setCookie: string[] }

/** One node:http server for all samples of a property: /write stores `toWrite`, / reports the session. */
class Server {
  toWrite: object = {}
  errors: Error[] = []
  private readonly server: http.Server
  private readonly agent = new http.Agent({ keepAlive: true })

  constructor (make: (onError: (err: Error) => void) => CookieSessionMiddleware) {
    const mw = make((err) => this.errors.push(err))
    this.server = http.createServer((req, res) => mw(req, res, () => {
      const r = req as Req
      if (req.url === '/write') r.session = this.toWrite
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify(req.url === '/write' ? null : { isNew: r.session.isNew, data: r.session }))
    }))
  }

  listen (): Promise<void> { return new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve)) }
  close (): Promise<void> {
    this.agent.destroy()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  request (path: string, cookie = ''): Promise<Reply> {
    const { port } = this.server.address() as AddressInfo
    return new Promise((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path, agent: this.agent, headers: cookie ? { cookie } : {} }, (res) => {
        let text = ''
        res.setEncoding('utf8').on('data', (chunk) => { text += chunk }).on('end', () => {
          const setCookie = res.headers['set-cookie'] ?? []
          resolve({ status: res.statusCode as number, body: JSON.parse(text), setCookie })
        })
      }).on('error', reject)
    })
  }

  async write (data: object, jar = new CookieJar()): Promise<{ jar: CookieJar, reply: Reply }> {
    this.toWrite = data
    const reply = await this.request('/write', jar.header)
    return { jar: jar.apply(reply.setCookie), reply }
  }
}

describe('the chunk codec', () => {
  it('splits any value too long for one chunk within their room, and joins them back to the same value', () => {
    const sample = fc.integer({ min: 20, max: 900 }).chain((room) => fc.tuple(
      fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: room + 1, maxLength: room * 6 }), fc.constant(room)))
    fc.assert(fc.property(sample, ([value, room]) => {
      const chunks = split(value, (i) => room - String(i).length)
      if (chunks === undefined) return
      chunks.forEach((chunk, i) => expect(chunk.length).toBeLessThanOrEqual(room - String(i).length))
      const joined = join(chunks[0] as string, (i) => chunks[i], Infinity) as string
      expect(joined.replace(/^~\d+~/, '')).toBe(value)
      expect(join(chunks[0] as string, (i) => i === chunks.length - 1 ? undefined : chunks[i], Infinity)).toBeUndefined()
    }), { numRuns: 300 })
  })

  it('inflates whatever it compressed', () => {
    fc.assert(fc.property(fc.string({ maxLength: 3000 }), (json) => {
      const packed = compress(json, Infinity) as string
      expect(decompress(packed)).toBe(json)
    }), { numRuns: 300 })
  })
})

describe.each([
  { mode: 'signed', options: {} },
  { mode: 'encrypted', options: { encrypt: true, keys: ['property-key-of-at-least-32-bytes!'] } }
])('$mode sessions, chunked and compressed', ({ options }) => {
  const server = new Server((onError) => cookieSession({ keys, chunked: true, compress: options.encrypt ? 'i-understand-compression-leaks-secrets' : true, onError, ...options }))
  beforeAll(() => server.listen())
  afterAll(() => server.close())

  it('round-trips any JSON-safe session up to the bound, and refuses (keeping nothing) past it', async () => {
    const seen = { chunked: 0, refused: 0 }
    await fc.assert(fc.asyncProperty(sessionObject, async (data) => {
      server.errors = []
      const { jar, reply } = await server.write(data)
      if (server.errors.length > 0) {
        expect(server.errors[0]).toMatchObject({ code: 'ERR_SESSION_TOO_LARGE', limit: 6144 })
        expect(reply.setCookie).toEqual([])
        seen.refused++
        return
      }
      if (reply.setCookie.some((line) => line.startsWith('session.1='))) seen.chunked++
      const total = reply.setCookie.filter((line) => !line.startsWith('session.sig=')).reduce((sum, line) => sum + line.length, 0)
      expect(total).toBeLessThanOrEqual(6144)
      for (const line of reply.setCookie) expect(line.length).toBeLessThanOrEqual(4093)
      const read = await server.request('/', jar.header)
      expect(read.body).toEqual({ isNew: Object.keys(data).length === 0, data: JSON.parse(JSON.stringify(data)) })
    }), { numRuns: NUM_RUNS })
    // The generator reaches both sides of the bound.
    expect(seen.chunked).toBeGreaterThan(0)
    expect(seen.refused).toBeGreaterThan(0)
  })
})

describe.each([
  { mode: 'signed', options: {} },
  { mode: 'encrypted', options: { encrypt: true, keys: ['property-key-of-at-least-32-bytes!'] } }
])('tampering with $mode chunks', ({ options }) => {
  // Small cookies and incompressible data: every sample spans three to five chunks.
  const server = new Server((onError) => cookieSession({ keys, chunked: true, maxSize: 600, maxTotalSize: 4000, onError, ...options }))
  beforeAll(() => server.listen())
  afterAll(() => server.close())

  const blob = fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1000, maxLength: 1600 })
  type Pairs = Array<[string, string]>
  const tamper = fc.oneof(
    fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('add' as const), value: fc.string({ unit: fc.constantFrom(...BASE64URL), minLength: 1, maxLength: 50 }) }),
    fc.record({ kind: fc.constant('reorder' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('stale' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('alter' as const), at: fc.nat(), offset: fc.nat(), char: fc.constantFrom(...BASE64URL) })
  )

  it('gives a new empty session for a dropped, added, reordered, stale or altered chunk', async () => {
    await fc.assert(fc.asyncProperty(blob, blob, tamper, async (older, newer, t) => {
      const first = await server.write({ blob: older })
      const second = await server.write({ blob: newer }, first.jar)
      expect(second.jar.names.length).toBeGreaterThanOrEqual(3)
      const chunks: Pairs = [...second.jar.cookies].filter(([name]) => name !== 'session.sig')
      const sig = [...second.jar.cookies].filter(([name]) => name === 'session.sig')
      const oldChunks = new Map(first.jar.cookies)
      const pick = (at: number) => at % chunks.length
      let sent: Pairs = chunks.slice()
      if (t.kind === 'drop') sent.splice(pick(t.at), 1)
      if (t.kind === 'add') sent.push([`session.${chunks.length}`, t.value])
      if (t.kind === 'reorder') {
        const i = pick(t.at)
        const j = (i + 1) % chunks.length
        const values = sent.map(([, v]) => v)
        ;[values[i], values[j]] = [values[j] as string, values[i] as string]
        sent = sent.map(([name], k) => [name, values[k] as string])
      }
      if (t.kind === 'stale') {
        const [name, value] = chunks[pick(t.at)] as [string, string]
        const old = oldChunks.get(name)
        if (old === undefined || old === value) return
        sent = sent.map(([n, v]) => [n, n === name ? old : v])
      }
      if (t.kind === 'alter') {
        const i = pick(t.at)
        const [name, value] = sent[i] as [string, string]
        const at = t.offset % value.length
        if (value[at] === t.char || (i === 0 && at < 3)) return
        sent[i] = [name, value.slice(0, at) + t.char + value.slice(at + 1)]
      }
      const header = [...sent, ...sig].map(([n, v]) => `${n}=${v}`).join('; ')
      const read = await server.request('/', header)
      expect(read.status).toBe(200)
      expect(read.body).toEqual({ isNew: true, data: {} })
    }), { numRuns: NUM_RUNS })
  })
})
