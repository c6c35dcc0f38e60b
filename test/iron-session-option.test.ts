// The `ironSession` option, on every entry: an app moving from iron-session keeps its users signed
// in. A valid iron-session 8 or 9 cookie (sealed here by the real iron-session) is the session, not
// new; the response writes ours and expires theirs; anything else in their cookie is a new empty
// session, never an error.
import http from 'node:http'
import { MemoryStore } from 'express-session'
import Keygrip from 'keygrip'
import { sealData as sealData8 } from 'iron-session'
import { getIronSession as getIronSession9, sealData as sealData9, type CookieJar } from 'iron-session9'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionOptionError } from '../src/index.js'
import { fetchSession } from '../src/fetch.js'
import { fastifySession } from '../src/fastify.js'
import { koaSession } from '../src/koa.js'
import { adapters } from './helpers/adapters.js'

const keys = ['a', 'b']
const A = 'iron password of 32 characters!!'
const B = 'another iron password, 32 chars+'
const DATA = { user: { id: 7, name: 'Zoë' }, admin: false }
const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'
const ironSession = { cookieName: 'app', password: A }

const b64 = (data: unknown): string => Buffer.from(JSON.stringify(data)).toString('base64')
const ours = (data: unknown, attributes = 'path=/; httponly'): string[] => [
  `session=${b64(data)}; ${attributes}`,
  `session.sig=${new Keygrip(keys).sign(`session=${b64(data)}`)}; ${attributes}`
]
const cleared = (name: string, attributes = 'path=/'): string => `${name}=; ${attributes}; ${EPOCH}; httponly`

afterEach(() => { vi.useRealTimers() })

