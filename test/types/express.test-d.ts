// `req.session` and `req.sessionOptions` on Express, as @types/cookie-session typed them.
import express, { type Request } from 'express'
import { describe, expectTypeOf, it } from 'vitest'
import cookieSession, { type Session, type SessionOptions } from 'signed-cookie-session'

describe('Express', () => {
  it('mounts the middleware', () => {
    expectTypeOf(express().use).toBeCallableWith(cookieSession({ keys: ['k'] }))
  })

  it('types req.session as Session | null | undefined (absent without the middleware)', () => {
    expectTypeOf<Request['session']>().toEqualTypeOf<Session | null | undefined>()
    expectTypeOf<Request['sessionOptions']>().toEqualTypeOf<SessionOptions>()
  })

  it('accepts an object, null or undefined for req.session, nothing else', () => {
    const req = {} as Request
    req.session = { views: 1 }
    req.session = null
    req.session = undefined
    // @ts-expect-error a session is an object
    req.session = 'views=1'
    // @ts-expect-error a session is an object
    req.session = 1
  })

  it('types req.sessionOptions like the cookie options', () => {
    const req = {} as Request
    req.sessionOptions.maxAge = 2000
    req.sessionOptions.maxSize = 2048
    // @ts-expect-error maxAge is a number
    req.sessionOptions.maxAge = 'long'
    // @ts-expect-error sameSite is 'strict', 'lax', 'none' or a boolean
    req.sessionOptions.sameSite = 'relaxed'
  })

  it('lets a route use the session once it has checked it is there', () => {
    express().get('/', (req, res) => {
      if (!req.session) return
      expectTypeOf(req.session).toEqualTypeOf<Session>()
      req.session.views = (req.session.views ?? 0) + 1
      res.end()
    })
  })
})
