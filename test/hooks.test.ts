import { describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionWriteError } from '../src/index.js'
import { cookieFrom, serve, type Req } from './helpers/apps.js'

const keys = ['k']
const EXPIRED = 'session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'

describe('validate(session, req)', () => {
  const bindToAgent = cookieSession({
    keys,
    validate: (session, req) => session.agent === (req as Req).headers['user-agent']
  })
  const login = serve(bindToAgent, (req) => { req.session.agent = req.headers['user-agent']; req.session.user = 'ann' })
  const whoami = serve(bindToAgent, (req) => req.session.user ?? null)

  it('keeps a session it accepts', async () => {
    const cookie = cookieFrom((await login.get('', { 'User-Agent': 'browser-a' })).setCookie)
    expect((await whoami.get(cookie, { 'User-Agent': 'browser-a' })).body).toBe('ann')
  })

  it('turns a session it rejects into a new empty one, and expires the cookie', async () => {
    const cookie = cookieFrom((await login.get('', { 'User-Agent': 'browser-a' })).setCookie)
    const res = await whoami.get(cookie, { 'User-Agent': 'stolen-by-b' })
    expect(res.body).toBe(null)
    expect(res.setCookie[0]).toBe(EXPIRED)
  })

  it('is not called when there is no valid cookie', async () => {
    const validate = vi.fn(() => true)
    await serve(cookieSession({ keys, validate }), (req) => req.session.user ?? null).get('session=eyJ9; session.sig=bad')
    expect(validate).not.toHaveBeenCalled()
  })

  it('accepts a truthy result and rejects a falsy one, as koa-session\'s valid does', async () => {
    const cookie = cookieFrom((await login.get()).setCookie)
    const byUser = (validate: (s: Record<string, unknown>) => unknown) =>
      serve(cookieSession({ keys, validate: validate as never }), (req) => req.session.user ?? null).get(cookie)
    expect((await byUser((s) => s.user)).body).toBe('ann')
    expect((await byUser((s) => s.missing)).body).toBe(null)
  })

  it('refuses a validate that returns a Promise, which would accept every session', async () => {
    const cookie = cookieFrom((await login.get()).setCookie)
    const res = await serve(cookieSession({ keys, validate: (() => Promise.resolve(false)) as never }), (req) => req.session.user ?? null).get(cookie)
    expect(res.status).toBe(500)
    expect(res.body.error).toBe('option "validate" must return a boolean, not a Promise: it runs synchronously when req.session is first read')
  })
})

describe('beforeSave(session, req)', () => {
  it('runs just before a write and may change what is written', async () => {
    const beforeSave = vi.fn((session: Record<string, unknown>) => { session.savedBy = 'hook' })
    const res = await serve(cookieSession({ keys, beforeSave }), (req) => { req.session.user = 'ann' }).get()
    expect(beforeSave).toHaveBeenCalledTimes(1)
    const read = serve(cookieSession({ keys }), (req) => ({ ...req.session }))
    expect((await read.get(cookieFrom(res.setCookie))).body).toEqual({ user: 'ann', savedBy: 'hook' })
  })

  it('is not called when nothing is written', async () => {
    const beforeSave = vi.fn()
    const mw = cookieSession({ keys, beforeSave })
    const cookie = cookieFrom((await serve(cookieSession({ keys }), (req) => { req.session.user = 'ann' }).get()).setCookie)
    await serve(mw, (req) => req.session.user).get(cookie)
    await serve(mw, () => 'untouched').get(cookie)
    expect(beforeSave).not.toHaveBeenCalled()
  })

  it('reports a throw to onError, and the response still goes out', async () => {
    const errors: Error[] = []
    const mw = cookieSession({ keys, beforeSave: () => { throw new Error('hook failed') }, onError: (err) => errors.push(err) })
    const res = await serve(mw, (req) => { req.session.user = 'ann'; return 'ok' }).get()
    expect(res.body).toBe('ok')
    expect(res.setCookie).toEqual([])
    expect(errors.map((err) => [(err as SessionWriteError).code, err.message, (err.cause as Error).message]))
      .toEqual([['ERR_SESSION_WRITE', 'session cookie not written: hook failed', 'hook failed']])
    expect(errors[0]).toBeInstanceOf(SessionWriteError)
  })
})

describe('with none of the security options set', () => {
  it('writes exactly cookie-session\'s cookies', async () => {
    const res = await serve(cookieSession({ keys: ['a', 'b'] }), (req) => { req.session.message = 'hi' }).get()
    expect(res.setCookie).toEqual([
      'session=eyJtZXNzYWdlIjoiaGkifQ==; path=/; httponly',
      'session.sig=vdp2-kj-91tgzbWcV1QzofT3hu0; path=/; httponly'
    ])
  })
})
