// Types of the main entry, as an ES-module consumer sees them (through the package's exports map,
// so these check the built declarations in dist/).
import type { IncomingMessage, ServerResponse } from 'node:http'
import Keygrip from 'keygrip'
import { describe, expectTypeOf, it } from 'vitest'
import cookieSession, {
  cookieSession as named,
  DEFAULT_MAX_SIZE,
  InsecureConnectionError,
  SessionCacheableError,
  SessionError,
  SessionOptionError,
  SessionSerializeError,
  SessionTooLargeError,
  SessionStoreError,
  SessionWriteError,
  type CookieSessionMiddleware,
  type CookieSessionOptions,
  type ErrorHandler,
  type Session,
  type SessionOptions,
  type SessionWriteFailure
} from 'signed-cookie-session'

describe('cookieSession()', () => {
  it('is the default and a named export, and returns a (req, res, next?) middleware', () => {
    expectTypeOf(named).toEqualTypeOf(cookieSession)
    expectTypeOf(cookieSession({ keys: ['k'] })).toEqualTypeOf<CookieSessionMiddleware>()
    expectTypeOf<CookieSessionMiddleware>().parameters.toEqualTypeOf<[IncomingMessage, ServerResponse, ((err?: unknown) => void)?]>()
  })

  it('takes options, a list of keys, or a Keygrip', () => {
    expectTypeOf(cookieSession).toBeCallableWith({ name: 'sid', keys: ['k', Buffer.from('old')], maxAge: 1000, sameSite: 'lax' })
    expectTypeOf(cookieSession).toBeCallableWith(['new', 'old'])
    expectTypeOf(cookieSession).toBeCallableWith(new Keygrip(['k'], 'sha256'))
    expectTypeOf(cookieSession).toBeCallableWith({ keys: new Keygrip(['k']), encrypt: true, idleTimeout: 60_000, renew: true })
  })

  it('rejects options of the wrong type', () => {
    // @ts-expect-error maxAge is a number of milliseconds
    cookieSession({ keys: ['k'], maxAge: 'a day' })
    // @ts-expect-error sameSite is 'strict', 'lax', 'none' or a boolean
    cookieSession({ keys: ['k'], sameSite: 'relaxed' })
    // @ts-expect-error keys is a list, not a single string
    cookieSession({ keys: 'k' })
    // @ts-expect-error a key is a string or a Buffer
    cookieSession({ keys: [42] })
    // @ts-expect-error priority is 'low', 'medium' or 'high'
    cookieSession({ keys: ['k'], priority: 'urgent' })
    // @ts-expect-error a misspelt option is caught
    cookieSession({ keys: ['k'], signd: false })
    // @ts-expect-error validate must not be async
    cookieSession({ keys: ['k'], validate: async () => true })
    // @ts-expect-error onError gets the write failure first
    cookieSession({ keys: ['k'], onError: (err: string) => err })
  })

  it('types the hooks with the node:http request and response', () => {
    const options: CookieSessionOptions = {
      keys: ['k'],
      validate (session, req) {
        expectTypeOf(session).toEqualTypeOf<Session>()
        expectTypeOf(req).toEqualTypeOf<IncomingMessage>()
        return true
      },
      beforeSave (session, req) {
        expectTypeOf(session).toEqualTypeOf<Session>()
        expectTypeOf(req).toEqualTypeOf<IncomingMessage>()
      },
      onError (err, req, res) {
        expectTypeOf(err).toEqualTypeOf<SessionWriteFailure>()
        expectTypeOf(req).toEqualTypeOf<IncomingMessage>()
        expectTypeOf(res).toEqualTypeOf<ServerResponse>()
      }
    }
    expectTypeOf(options).toExtend<SessionOptions>()
    expectTypeOf<ErrorHandler>().toExtend<NonNullable<CookieSessionOptions['onError']>>()
  })

  it('exports DEFAULT_MAX_SIZE as a number', () => {
    expectTypeOf(DEFAULT_MAX_SIZE).toBeNumber()
  })
})

