import http from 'node:http'
import express from 'express'
import request from 'supertest'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, InsecureConnectionError, SessionError, SessionOptionError, SessionSerializeError } from '../src/index.js'
import { cookieFrom, frameworks, serve, setCookieOf } from './helpers/apps.js'

// 32 bytes and more: a shorter key would add its own warning (ERR_SESSION_WEAK_KEY) to those observed here.
const keys = ['a-key-of-at-least-32-bytes-for-tests']

function collect () {
  const errors: Array<{ err: Error & { code?: string }, hasReq: boolean, hasRes: boolean }> = []
  const onError = (err: Error, req: unknown, res: unknown) => { errors.push({ err, hasReq: !!req, hasRes: !!res }) }
  return { errors, onError }
}

describe('a cookie that cannot be written is reported to onError, and the response still goes out', () => {
  it.each([
    ['a BigInt', (s: any) => { s.n = 10n }, /Do not know how to serialize a BigInt/],
    ['a circular reference', (s: any) => { const a: any = {}; a.self = a; s.a = a }, /circular/i],
    ['a throwing toJSON', (s: any) => { s.x = { toJSON () { throw new Error('nope') } } }, /nope/]
  ])('reports a session holding %s as SessionSerializeError', async (_, fill, reason) => {
    const { errors, onError } = collect()
    const { get } = serve(cookieSession({ keys, onError }), (req) => { fill(req.session); return 'sent anyway' })
    const res = await get()
    expect(res.status).toBe(200)
    expect(res.body).toBe('sent anyway')
    expect(res.setCookie).toEqual([])
    expect(errors).toHaveLength(1)
    const [{ err, hasReq, hasRes }] = errors as [typeof errors[0]]
    expect(err).toBeInstanceOf(SessionSerializeError)
    expect(err).toBeInstanceOf(SessionError)
    expect(err.code).toBe('ERR_SESSION_SERIALIZE')
    expect(err.message).toMatch(reason)
    expect(err.message).toMatch(/it was not sent and the previous cookie stays valid$/)
    expect([hasReq, hasRes]).toEqual([true, true])
  })

  it('keeps the previous cookie valid after a failed write', async () => {
    const { onError } = collect()
    const mw = cookieSession({ keys, onError })
    const cookie = cookieFrom((await serve(mw, (req) => { req.session.user = 'ann' }).get()).setCookie)
    const failed = await serve(mw, (req) => { req.session.user = 'bob'; req.session.n = 1n }).get(cookie)
    expect(failed.setCookie).toEqual([])
    expect((await serve(mw, (req) => req.session.user).get(cookie)).body).toBe('ann')
  })

  it('reports an invalid per-request option as SessionOptionError', async () => {
    const { errors, onError } = collect()
    const { get } = serve(cookieSession({ keys, onError }), (req) => {
      req.sessionOptions.sameSite = 'sometimes'
      req.session.a = 1
    })
    const res = await get()
    expect(res.setCookie).toEqual([])
    expect(errors[0]?.err).toBeInstanceOf(SessionOptionError)
    expect(errors[0]?.err.message).toBe('option "sameSite" must be "strict", "lax", "none", true or false, got "sometimes"')
  })
})

describe('secure cookies', () => {
  function behindProxy (options: Parameters<typeof cookieSession>[0]) {
    const app = express()
    app.set('trust proxy', true)
    app.use(cookieSession(options))
    app.get('/', (req, res) => { req.session!.a = 1; res.end('ok') })
    return http.createServer(app)
  }

  it('reports a secure cookie on a plain-http connection as InsecureConnectionError', async () => {
    const { errors, onError } = collect()
    const { get } = serve(cookieSession({ keys, secure: true, onError }), (req) => { req.session.a = 1 })
    const res = await get()
    expect(res.status).toBe(200)
    expect(res.setCookie).toEqual([])
    expect(errors[0]?.err).toBeInstanceOf(InsecureConnectionError)
    expect(errors[0]?.err.code).toBe('ERR_SESSION_INSECURE')
    expect(errors[0]?.err.message).toMatch(/^Cannot send secure cookie over unencrypted connection/)
  })

  it('writes it over https seen through a trusted proxy', async () => {
    const res = await request(behindProxy({ keys, secure: true })).get('/').set('X-Forwarded-Proto', 'https')
    expect(setCookieOf(res.headers)[0]).toBe('session=eyJhIjoxfQ==; path=/; secure; httponly')
  })

  it('marks the cookie secure on https by default, as cookie-session does', async () => {
    const res = await request(behindProxy({ keys })).get('/').set('X-Forwarded-Proto', 'https')
    expect(setCookieOf(res.headers)[0]).toBe('session=eyJhIjoxfQ==; path=/; secure; httponly')
  })

  it('can be told not to mark it secure on https', async () => {
    const res = await request(behindProxy({ keys, secure: false })).get('/').set('X-Forwarded-Proto', 'https')
    expect(setCookieOf(res.headers)[0]).toBe('session=eyJhIjoxfQ==; path=/; httponly')
  })
})

