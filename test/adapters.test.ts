// One behaviour suite, run against every adapter: the same cases, not copies.
import Keygrip from 'keygrip'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { SessionCacheableError, SessionSerializeError, SessionTooLargeError } from '../src/index.js'
import { adapters, type Handle } from './helpers/adapters.js'
import { cookieFrom } from './helpers/apps.js'

const keys = ['a', 'b']
/** Encryption refuses secrets under 32 bytes. */
const sealingKeys = ['sealing-key-of-at-least-32-bytes-0', 'sealing-key-of-at-least-32-bytes-1']
const HI = 'session=eyJtZXNzYWdlIjoiaGkifQ==; session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0'
const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'

afterEach(() => { vi.useRealTimers() })

describe.each(adapters)('$name', (adapter) => {
  it('writes the known answer for {message:"hi"}', async () => {
    const res = await adapter.serve({ keys }, (s) => { s.session.message = 'hi' }).get()
    expect(res.setCookie).toEqual([
      'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly',
      'session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0; path=/; httponly'
    ])
  })

  it('reads it back, and sends nothing for a read, a same-value write or no access', async () => {
    const read = await adapter.serve({ keys }, (s) => [s.session.message, s.session.isNew]).get(HI)
    expect(read.body).toEqual(['hi', false])
    expect(read.setCookie).toEqual([])
    expect((await adapter.serve({ keys }, (s) => { s.session.message = 'hi' }).get(HI)).setCookie).toEqual([])
    expect((await adapter.serve({ keys }, () => 'untouched').get(HI)).setCookie).toEqual([])
  })

  it('destroys with session = null', async () => {
    const res = await adapter.serve({ keys }, (s) => { s.session = null }).get(HI)
    expect(res.setCookie).toEqual([
      `session=; path=/; ${EPOCH}; httponly`,
      `session.sig=${new Keygrip(keys).sign('session=')}; path=/; ${EPOCH}; httponly`
    ])
  })

  it('expires the cookie when the session is replaced by an empty one', async () => {
    const res = await adapter.serve({ keys }, (s) => { s.session = {} }).get(HI)
    expect(res.setCookie[0]).toBe(`session=; path=/; ${EPOCH}; httponly`)
  })

  it('re-issues an old-key cookie with its attributes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const res = await adapter.serve({ keys: ['c', 'a'], maxAge: 60_000 }, (s) => s.session.message).get(HI)
    expect(res.body).toBe('hi')
    expect(res.setCookie).toEqual([
      'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; expires=Tue, 01 Jan 2030 00:01:00 GMT; httponly',
      `session.sig=${new Keygrip(['c']).sign('session=eyJtZXNzYWdlIjoiaGkifQ==')}; path=/; expires=Tue, 01 Jan 2030 00:01:00 GMT; httponly`
    ])
  })

  it('gives a new session for a bad signature or garbage, and clears the bad .sig', async () => {
    const bad = await adapter.serve({ keys }, (s) => [s.session.isNew, s.session.isPopulated]).get('session=eyJtZXNzYWdlIjoiaGkifQ==; session.sig=forged')
    expect(bad.body).toEqual([true, false])
    expect(bad.setCookie).toEqual([`session.sig=; path=/; ${EPOCH}; httponly`])
    const garbage = await adapter.serve({ keys, signed: false }, (s) => s.session.isNew).get('session=%%%not-base64{')
    expect(garbage).toMatchObject({ status: 200, body: true })
  })

  it('changes the cookie of one response through sessionOptions', async () => {
    const res = await adapter.serve({ keys, signed: false }, (s) => {
      if (s.header('x-path')) s.sessionOptions.path = s.header('x-path')
      s.session.a = 1
    }).get('', { 'x-path': '/here' })
    expect(res.setCookie).toEqual(['session=eyJhIjoxfQ==; path=/here; httponly'])
  })

  it('reports an oversize or unserialisable session to onError and answers anyway', async () => {
    const errors: Error[] = []
    const onError = (err: Error) => { errors.push(err) }
    const big = await adapter.serve({ keys, onError }, (s) => { s.session.blob = 'x'.repeat(5000); return 'ok' }).get()
    const bigint = await adapter.serve({ keys, onError }, (s) => { s.session.n = 1n; return 'ok' }).get()
    expect([big.body, big.setCookie, bigint.body, bigint.setCookie]).toEqual(['ok', [], 'ok', []])
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError)
    expect(errors[1]).toBeInstanceOf(SessionSerializeError)
  })

  it('supports the express-session methods (regenerate, save)', async () => {
    const res = await adapter.serve({ keys }, (s) => new Promise((resolve) => {
      s.session.regenerate(() => {
        s.session.user = 'ann'
        s.session.save((err: Error | null) => resolve([err, s.session.isNew]))
      })
    })).get(HI)
    expect(res.body).toEqual([null, true])
    expect(res.setCookie[0]).toBe(`session=${Buffer.from('{"user":"ann"}').toString('base64')}; path=/; httponly`)
  })

  it('believes X-Forwarded-Proto: https with trustProxy, and only then', async () => {
    const route = (s: { session: Record<string, unknown> }) => { s.session.a = 1 }
    const trusted = await adapter.serve({ keys, trustProxy: true }, route).get('', { 'X-Forwarded-Proto': 'https' })
    expect(trusted.setCookie[0]).toBe('session=eyJhIjoxfQ==; path=/; secure; httponly')
    const untrusted = await adapter.serve({ keys }, route).get('', { 'X-Forwarded-Proto': 'https' })
    expect(untrusted.setCookie[0]).toBe('session=eyJhIjoxfQ==; path=/; httponly')
  })

  it('encrypts, and reads its encrypted cookie back', async () => {
    const written = await adapter.serve({ keys: sealingKeys, encrypt: true }, (s) => { s.session.user = 'ann' }).get()
    expect(written.setCookie).toHaveLength(1)
    expect(written.setCookie[0]).toMatch(/^session=e2\.[\w-]+; path=\/; httponly$/)
    const read = await adapter.serve({ keys: sealingKeys, encrypt: true }, (s) => s.session.user).get(cookieFrom(written.setCookie))
    expect(read.body).toBe('ann')
  })

  it('expires a session after idleTimeout', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const options = { keys, idleTimeout: 60_000 }
    const cookie = cookieFrom((await adapter.serve(options, (s) => { s.session.user = 'ann' }).get()).setCookie)
    vi.setSystemTime(new Date('2030-01-01T00:01:01Z'))
    const res = await adapter.serve(options, (s) => s.session.user ?? null).get(cookie)
    expect(res.body).toBe(null)
    expect(res.setCookie[0]).toBe(`session=; path=/; ${EPOCH}; httponly`)
  })
})