describe.each(adapters)('$name', (adapter) => {
  it.each([['iron-session 8', sealData8], ['iron-session 9', sealData9]] as const)('takes a %s cookie as the session, writes ours and expires theirs', async (_, seal) => {
    const cookie = `app=${await seal(DATA, { password: A })}`
    const res = await adapter.serve({ keys, ironSession }, (s) => [{ ...s.session }, s.session.isNew, s.session.isChanged]).get(cookie)
    expect(res.status).toBe(200)
    expect(res.body).toEqual([DATA, false, false])
    expect(res.setCookie).toEqual([...ours(DATA), cleared('app')])
  })

  it('reads a seal made with a map of passwords, by the id it names', async () => {
    const cookie = `app=${await sealData9(DATA, { password: { 1: B, 2: A } })}`
    const res = await adapter.serve({ keys, ironSession: { cookieName: 'app', password: { 2: A } } }, (s) => s.session.user).get(cookie)
    expect(res.body).toEqual(DATA.user)
  })

  it('keeps the changes the request made to the imported session', async () => {
    const cookie = `app=${await sealData8(DATA, { password: A })}`
    const res = await adapter.serve({ keys, ironSession }, (s) => { s.session.visits = 1 }).get(cookie)
    expect(res.setCookie).toEqual([...ours({ ...DATA, visits: 1 }), cleared('app')])
  })

  it('expires theirs at the path and domain of their cookieOptions, with our other attributes', async () => {
    const cookie = `app=${await sealData8(DATA, { password: A })}`
    const options = { keys, maxAge: 60_000, sameSite: 'lax', ironSession: { ...ironSession, cookieOptions: { path: '/app', domain: 'example.com', secure: true } } }
    const res = await adapter.serve(options, (s) => s.session.admin).get(cookie)
    expect(res.setCookie[2]).toBe(`app=; path=/app; ${EPOCH}; domain=example.com; samesite=lax; httponly`)
  })

  it('logs the imported session out: ours and theirs expired', async () => {
    const cookie = `app=${await sealData8(DATA, { password: A })}`
    const res = await adapter.serve({ keys, ironSession }, (s) => { s.session = null }).get(cookie)
    expect(res.setCookie).toEqual([cleared('session'), expect.stringMatching(/^session\.sig=/), cleared('app')])
  })

  it('prefers a valid cookie of ours, and leaves theirs alone until ours is written', async () => {
    const cookie = `${ours({ mine: true }).map((line) => line.split(';')[0]).join('; ')}; app=${await sealData8(DATA, { password: A })}`
    const read = await adapter.serve({ keys, ironSession }, (s) => [{ ...s.session }, s.session.isNew]).get(cookie)
    expect(read.body).toEqual([{ mine: true }, false])
    expect(read.setCookie).toEqual([])
    const written = await adapter.serve({ keys, ironSession }, (s) => { s.session.more = 1 }).get(cookie)
    expect(written.setCookie).toEqual([...ours({ mine: true, more: 1 }), cleared('app')])
  })

  it('takes theirs when ours does not verify', async () => {
    const cookie = `session=${b64({ mine: true })}; session.sig=forged; app=${await sealData8(DATA, { password: A })}`
    const res = await adapter.serve({ keys, ironSession }, (s) => s.session.user).get(cookie)
    expect(res.body).toEqual(DATA.user)
    expect(res.setCookie).toEqual([...ours(DATA), cleared('app')])
  })

  it('reads their cookie under our own cookie name, and writes ours over it', async () => {
    const cookie = `session=${await sealData9(DATA, { password: A })}`
    const res = await adapter.serve({ keys, ironSession: { cookieName: 'session', password: A } }, (s) => s.session.user).get(cookie)
    expect(res.body).toEqual(DATA.user)
    expect(res.setCookie).toEqual(ours(DATA))
  })

  it.each([
    ['tampered', async () => (await sealData8(DATA, { password: A })).replace(/\*([A-Za-z0-9_-])([A-Za-z0-9_-]{42})~2$/, (_, c: string, rest: string) => `*${c === 'A' ? 'B' : 'A'}${rest}~2`)],
    ['sealed with another password', async () => await sealData8(DATA, { password: B })],
    ['sealed under an unknown password id', async () => await sealData9(DATA, { password: { 5: A } })],
    ['truncated', async () => (await sealData9(DATA, { password: A })).slice(0, -20)],
    ['not a seal at all', async () => 'Fe26.2**garbage~2']
  ])('gives a new empty session for a cookie %s, with no error', async (_, make) => {
    const res = await adapter.serve({ keys, ironSession }, (s) => [s.session.isNew, s.session.isPopulated]).get(`app=${await make()}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual([true, false])
    expect(res.setCookie).toEqual([])
  })

  it('gives a new empty session for an expired seal', async () => {
    const sealed = await sealData9(DATA, { password: A, ttl: 60 })
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 121_000) // past the ttl and iron-session's 60 seconds of clock skew
    const res = await adapter.serve({ keys, ironSession }, (s) => s.session.isNew).get(`app=${sealed}`)
    expect(res.body).toBe(true)
  })

  it('ignores their cookie without the option', async () => {
    const res = await adapter.serve({ keys }, (s) => s.session.isNew).get(`app=${await sealData8(DATA, { password: A })}`)
    expect(res.body).toBe(true)
  })

  it('reads the cookies iron-session 9 splits a large session into, and expires them all', async () => {
    const jar = new Map<string, string>()
    const ironJar: CookieJar = { read: (name) => jar.get(name), write: (name, value) => { if (value === '') jar.delete(name); else jar.set(name, value) } }
    const session = await getIronSession9<Record<string, unknown>>(ironJar, { cookieName: 'app', password: A, chunk: true })
    session.notes = 'n'.repeat(3000)
    await session.save()
    expect([...jar.keys()]).toEqual(['app.0', 'app.1'])
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    const res = await adapter.serve({ keys, ironSession, chunked: true }, (s) => s.session.notes).get(cookie)
    expect(res.body).toBe(session.notes)
    expect(res.setCookie.slice(-2)).toEqual([cleared('app.0'), cleared('app.1')])
  })
})

describe('ironSession in store mode', () => {
  it('moves the imported session into the store, and expires their cookie', async () => {
    const store = new MemoryStore()
    const server = http.createServer((req, res) => {
      cookieSession({ keys, store, ironSession })(req, res, () => {
        res.end(JSON.stringify((req as unknown as { session: unknown }).session))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = server.address() as { port: number }
      const res = await fetch(`http://127.0.0.1:${port}/`, { headers: { cookie: `app=${await sealData8(DATA, { password: A })}` } })
      expect(await res.json()).toEqual(DATA)
      const lines = res.headers.getSetCookie()
      expect(lines).toHaveLength(3)
      expect(lines[0]).toMatch(/^session=[A-Za-z0-9_-]{43}; path=\/; httponly$/)
      expect(lines[2]).toBe(cleared('app'))
      const records = Object.values((store as unknown as { sessions: Record<string, string> }).sessions).map((json) => JSON.parse(json))
      expect(records).toEqual([{ cookie: expect.any(Object), ...DATA }])
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('the Node adapters wait for the session only when an iron-session cookie must be read', () => {
  const calledAt = (cookie: string | undefined): Promise<'at once' | 'later'> => new Promise((resolve) => {
    const req = { headers: cookie === undefined ? {} : { cookie }, socket: {} } as unknown as http.IncomingMessage
    const res = new http.ServerResponse(req)
    let returned = false
    cookieSession({ keys, ironSession })(req, res, () => resolve(returned ? 'later' : 'at once'))
    returned = true
  })

  it('calls next() at once without their cookie, or with a valid one of ours', async () => {
    expect(await calledAt(undefined)).toBe('at once')
    expect(await calledAt(`${ours({ mine: 1 }).map((line) => line.split(';')[0]).join('; ')}; app=x`)).toBe('at once')
  })

  it('calls next() once their cookie is unsealed', async () => {
    expect(await calledAt(`app=${await sealData8(DATA, { password: A })}`)).toBe('later')
  })
})

describe('the ironSession option', () => {
  it.each([
    ['cookieSession', (options: object) => cookieSession(options)],
    ['koaSession', (options: object) => koaSession(options)],
    ['fetchSession', (options: object) => fetchSession(options)]
  ])('is checked by %s at creation, naming the part at fault', (_, create) => {
    expect(() => create({ keys, ironSession: 'app' })).toThrow(SessionOptionError)
    expect(() => create({ keys, ironSession: 'app' })).toThrow('option "ironSession" must be an object { cookieName, password } as given to iron-session, got a string of 3 characters')
    expect(() => create({ keys, ironSession: { password: A } })).toThrow('option "ironSession.cookieName" must be a cookie name made of RFC 6265 token characters, got undefined')
    expect(() => create({ keys, ironSession: { cookieName: 'app', password: 'short' } })).toThrow(/^option "ironSession\.password" must be a string of at least 32 characters/)
    expect(() => create({ keys, ironSession: { ...ironSession, cookieOptions: { path: 'app' } } })).toThrow('option "ironSession.cookieOptions.path" must be a path starting with "/", got "app"')
    expect(() => create({ keys, ironSession: { cookieName: 'session.sig', password: A } })).toThrow('option "ironSession.cookieName" must not be "session.sig", the signature cookie of this session')
  })

  it('is checked by the Fastify plugin when it is registered', async () => {
    const { default: Fastify } = await import('fastify')
    const app = Fastify()
    await expect(app.register(fastifySession, { keys, ironSession: { cookieName: 'app' } } as never).ready()).rejects.toThrow('option "ironSession.password"')
  })

  it('takes iron-session\'s own options object as it is (ttl and the other cookieOptions are iron-session\'s business)', () => {
    const theirs = { cookieName: 'app', password: A, ttl: 3600, cookieOptions: { secure: true, sameSite: 'lax' as const, path: '/' } }
    expect(() => cookieSession({ keys, ironSession: theirs })).not.toThrow()
  })
})
