// Issue 10, item 5: validate and beforeSave run while the request is read or the response written,
// so they must be synchronous. An async one is refused at creation; a sync one that returns a
// promise anyway is reported to onError, and its rejection never goes unhandled.
import { describe, expect, it } from 'vitest'
import { cookieSession, SessionOptionError, SessionWriteError } from '../../src/index.js'
import { fetchSession } from '../../src/fetch.js'
import { koaSession } from '../../src/koa.js'
import { cookieFrom, serve } from '../helpers/apps.js'
import { settle, watchUnhandledRejections } from './helpers.js'

const keys = ['k']
const unhandled = watchUnhandledRejections()
const factories = [['cookieSession', cookieSession], ['koaSession', koaSession], ['fetchSession', fetchSession]] as const

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
