// `signed-cookie-session/fetch`: the session reader for Request/Response handlers.
import { describe, expectTypeOf, it } from 'vitest'
import type { Session, SessionOptions, SessionWriteFailure } from 'signed-cookie-session'
import { fetchSession, type FetchSession, type FetchSessionOptions, type FetchSessions } from 'signed-cookie-session/fetch'

describe('fetchSession()', () => {
  it('returns an async function from Request to FetchSession (and the same as load)', () => {
    expectTypeOf(fetchSession({ keys: ['k'] })).toEqualTypeOf<FetchSessions>()
    expectTypeOf(fetchSession({ keys: ['k'] })).toBeCallableWith(new Request('http://x/'))
    expectTypeOf(fetchSession({ keys: ['k'] })).returns.resolves.toEqualTypeOf<FetchSession>()
    expectTypeOf(fetchSession({ keys: ['k'] }).load).returns.resolves.toEqualTypeOf<FetchSession>()
    expectTypeOf(fetchSession).toBeCallableWith(['new', 'old'])
  })

  it('makes a missing await a type error', async () => {
    const sessions = fetchSession({ keys: ['k'] })
    // @ts-expect-error sessions(request) is a promise: await it
    sessions(new Request('http://x/')).session = { user: 'ann' }
    const scope = await sessions(new Request('http://x/'))
    // @ts-expect-error commit() is a promise: await it before reading the response
    scope.commit(new Response('ok')).headers.getSetCookie()
  })

  it('gives the hooks and onError the Request', () => {
    const options: FetchSessionOptions = {
      keys: ['k'],
      beforeSave: (session, request) => {
        expectTypeOf(session).toEqualTypeOf<Session>()
        expectTypeOf(request).toEqualTypeOf<Request>()
      },
      onError: (err, request) => {
        expectTypeOf(err).toEqualTypeOf<SessionWriteFailure>()
        expectTypeOf(request).toEqualTypeOf<Request>()
      }
    }
    expectTypeOf(fetchSession).toBeCallableWith(options)
    // @ts-expect-error sameSite is 'strict', 'lax', 'none' or a boolean
    fetchSession({ keys: ['k'], sameSite: 'relaxed' })
  })
})

describe('FetchSession', () => {
  it('has session (Session | null), sessionOptions, and commit', () => {
    expectTypeOf<FetchSession['session']>().toEqualTypeOf<Session | null>()
    expectTypeOf<FetchSession['sessionOptions']>().toEqualTypeOf<SessionOptions>()
    const scope = {} as FetchSession
    scope.session = { views: 1 }
    scope.session = null
    // @ts-expect-error a session is an object
    scope.session = 1
  })

  it('commit resolves with what it was given: a Response or Headers', () => {
    const scope = {} as FetchSession
    expectTypeOf(scope.commit(new Response('ok'))).resolves.toEqualTypeOf<Response>()
    expectTypeOf(scope.commit(new Headers())).resolves.toEqualTypeOf<Headers>()
    // @ts-expect-error commit takes a Response or Headers
    scope.commit('ok')
  })
})