describe('without onError', () => {
  afterEach(() => { vi.restoreAllMocks(); vi.resetModules() })

  it('emits one process warning per error code, not one per request', async () => {
    vi.resetModules()
    const { cookieSession: fresh } = await import('../src/index.js')
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    const { get } = serve(fresh({ keys }), (req) => { req.session.n = 1n; return 'ok' })
    for (let i = 0; i < 3; i++) expect((await get()).body).toBe('ok')
    const secure = serve(fresh({ keys, secure: true }), (req) => { req.session.a = 1 })
    await secure.get()
    expect(warn.mock.calls.map(([, options]) => (options as { code: string }).code)).toEqual(['ERR_SESSION_SERIALIZE', 'ERR_SESSION_INSECURE'])
    expect(warn.mock.calls[0]?.[1]).toMatchObject({ type: 'SignedCookieSessionWarning' })
  })

  it('reports an onError that throws as a warning instead of failing the response', async () => {
    vi.resetModules()
    const { cookieSession: fresh } = await import('../src/index.js')
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    const onError = () => { throw new Error('handler broke') }
    const { get } = serve(fresh({ keys, onError }), (req) => { req.session.n = 1n; return 'ok' })
    const res = await get()
    expect(res.status).toBe(200)
    expect(res.body).toBe('ok')
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^handler broke \(This warning is shown once per error code/), expect.objectContaining({ code: 'Error' }))
  })
})

describe('found in review', () => {
  afterEach(() => { vi.restoreAllMocks(); vi.resetModules() })

  it('turns an onError that rejects into a warning, not an unhandled rejection', async () => {
    vi.resetModules()
    const { cookieSession: fresh } = await import('../src/index.js')
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    const unhandled = vi.fn()
    process.on('unhandledRejection', unhandled)
    const onError = async () => { throw new Error('async handler broke') }
    const res = await serve(fresh({ keys, onError }), (req) => { req.session.n = 1n; return 'ok' }).get()
    await new Promise((resolve) => setTimeout(resolve, 20))
    process.off('unhandledRejection', unhandled)
    expect(res.body).toBe('ok')
    expect(unhandled).not.toHaveBeenCalled()
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^async handler broke /), expect.anything())
  })

  it('refuses to store a __proto__ key that the next request would reject', async () => {
    const { errors, onError } = collect()
    const res = await serve(cookieSession({ keys, onError }), (req) => { req.session.prefs = JSON.parse('{"__proto__":{},"theme":"dark"}') }).get()
    expect(res.setCookie).toEqual([])
    expect(errors[0]?.err).toBeInstanceOf(SessionSerializeError)
    expect(errors[0]?.err.message).toMatch(/a key named "__proto__"/)
  })

  it('reports signed: true on a request when the middleware has no keys', async () => {
    const { errors, onError } = collect()
    const res = await serve(cookieSession({ signed: false, onError }), (req) => { req.sessionOptions.signed = true; req.session.a = 1 }).get()
    expect(res.setCookie).toEqual([])
    expect(errors[0]?.err.message).toBe('option "signed" is true for this request, but the middleware has no keys to sign with')
  })

  it('trusts X-Forwarded-Proto on node:http only with trustProxy', async () => {
    const route = (req: any) => { req.session.a = 1 }
    const trusted = await serve(cookieSession({ keys, secure: true, trustProxy: true }), route, frameworks[3]).get('', { 'X-Forwarded-Proto': 'https' })
    expect(trusted.setCookie[0]).toBe('session=eyJhIjoxfQ==; path=/; secure; httponly')
    const { errors, onError } = collect()
    const untrusted = await serve(cookieSession({ keys, secure: true, onError }), route, frameworks[3]).get('', { 'X-Forwarded-Proto': 'https' })
    expect(untrusted.setCookie).toEqual([])
    expect(errors[0]?.err.message).toMatch(/otherwise the "trustProxy" option$/)
  })
})

describe('instanceof across the package\'s builds', () => {
  it('holds for an error from the Fetch entry\'s ES module build checked against the CommonJS classes, and the other way round', async () => {
    // The built files (npm test builds first), by URL so the type-check stays on src/.
    const built = (path: string) => new URL(`../dist/${path}`, import.meta.url).href
    const cjs = await import(built('index.js')) as typeof import('../src/index.js')
    const esm = await import(built('esm/fetch.js')) as typeof import('../src/fetch.js')
    expect(esm.SessionTooLargeError).not.toBe(cjs.SessionTooLargeError)
    const fromEsm = new esm.SessionTooLargeError('session', 5000, 4093)
    expect(fromEsm).toBeInstanceOf(cjs.SessionTooLargeError)
    expect(fromEsm).toBeInstanceOf(cjs.SessionError)
    expect(fromEsm).not.toBeInstanceOf(cjs.SessionStoreError)
    expect(new cjs.SessionStoreError('get', new Error('x'))).toBeInstanceOf(esm.SessionStoreError)
    expect(new esm.SessionOptionError('x')).toBeInstanceOf(cjs.SessionOptionError)
    expect(new esm.SessionOptionError('x')).toBeInstanceOf(TypeError)
    expect(new Error('x')).not.toBeInstanceOf(cjs.SessionError)
    expect({ code: 'ERR_SESSION_TOO_LARGE' }).not.toBeInstanceOf(cjs.SessionTooLargeError)
  })
})