describe.each(adapters)('caching headers: $name', (adapter) => {
  /** The Vary and Cache-Control headers of a response. */
  const caching = (res: { header (name: string): string | undefined }) => [res.header('vary'), res.header('cache-control')]
  const write = (s: Handle) => { s.session.user = 'ann' }

  it('adds Vary: Cookie to a response whose request read the session, and no Cache-Control', async () => {
    const res = await adapter.serve({ keys }, (s) => s.session.message).get(HI)
    expect(res.body).toBe('hi')
    expect(caching(res)).toEqual(['Cookie', undefined])
  })

  it('adds nothing to a response whose request never touched the session', async () => {
    const res = await adapter.serve({ keys }, (s) => { s.setHeader('Cache-Control', 'public, max-age=60'); return 'page' }).get(HI)
    expect(caching(res)).toEqual([undefined, 'public, max-age=60'])
  })

  it('adds Cookie to the app\'s own Vary', async () => {
    const res = await adapter.serve({ keys }, (s) => { s.setHeader('Vary', 'Accept-Encoding'); return s.session.message }).get(HI)
    expect(res.header('vary')).toBe('Accept-Encoding, Cookie')
  })

  it.each(['*', 'cookie', 'Accept-Encoding, COOKIE'])('leaves the app\'s Vary: %s as it is', async (vary) => {
    const res = await adapter.serve({ keys }, (s) => { s.setHeader('Vary', vary); return s.session.message }).get(HI)
    expect(res.header('vary')).toBe(vary)
  })

  it('adds Cache-Control: private to a response that sets the session cookie', async () => {
    const res = await adapter.serve({ keys }, write).get()
    expect(res.setCookie).toHaveLength(2)
    expect(caching(res)).toEqual(['Cookie', 'private'])
  })

  it('adds Cache-Control: private to a response that clears it', async () => {
    const res = await adapter.serve({ keys }, (s) => { s.session = null }).get(HI)
    expect(res.setCookie[0]).toBe(`session=; path=/; ${EPOCH}; httponly`)
    expect(caching(res)).toEqual(['Cookie', 'private'])
  })

  it('puts private before the app\'s own directives', async () => {
    const res = await adapter.serve({ keys }, (s) => { s.setHeader('Cache-Control', 'max-age=60, must-revalidate'); write(s) }).get()
    expect(res.header('cache-control')).toBe('private, max-age=60, must-revalidate')
  })

  it.each(['no-store', 'private, max-age=60', 'no-cache, no-store'])('keeps the app\'s Cache-Control: %s', async (cacheControl) => {
    const errors: Error[] = []
    const res = await adapter.serve({ keys, onError: (err: Error) => { errors.push(err) } }, (s) => { s.setHeader('Cache-Control', cacheControl); write(s) }).get()
    expect(res.setCookie).toHaveLength(2)
    expect(caching(res)).toEqual(['Cookie', cacheControl])
    expect(errors).toEqual([])
  })

  it('keeps the app\'s Cache-Control: public on a response that sets the cookie, and reports it once per route', async () => {
    const errors: SessionCacheableError[] = []
    const server = adapter.serve({ keys, onError: (err: SessionCacheableError) => { errors.push(err) } }, (s) => {
      s.setHeader('Cache-Control', 'public, max-age=60')
      write(s)
    })
    const first = await server.get('', {}, '/account?token=t0ps3cret')
    await server.get('', {}, '/account')
    await server.get('', {}, '/settings')
    expect(first.setCookie).toHaveLength(2)
    expect(caching(first)).toEqual(['Cookie', 'public, max-age=60'])
    expect(errors.map((err) => [err.code, err.route, err.header])).toEqual([
      ['ERR_SESSION_CACHEABLE', 'GET /account', 'Cache-Control: public, max-age=60'],
      ['ERR_SESSION_CACHEABLE', 'GET /settings', 'Cache-Control: public, max-age=60']
    ])
    expect(errors[0]).toBeInstanceOf(SessionCacheableError)
    expect(errors[0]?.message).toBe('GET /account sets or clears the session cookie "session" on a response that shared caches may store ' +
      '(Cache-Control: public, max-age=60): a CDN or proxy could hand this user\'s cookie and page to other visitors. On this route, ' +
      'mark such responses "Cache-Control: private" (or "no-store"), or leave the session untouched; the header was kept as the app set it ' +
      '(reported once per route)')
  })

  it('reports s-maxage, which only shared caches read, the same way', async () => {
    const errors: SessionCacheableError[] = []
    const res = await adapter.serve({ keys, onError: (err: SessionCacheableError) => { errors.push(err) } }, (s) => {
      s.setHeader('Cache-Control', 'max-age=0, s-maxage=300')
      write(s)
    }).get()
    expect(caching(res)).toEqual(['Cookie', 'max-age=0, s-maxage=300'])
    expect(errors.map((err) => err.header)).toEqual(['Cache-Control: max-age=0, s-maxage=300'])
  })

  it('adds nothing with cacheHeaders: false, and reports nothing', async () => {
    const errors: Error[] = []
    const options = { keys, cacheHeaders: false, onError: (err: Error) => { errors.push(err) } }
    const read = await adapter.serve(options, (s) => s.session.message).get(HI)
    const written = await adapter.serve(options, write).get()
    const shared = await adapter.serve(options, (s) => { s.setHeader('Cache-Control', 'public, max-age=60'); write(s) }).get()
    expect([caching(read), caching(written), caching(shared)]).toEqual([[undefined, undefined], [undefined, undefined], [undefined, 'public, max-age=60']])
    expect(written.setCookie).toHaveLength(2)
    expect(errors).toEqual([])
  })

  it('adds Vary: Cookie when the cookie cannot be written, and no Cache-Control', async () => {
    const errors: Error[] = []
    const res = await adapter.serve({ keys, onError: (err: Error) => { errors.push(err) } }, (s) => { s.session.blob = 'x'.repeat(5000) }).get()
    expect(res.setCookie).toEqual([])
    expect(caching(res)).toEqual(['Cookie', undefined])
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError)
  })
})

describe('cookies are interchangeable between adapters', () => {
  for (const encrypt of [false, true]) {
    it(`a ${encrypt ? 'n encrypted' : ' signed'} cookie written by any adapter is read by every other`, async () => {
      const options = { keys: encrypt ? sealingKeys : keys, encrypt }
      for (const writer of adapters) {
        const cookie = cookieFrom((await writer.serve(options, (s) => { s.session.from = writer.name }).get()).setCookie)
        for (const reader of adapters) {
          const res = await reader.serve(options, (s) => [s.session.from, s.session.isNew]).get(cookie)
          expect([reader.name, res.body]).toEqual([reader.name, [writer.name, false]])
        }
      }
    })
  }
})
