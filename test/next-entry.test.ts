// signed-cookie-session/next: `await getSession(cookieStore, options)` on a cookie store shaped as
// Next's `await cookies()` (and SvelteKit's and Astro's `cookies`): what it reads, and the exact
// calls `save()` and `destroy()` make on the store. test/next/ runs it in a real Next app.
import { MemoryStore } from 'express-session'
import cookieSessionRef from 'cookie-session'
import express from 'express'
import Keygrip from 'keygrip'
import { sealData } from 'iron-session'
import request from 'supertest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchSession } from '../src/fetch.js'
import { getSession, proxyCookies, SessionOptionError, SessionTooLargeError, SessionWriteError, type CookieStoreLike } from '../src/next.js'

const keys = ['next key of at least 32 bytes...', 'an older key of at least 32 bytes']
const sign = (name: string, value: string, with_ = keys): string => new Keygrip(with_).sign(`${name}=${value}`)
const b64url = (data: unknown): string => Buffer.from(JSON.stringify(data)).toString('base64url')
const b64 = (data: unknown): string => Buffer.from(JSON.stringify(data)).toString('base64')
const DATA = { user: 'Zoë ~?', count: 0 } // its standard base64 has "+", "/" and "==" padding
const EPOCH = new Date(0)
const NEXT_READ_ONLY = 'Cookies can only be modified in a Server Action or Route Handler. Read more: https://nextjs.org/docs/app/api-reference/functions/cookies#options'

type Call = [name: string, value: string, options: Record<string, unknown>]

/**
 * A store as Next's `await cookies()` behaves: `get()` gives `{ name, value }` with the value
 * percent-decoded (as Next parses the Cookie header), `set()` records the call (and, like Next,
 * makes the new value what `get()` gives); read-only (a server component's) it throws Next's error.
 */
class NextLikeStore implements CookieStoreLike {
  readonly calls: Call[] = []
  private readonly cookies: Map<string, string>
  private readonly writable: boolean

  constructor (cookies: Record<string, string> = {}, writable = true) {
    this.cookies = new Map(Object.entries(cookies))
    this.writable = writable
  }

  get (name: string): { name: string, value: string } | undefined {
    const value = this.cookies.get(name)
    return value === undefined ? undefined : { name, value: decodeURIComponent(value) }
  }

  set (name: string, value: string, options: Record<string, unknown>): this {
    if (!this.writable) throw new Error(NEXT_READ_ONLY)
    this.calls.push([name, value, options])
    this.cookies.set(name, value)
    return this
  }

  /** The Cookie header a browser would send after this response. */
  header (): string {
    return [...this.cookies].filter(([, value]) => value !== '').map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ')
  }
}

/** The store of a request carrying our cookie for `data`, as written by `value`. */
function storeWith (data: unknown, value = b64url(data), signWith = keys): NextLikeStore {
  return new NextLikeStore({ session: value, 'session.sig': sign('session', value, signWith) })
}

afterEach(() => { vi.restoreAllMocks() })

