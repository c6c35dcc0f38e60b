// Express with SessionData declared (session-data.ts): req.session has those keys, of those types.
import express, { type Request } from 'express'
import { describe, expectTypeOf, it } from 'vitest'
import cookieSession, { type Session, type SessionData } from 'signed-cookie-session'

describe('req.session with SessionData declared', () => {
  it('is Session (the flags, the methods and the declared keys) | null | undefined', () => {
    expectTypeOf<Request['session']>().toEqualTypeOf<Session | null | undefined>()
    expectTypeOf<Session>().toEqualTypeOf<Session<SessionData>>()
    expectTypeOf<Session>().toExtend<SessionData>()
  })

  it('reads each declared key as its type, and refuses a wrong type or an undeclared key', () => {
    express().get('/', (req, res) => {
      if (!req.session) return
      expectTypeOf(req.session.userId).toBeString()
      expectTypeOf(req.session.views).toEqualTypeOf<number | undefined>()
      req.session.views = (req.session.views ?? 0) + 1
      req.session.cart = { items: [{ sku: 'a1', qty: 1 }] }
      // @ts-expect-error userId is a string
      req.session.userId = 42
      // @ts-expect-error views is a number
      req.session.views = '1'
      // @ts-expect-error qty is a number
      req.session.cart = { items: [{ sku: 'a1', qty: '1' }] }
      // @ts-expect-error an undeclared key
      req.session.role = 'admin'
      // @ts-expect-error an undeclared key, read
      res.end(String(req.session.user))
    })
  })

  it('keeps the flags and methods', () => {
    const req = {} as Request
    if (!req.session) return
    expectTypeOf(req.session.isNew).toBeBoolean()
    expectTypeOf(req.session.isPopulated).toBeBoolean()
    expectTypeOf(req.session.encodedSize).toBeNumber()
    expectTypeOf(req.session.regenerate()).toEqualTypeOf<Promise<void>>()
    expectTypeOf(req.session.save).toBeCallableWith((err: unknown) => err)
    // @ts-expect-error isNew is read-only
    req.session.isNew = true
  })

  it('checks what is assigned to req.session: an object of the declared shape, null or undefined', () => {
    const req = {} as Request
    req.session = { userId: 'ann' }
    req.session = { userId: 'ann', views: 1, cart: { items: [] } }
    req.session = null
    req.session = undefined
    // @ts-expect-error userId is missing
    req.session = { views: 1 }
    // @ts-expect-error userId is a string
    req.session = { userId: 1 }
    // @ts-expect-error an undeclared key
    req.session = { userId: 'ann', role: 'admin' }
    // @ts-expect-error a session is an object
    req.session = 'userId=ann'
  })

  it('gives the hooks the declared session', () => {
    express().use(cookieSession({
      keys: ['k'],
      validate (session) {
        expectTypeOf(session).toEqualTypeOf<Session>()
        return session.userId !== ''
      },
      beforeSave (session) {
        // @ts-expect-error views is a number
        session.views = 'many'
      }
    }))
  })
})
