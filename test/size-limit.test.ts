import { describe, expect, it } from 'vitest'
import { cookieSession, SessionTooLargeError } from '../src/index.js'
import { cookieFrom, serve } from './helpers/apps.js'

// `session=` (8) + base64 of 3000 bytes of JSON (4000) + `; path=` (7) + path + `; httponly` (10)
const data = { d: 'x'.repeat(2992) } // JSON.stringify(data).length === 3000
const pathFor = (lineLength: number) => '/' + 'p'.repeat(lineLength - 4025 - 1)

function sizedApp (lineLength: number, errors: unknown[]) {
  const mw = cookieSession({ keys: ['k'], path: pathFor(lineLength), onError: (err) => errors.push(err) })
  return serve(mw, (req) => {
    Object.assign(req.session, data)
    return req.session.encodedSize
  })
}

describe('the 4093-byte limit', () => {
  it('sends a session cookie of exactly 4093 bytes', async () => {
    const errors: unknown[] = []
    const res = await sizedApp(4093, errors).get()
    expect(res.body).toBe(4093)
    expect(res.setCookie).toHaveLength(2)
    expect(Buffer.byteLength(res.setCookie[0] as string)).toBe(4093)
    expect(errors).toEqual([])
  })

  it('never sends one of 4094 bytes, and reports it', async () => {
    const errors: unknown[] = []
    const res = await sizedApp(4094, errors).get()
    expect(res.status).toBe(200)
    expect(res.body).toBe(4094)
    expect(res.setCookie).toEqual([])
    expect(errors).toHaveLength(1)
    expect(errors[0]).toBeInstanceOf(SessionTooLargeError)
    expect(errors[0]).toMatchObject({ code: 'ERR_SESSION_TOO_LARGE', size: 4094, limit: 4093 })
    expect((errors[0] as Error).message).toMatch(/^session cookie "session" would be 4094 bytes, over the limit of 4093; it was not sent/)
  })

  it('leaves the previous cookie valid when an update is too large', async () => {
    const errors: unknown[] = []
    const mw = cookieSession({ keys: ['k'], onError: (err) => errors.push(err) })
    const small = await serve(mw, (req) => { req.session.cart = ['pear'] }).get()
    const cookie = cookieFrom(small.setCookie)
    const grow = await serve(mw, (req) => { req.session.cart.push('x'.repeat(5000)) }).get(cookie)
    expect(grow.setCookie).toEqual([])
    expect(errors).toHaveLength(1)
    const after = await serve(mw, (req) => req.session.cart).get(cookie)
    expect(after.body).toEqual(['pear'])
  })

  it('lets the app check the size before the response ends', async () => {
    const mw = cookieSession({ keys: ['k'], onError: () => {} })
    const { get } = serve(mw, (req) => {
      req.session.note = 'x'.repeat(5000)
      if (req.session.encodedSize > req.sessionOptions.maxSize) delete req.session.note
      req.session.kept = true
    })
    const res = await get()
    expect(res.setCookie[0]).toBe('session=eyJrZXB0Ijp0cnVlfQ==; path=/; httponly')
  })

  it('can be changed with maxSize, per middleware or per request', async () => {
    const errors: unknown[] = []
    const mw = cookieSession({ keys: ['k'], maxSize: 40, onError: (err) => errors.push(err) })
    const tight = await serve(mw, (req) => { req.session.a = 'x'.repeat(20) }).get()
    expect(tight.setCookie).toEqual([])
    expect(errors[0]).toMatchObject({ size: 66, limit: 40 })
    const loosened = await serve(mw, (req) => { req.sessionOptions.maxSize = 100; req.session.a = 'x'.repeat(20) }).get()
    expect(loosened.setCookie).toHaveLength(2)
  })

  it('reads back on the next request a cookie written under a per-request maxSize above the middleware\'s', async () => {
    const mw = cookieSession({ keys: ['k'] })
    const raised = await serve(mw, (req) => { req.sessionOptions.maxSize = 5000; req.session.a = 'x'.repeat(3400) }).get()
    expect((raised.setCookie[0] as string).length).toBeGreaterThan(4093)
    const next = await serve(mw, (req) => (req.session.a as string).length).get(cookieFrom(raised.setCookie))
    expect(next.body).toBe(3400)
  })

  it('can be lifted with maxSize: Infinity', async () => {
    const mw = cookieSession({ keys: ['k'], maxSize: Infinity })
    const res = await serve(mw, (req) => { req.session.big = 'x'.repeat(6000) }).get()
    expect((res.setCookie[0] as string).length).toBeGreaterThan(8000)
  })
})