describe('getSession', () => {
  it('gives a new empty session for a request without a cookie, and writes nothing unasked', async () => {
    const store = new NextLikeStore()
    const session = await getSession(store, { keys })
    expect([session.isNew, session.isPopulated, session.isChanged]).toEqual([true, false, true])
    expect(store.calls).toEqual([])
  })

  it('saves through the store: the value in base64url without padding, its signature computed here', async () => {
    const store = new NextLikeStore()
    const session = await getSession(store, { keys })
    Object.assign(session, DATA)
    await session.save()
    const value = b64url(DATA)
    expect(b64(DATA)).toMatch(/\+.*\/.*==$|\/.*\+.*==$/)
    expect(value).not.toMatch(/[+/=]/)
    expect(store.calls).toEqual([
      ['session', value, { path: '/', httpOnly: true, secure: true }],
      ['session.sig', sign('session', value), { path: '/', httpOnly: true, secure: true }]
    ])
    expect(encodeURIComponent(value)).toBe(value)
  })

  it('makes the cookies Secure unless secure: false (a cookie store tells nothing of the connection)', async () => {
    for (const secure of [undefined, true, false]) {
      const store = new NextLikeStore()
      const session = await getSession(store, { keys, secure })
      session.n = 1
      await session.save()
      expect(store.calls.map(([, , options]) => options.secure)).toEqual(secure === false ? [false, false] : [true, true])
    }
    await expect(getSession(new NextLikeStore(), { keys, secure: false, sameSite: 'none' }).then(async (session) => {
      session.n = 1
      await session.save()
    })).rejects.toThrow(/sameSite "none"/)
  })

  it('passes the cookie attributes: expires from maxAge, sameSite, domain, secure, priority, partitioned', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const store = new NextLikeStore()
    const options = { keys, maxAge: 60_000, sameSite: 'none', secure: true, domain: 'example.com', path: '/app', priority: 'high', partitioned: true } as const
    const session = await getSession(store, options)
    session.n = 1
    await session.save()
    expect(store.calls[0]?.[2]).toEqual({
      path: '/app', domain: 'example.com', expires: new Date('2030-01-01T00:01:00Z'), httpOnly: true, secure: true, sameSite: 'none', priority: 'high', partitioned: true
    })
    vi.useRealTimers()
  })

  it('reads back what it saved, as the same tracked session', async () => {
    const store = new NextLikeStore()
    const first = await getSession(store, { keys })
    Object.assign(first, DATA)
    await first.save()
    const again = await getSession(store, { keys })
    expect({ ...again }).toEqual(DATA)
    expect([again.isNew, again.isChanged, again.isPopulated]).toEqual([false, false, true])
    again.count += 1
    expect(again.isChanged).toBe(true)
  })

  it('writes what cookie-session 2.1.1 and the Fetch entry read', async () => {
    const store = new NextLikeStore()
    const session = await getSession(store, { keys })
    Object.assign(session, DATA)
    await session.save()
    const app = express()
    app.use(cookieSessionRef({ keys }))
    app.get('/', (req, res) => { res.json((req as unknown as { session: unknown }).session) })
    expect((await request(app).get('/').set('Cookie', store.header())).body).toEqual(DATA)
    const scope = await fetchSession({ keys })(new Request('http://localhost/', { headers: { cookie: store.header() } }))
    expect({ ...scope.session }).toEqual(DATA)
  })

  it('reads the cookies the other entries write (standard base64), and one a framework percent-encoded', async () => {
    expect({ ...await getSession(storeWith(DATA, b64(DATA)), { keys }) }).toEqual(DATA)
    const raw = b64(DATA)
    const encoded = { get: (name: string) => ({ session: encodeURIComponent(raw), 'session.sig': sign('session', raw) } as Record<string, string>)[name], set: () => {} }
    expect({ ...await getSession(encoded, { keys }) }).toEqual(DATA)
  })

  it('re-issues an old-key cookie in base64url, not in the spelling it came in', async () => {
    const store = storeWith(DATA, b64(DATA), [keys[1] as string])
    const session = await getSession(store, { keys })
    expect(session.user).toBe(DATA.user)
    await session.save()
    expect(store.calls.map(([name, value]) => [name, value])).toEqual([['session', b64url(DATA)], ['session.sig', sign('session', b64url(DATA))]])
  })

  it('save() writes an unchanged session too, so that its expiry starts again (as iron-session\'s does)', async () => {
    const store = storeWith(DATA)
    const session = await getSession(store, { keys, maxAge: 1000 })
    expect(session.isChanged).toBe(false)
    await session.save()
    expect(store.calls.map(([name]) => name)).toEqual(['session', 'session.sig'])
  })

  it('save() of a new empty session writes nothing', async () => {
    const store = new NextLikeStore()
    await (await getSession(store, { keys })).save()
    expect(store.calls).toEqual([])
  })

  it('writes values encodeURIComponent leaves as they are: compressed, encrypted, chunked', async () => {
    const big = { notes: 'Zoë ~? '.repeat(500) }
    for (const options of [{ keys, compress: true }, { keys, encrypt: true }, { keys, chunked: true }]) {
      const store = new NextLikeStore()
      const session = await getSession(store, options)
      const data = options.encrypt === true ? DATA : big
      Object.assign(session, data)
      await session.save()
      const first = store.calls[0]?.[1] ?? ''
      expect(options.compress === true ? first.startsWith('.') : options.encrypt === true ? first.startsWith('e2.') : first.startsWith('~2~')).toBe(true)
      if (options.chunked === true) expect(store.calls.map(([name]) => name)).toEqual(['session', 'session.1', 'session.sig'])
      for (const [, value] of store.calls) expect(encodeURIComponent(value)).toBe(value)
      expect({ ...await getSession(store, options) }).toEqual(data)
    }
  })

  it('destroy() clears the cookies through the store at once, and empties the session it was called on', async () => {
    const store = storeWith(DATA)
    const session = await getSession(store, { keys })
    const done = session.destroy()
    expect(store.calls).toEqual([
      ['session', '', { path: '/', expires: EPOCH, httpOnly: true, secure: true }],
      ['session.sig', '', { path: '/', expires: EPOCH, httpOnly: true, secure: true }]
    ])
    await done
    expect({ ...session }).toEqual({})
    expect((await getSession(store, { keys })).isNew).toBe(true)
  })

  it('has save and destroy as methods, never as data', async () => {
    const session = await getSession(new NextLikeStore(), { keys })
    session.a = 1
    expect(Object.keys(session)).toEqual(['a'])
    expect(JSON.stringify(session)).toBe('{"a":1}')
    expect(typeof session.save).toBe('function')
    expect(typeof session.destroy).toBe('function')
    expect(() => { (session as Record<string, unknown>).save = 1 }).toThrow(TypeError)
  })

  it('refuses a session too large for its cookie, writing nothing', async () => {
    const store = new NextLikeStore()
    const session = await getSession(store, { keys })
    session.big = 'x'.repeat(5000)
    await expect(session.save()).rejects.toThrow(SessionTooLargeError)
    expect(store.calls).toEqual([])
  })
})

