// The validate and beforeSave hooks: what they decide, and that they stay synchronous (they run
// while the request is read or the response written): an async one is refused at creation; a sync
// one that returns a promise anyway is reported to onError, and its rejection never goes unhandled.
import { describe, expect, it, vi } from 'vitest'
import { fetchSession } from '../src/fetch.js'
import { cookieSession, SessionOptionError, SessionWriteError } from '../src/index.js'
import { koaSession } from '../src/koa.js'
import { cookieFrom, serve, type Req } from './helpers/apps.js'
import { settle, watchUnhandledRejections } from './helpers/settle.js'

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

const unhandled = watchUnhandledRejections()
// Typed alike: TypeScript cannot call a union of the three (each has type parameters of its own).
const factories: ReadonlyArray<readonly [string, (options?: any) => unknown]> = [['cookieSession', cookieSession], ['koaSession', koaSession], ['fetchSession', fetchSession]]

describe.each(factories)('%s refuses async hooks at creation', (_, factory) => {
  it.each(['beforeSave', 'validate'])('throws a TypeError naming %s', (option) => {
    const create = () => factory({ keys, [option]: async () => true } as never)
    expect(create).toThrow(TypeError)
    expect(create).toThrow(SessionOptionError)
    expect(create).toThrow(`option "${option}" must be a synchronous function, got an async function`)
  })
})

describe('a synchronous beforeSave that returns a rejected promise', () => {
  it('reports a SessionWriteError and the rejection to onError, with no unhandled rejection', async () => {
    const errors: unknown[] = []
    const rejection = new Error('audit log down')
    const mw = cookieSession({ keys, beforeSave: () => Promise.reject(rejection) as never, onError: (err) => { errors.push(err) } })
    const res = await serve(mw, (req) => { req.session.user = 'ann'; return 'ok' }).get()
    await settle()
    expect(res.body).toBe('ok')
    expect(errors).toHaveLength(2)
    expect(errors[0]).toBeInstanceOf(SessionWriteError)
    expect((errors[0] as Error).message).toContain('option "beforeSave" returned a Promise')
    expect(errors[1]).toBeInstanceOf(SessionWriteError)
    expect((errors[1] as Error).cause).toBe(rejection)
    expect(unhandled).toEqual([])
  })
})

describe('a synchronous validate that returns a promise', () => {
  it('hands its rejection to onError, with no unhandled rejection', async () => {
    const cookie = cookieFrom((await serve(cookieSession({ keys }), (req) => { req.session.user = 'ann' }).get()).setCookie)
    const errors: unknown[] = []
    const rejection = new Error('user lookup failed')
    const mw = cookieSession({ keys, validate: () => Promise.reject(rejection) as never, onError: (err) => { errors.push(err) } })
    const res = await serve(mw, (req) => req.session.user ?? null).get(cookie)
    await settle()
    expect(res.status).toBe(500)
    expect(res.body.error).toContain('option "validate" must return a boolean, not a Promise')
    expect(errors.map((err) => (err as Error).cause)).toContain(rejection)
    expect(unhandled).toEqual([])
  })
})
