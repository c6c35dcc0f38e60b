import Keygrip from 'keygrip'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionSerializeError, SessionTooLargeError } from '../src/index.js'
import { cookieFrom, serve, type Req } from './helpers/apps.js'

const keys = ['k']
const EXPIRED = 'session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'

/** A server whose route runs `step` and answers when `step` calls `done(body)`. */
function serveAsync (step: (req: Req, done: (body: unknown) => void) => void, options = {}) {
  return serve(cookieSession({ keys, onError: () => {}, ...options }), (req) => new Promise((resolve) => step(req, resolve)))
}

async function sessionWith (data: Record<string, unknown>): Promise<string> {
  const { get } = serve(cookieSession({ keys }), (req) => { Object.assign(req.session, data) })
  return cookieFrom((await get()).setCookie)
}

describe.each(['regenerate', 'save', 'destroy', 'reload'] as const)('req.session.%s(callback)', (method) => {
  it('calls back asynchronously, exactly once, with null', async () => {
    const cookie = await sessionWith({ a: 1 })
    const { get } = serveAsync((req, done) => {
      const calls: unknown[] = []
      let sync = true
      req.session[method]((err: unknown) => calls.push([err, sync]))
      sync = false
      setTimeout(() => done(calls), 10)
    })
    expect((await get(cookie)).body).toEqual([[null, false]])
  })

  it('works without a callback, and when taken off the session', async () => {
    const { get } = serveAsync((req, done) => {
      const fn = req.session[method]
      fn()
      done('ok')
    })
    expect((await get()).body).toBe('ok')
  })

  it('throws a TypeError for a callback that is not a function', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => { req.session[method]('nope') })
    const res = await get()
    expect(res.status).toBe(500)
    expect(res.body.error).toBe(`req.session.${method}(callback): callback must be a function`)
  })
})

describe('the methods are not session data', () => {
  it('are hidden from keys and JSON, and cannot be overwritten', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => {
      'use strict'
      req.session.a = 1
      const view = { keys: Object.keys(req.session), json: JSON.stringify(req.session), type: typeof req.session.save }
      try { req.session.save = 'data' } catch (err) { return { ...view, threw: (err as Error).name } }
      return view
    })
    expect((await get()).body).toEqual({ keys: ['a'], json: '{"a":1}', type: 'function', threw: 'TypeError' })
  })

  it('keep working when the cookie holds data named save or regenerate', async () => {
    const value = Buffer.from('{"save":1,"regenerate":"x","user":"ann"}').toString('base64')
    const cookie = `session=${value}; session.sig=${new Keygrip(keys).sign('session=' + value)}`
    const { get } = serveAsync((req, done) => {
      req.session.regenerate(() => done({ isNew: req.session.isNew, user: req.session.user ?? null }))
    })
    expect((await get(cookie)).body).toEqual({ isNew: true, user: null })
  })
})

describe('regenerate', () => {
  it('gives a new empty session, while the previous object keeps its data (passport keepSessionInfo)', async () => {
    const cookie = await sessionWith({ cart: ['tea'] })
    const { get } = serveAsync((req, done) => {
      const before = req.session
      req.session.regenerate(() => {
        done({ isNew: req.session.isNew, now: { ...req.session }, before: { ...before }, same: before === req.session })
      })
    })
    expect((await get(cookie)).body).toEqual({ isNew: true, now: {}, before: { cart: ['tea'] }, same: false })
  })

  it('expires the cookie when nothing is stored after it, and writes the new contents otherwise', async () => {
    const cookie = await sessionWith({ user: 'mallory' })
    const empty = serveAsync((req, done) => req.session.regenerate(() => done(null)))
    expect((await empty.get(cookie)).setCookie[0]).toBe(EXPIRED)
    const filled = serveAsync((req, done) => req.session.regenerate(() => { req.session.user = 'ann'; done(null) }))
    expect((await filled.get(cookie)).setCookie[0]).toBe(`session=${Buffer.from('{"user":"ann"}').toString('base64')}; path=/; httponly`)
  })
})

describe('save', () => {
  it('reports an oversize session to its callback before the response ends', async () => {
    const { get } = serveAsync((req, done) => {
      req.session.big = 'x'.repeat(5000)
      req.session.save((err: Error | null) => {
        const error = err && { name: err.name, code: (err as SessionTooLargeError).code, ok: err instanceof SessionTooLargeError }
        delete req.session.big
        req.session.small = true
        done(error)
      })
    })
    const res = await get()
    expect(res.body).toEqual({ name: 'SessionTooLargeError', code: 'ERR_SESSION_TOO_LARGE', ok: true })
    expect(res.setCookie[0]).toBe('session=eyJzbWFsbCI6dHJ1ZX0=; path=/; httponly')
  })

  it('reports an unserialisable session to its callback', async () => {
    const { get } = serveAsync((req, done) => {
      req.session.n = 1n
      req.session.save((err: Error | null) => done(err instanceof SessionSerializeError))
    })
    expect((await get()).body).toBe(true)
  })
})

describe('destroy', () => {
  it('is req.session = null', async () => {
    const cookie = await sessionWith({ user: 'ann' })
    const { get } = serveAsync((req, done) => req.session.destroy(() => done(req.session)))
    const res = await get(cookie)
    expect(res.body).toBe(null)
    expect(res.setCookie[0]).toBe(EXPIRED)
  })
})

describe('reload', () => {
  it('drops this request\'s changes and reads the cookie again', async () => {
    const cookie = await sessionWith({ views: 1 })
    const { get } = serveAsync((req, done) => {
      req.session.views = 99
      req.session.reload(() => done({ views: req.session.views, isChanged: req.session.isChanged }))
    })
    const res = await get(cookie)
    expect(res.body).toEqual({ views: 1, isChanged: false })
    expect(res.setCookie).toEqual([])
  })
})

describe('touch', () => {
  afterEach(() => { vi.useRealTimers() })

  it('re-sends an unchanged session so its maxAge starts again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const cookie = await sessionWith({ views: 1 })
    const { get } = serve(cookieSession({ keys, maxAge: 60_000 }), (req) => { req.session.touch() })
    const res = await get(cookie)
    expect(res.setCookie[0]).toBe('session=eyJ2aWV3cyI6MX0=; path=/; expires=Tue, 01 Jan 2030 00:01:00 GMT; httponly')
  })

  it('sends nothing for a new empty session', async () => {
    const { get } = serve(cookieSession({ keys }), (req) => { req.session.touch() })
    expect((await get()).setCookie).toEqual([])
  })
})