describe('in a server component (a store whose set() throws)', () => {
  it('reads the session', async () => {
    const value = b64url(DATA)
    const store = new NextLikeStore({ session: value, 'session.sig': sign('session', value) }, false)
    expect({ ...await getSession(store, { keys }) }).toEqual(DATA)
  })

  it('save() rejects with a SessionWriteError saying where a session can be saved', async () => {
    const session = await getSession(new NextLikeStore({}, false), { keys })
    session.user = 'Ann'
    const failure = await session.save().catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(SessionWriteError)
    expect((failure as Error).message).toBe('session cookie not written: the cookie store refused it ("Cookies can only be modified in a Server Action or Route Handler. Read more: https://nextjs.org/docs/app/api-reference/functions/cookies#options"). ' +
      'In Next.js, save in a Server Action, a route handler or proxy.ts; a server component can only read the session')
    expect((failure as Error).cause).toBeInstanceOf(Error)
  })

  it('destroy() throws that error at once', async () => {
    const readOnly = new NextLikeStore({ session: b64url(DATA), 'session.sig': sign('session', b64url(DATA)) }, false)
    const session = await getSession(readOnly, { keys })
    expect(() => session.destroy()).toThrow(SessionWriteError)
  })
})

describe('options', () => {
  it('are checked at the first call, not when they are made: no keys at build time is no error', async () => {
    const options = { keys: undefined, maxAge: 1000 }
    await expect(getSession(new NextLikeStore(), options)).rejects.toThrow(SessionOptionError)
    await expect(getSession(new NextLikeStore(), options)).rejects.toThrow(/^\.keys required\. Give option "keys"/)
  })

  it('are checked once per options object', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const options = { keys, maxage2: 1 }
    await getSession(new NextLikeStore(), options)
    await getSession(new NextLikeStore(), options)
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toContain('option "maxage2" is not an option of signed-cookie-session')
  })

  it('say what to pass when the cookie store is not one (a forgotten await cookies())', async () => {
    const forgotten = Promise.resolve(new NextLikeStore()) as unknown as CookieStoreLike
    await expect(getSession(forgotten, { keys })).rejects.toThrow(new TypeError('getSession(cookies, options): cookies must be a cookie store with get() and set(): ' +
      'in Next.js, `await cookies()` (from next/headers), or proxyCookies(request, response) in proxy.ts'))
  })

  it('hand what is reported, not thrown, to onError with the cookie store', async () => {
    const onError = vi.fn()
    const store = storeWith(DATA)
    const validate = (): boolean => Promise.reject(new Error('no database')) as unknown as boolean
    await expect(getSession(store, { keys, validate, onError })).rejects.toThrow(/option "validate" must return a boolean, not a Promise/)
    await vi.waitFor(() => expect(onError).toHaveBeenCalledTimes(1))
    expect(onError.mock.calls[0]?.[0]).toBeInstanceOf(SessionWriteError)
    expect((onError.mock.calls[0]?.[0] as Error).message).toContain('no database')
    expect(onError.mock.calls[0]?.[1]).toBe(store)
  })

  it('refuse a Keygrip instance: the Next entry signs with Web Crypto', async () => {
    await expect(getSession(new NextLikeStore(), { keys: new Keygrip(keys) as never })).rejects.toThrow(/Keygrip instance, which works only on Node/)
  })
})