describe('Session', () => {
  it('has read-only flags and encodedSize', () => {
    expectTypeOf<Pick<Session, 'isNew' | 'isChanged' | 'isPopulated' | 'encodedSize'>>()
      .toEqualTypeOf<{ readonly isNew: boolean, readonly isChanged: boolean, readonly isPopulated: boolean, readonly encodedSize: number }>()
    const session = {} as Session
    // @ts-expect-error isNew is read-only
    session.isNew = false
    // @ts-expect-error isChanged is read-only
    session.isChanged = true
    // @ts-expect-error isPopulated is read-only
    session.isPopulated = true
    // @ts-expect-error encodedSize is read-only
    session.encodedSize = 0
  })

  it('holds data of any type by name', () => {
    const session = {} as Session
    expectTypeOf(session.views).toBeAny()
    session.cart = { items: [1, 2] }
  })

  it('has express-session\'s methods, whose callbacks get a write failure or null, and promises without one', () => {
    const session = {} as Session
    for (const method of [session.regenerate, session.save, session.destroy, session.reload]) {
      expectTypeOf(method).toBeCallableWith()
      expectTypeOf(method).toBeCallableWith((err: SessionWriteFailure | null) => err)
    }
    expectTypeOf(session.save((err) => err)).toBeVoid()
    expectTypeOf(session.save()).toEqualTypeOf<Promise<void>>()
    expectTypeOf(session.regenerate()).toEqualTypeOf<Promise<void>>()
    expectTypeOf(session.touch).parameters.toEqualTypeOf<[]>()
  })
})

describe('errors', () => {
  it('SessionWriteFailure narrows to its class on `code`', () => {
    const describeFailure = (err: SessionWriteFailure): string => {
      switch (err.code) {
        case 'ERR_SESSION_TOO_LARGE':
          expectTypeOf(err).toEqualTypeOf<SessionTooLargeError>()
          expectTypeOf(err.size).toBeNumber()
          expectTypeOf(err.limit).toBeNumber()
          return 'too large'
        case 'ERR_SESSION_SERIALIZE':
          expectTypeOf(err).toEqualTypeOf<SessionSerializeError>()
          return 'serialize'
        case 'ERR_SESSION_INSECURE':
          expectTypeOf(err).toEqualTypeOf<InsecureConnectionError>()
          return 'insecure'
        case 'ERR_SESSION_OPTION':
          expectTypeOf(err).toEqualTypeOf<SessionOptionError>()
          return 'option'
        case 'ERR_SESSION_WRITE':
          expectTypeOf(err).toEqualTypeOf<SessionWriteError>()
          return 'write'
        case 'ERR_SESSION_STORE':
          expectTypeOf(err).toEqualTypeOf<SessionStoreError>()
          return 'store'
        case 'ERR_SESSION_STORE_CONFLICT':
          // A SessionStoreConflictError: an update that lost every bounded retry; still a SessionStoreError.
          expectTypeOf(err).toEqualTypeOf<SessionStoreError>()
          return 'conflict'
        case 'ERR_SESSION_CACHEABLE':
          expectTypeOf(err).toEqualTypeOf<SessionCacheableError>()
          expectTypeOf(err.route).toBeString()
          expectTypeOf(err.header).toBeString()
          return 'cacheable'
        default:
          expectTypeOf(err).toBeNever()
          return 'unreachable'
      }
    }
    expectTypeOf(describeFailure).parameter(0).toEqualTypeOf<SessionWriteFailure>()
  })

  it('classes are values and types, with their codes as literal types', () => {
    expectTypeOf(new SessionTooLargeError('session', 5000, 4093)).toExtend<SessionError>()
    expectTypeOf(new SessionTooLargeError('session', 5000, 4093).code).toEqualTypeOf<'ERR_SESSION_TOO_LARGE'>()
    expectTypeOf<SessionSerializeError['code']>().toEqualTypeOf<'ERR_SESSION_SERIALIZE'>()
    expectTypeOf<InsecureConnectionError['code']>().toEqualTypeOf<'ERR_SESSION_INSECURE'>()
    expectTypeOf<SessionWriteError['code']>().toEqualTypeOf<'ERR_SESSION_WRITE'>()
    expectTypeOf<SessionOptionError['code']>().toEqualTypeOf<'ERR_SESSION_OPTION'>()
    expectTypeOf<SessionCacheableError['code']>().toEqualTypeOf<'ERR_SESSION_CACHEABLE'>()
    expectTypeOf<SessionError['code']>().toBeString()
    expectTypeOf<SessionOptionError>().toExtend<TypeError>()
  })

  it('instanceof narrows an unknown error', () => {
    const err: unknown = new Error('x')
    if (err instanceof SessionTooLargeError) expectTypeOf(err.limit).toBeNumber()
    if (err instanceof SessionError) expectTypeOf(err.code).toBeString()
  })
})