describe('a SvelteKit-shaped store (get gives the value, set needs a path)', () => {
  it('reads and saves', async () => {
    const cookies = new Map<string, string>()
    const calls: Call[] = []
    const svelte = {
      get: (name: string) => cookies.get(name),
      set (name: string, value: string, options: { path: string } & Record<string, unknown>) {
        if (options?.path === undefined) throw new Error('You must specify a `path` when setting, deleting or serializing cookies')
        calls.push([name, value, options])
        cookies.set(name, value)
      }
    }
    const session = await getSession(svelte, { keys })
    session.n = 1
    await session.save()
    expect(calls.map(([name]) => name)).toEqual(['session', 'session.sig'])
    expect((await getSession(svelte, { keys })).n).toBe(1)
  })
})

describe('ironSession', () => {
  it('takes an iron-session cookie as the session; save() writes ours and expires theirs', async () => {
    const password = 'iron password of 32 characters!!'
    const store = new NextLikeStore({ app: await sealData(DATA, { password }) })
    const session = await getSession(store, { keys, ironSession: { cookieName: 'app', password } })
    expect({ ...session }).toEqual(DATA)
    expect(session.isNew).toBe(false)
    await session.save()
    expect(store.calls.map(([name, value, options]) => [name, value === '' ? '' : 'set', options.expires])).toEqual([
      ['session', 'set', undefined], ['session.sig', 'set', undefined], ['app', '', EPOCH]
    ])
  })
})

describe('with a store (the store option)', () => {
  it('writes the record on save(), and the id cookie through the cookie store', async () => {
    const sessions = new MemoryStore()
    const cookies = new NextLikeStore()
    const session = await getSession(cookies, { keys, store: sessions })
    session.user = 'Ann'
    await session.save()
    expect(cookies.calls.map(([name]) => name)).toEqual(['session', 'session.sig'])
    expect(cookies.calls[0]?.[1]).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect((await getSession(cookies, { keys, store: sessions })).user).toBe('Ann')
  })
})

describe('proxyCookies(request, response)', () => {
  /** A request's and a response's cookies, as NextRequest and NextResponse.next() hold them. */
  function proxyPair (cookie: Record<string, string>) {
    const request = { cookies: new NextLikeStore(cookie, false) }
    const response = { cookies: new NextLikeStore() }
    return { request, response }
  }

  it('reads the request\'s cookies and writes the response\'s, so the render sees what proxy saved', async () => {
    const value = b64url(DATA)
    const { request, response } = proxyPair({ session: value, 'session.sig': sign('session', value) })
    const session = await getSession(proxyCookies(request, response), { keys })
    expect(session.user).toBe(DATA.user)
    session.visits = 1
    await session.save()
    expect(response.cookies.calls.map(([name]) => name)).toEqual(['session', 'session.sig'])
    // A second read in the same proxy sees the response's cookie, not the request's older one.
    expect((await getSession(proxyCookies(request, response), { keys })).visits).toBe(1)
  })
})
