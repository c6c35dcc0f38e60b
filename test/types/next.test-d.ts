// `signed-cookie-session/next`: the session through a framework's cookie store. The real types of
// Next's `cookies()` are checked in the Next suite (test/next/types.test.ts, against the example's
// node_modules/next); here, stores shaped as Next's, SvelteKit's and Astro's.
import { describe, expectTypeOf, it } from 'vitest'
import type { Session, SessionWriteFailure } from 'signed-cookie-session'
import { getSession, proxyCookies, SessionWriteError, type CookieStoreLike, type CookieStoreOptions, type NextSession, type NextSessionOptions } from 'signed-cookie-session/next'

/** Next's `await cookies()`: get(...args) gives { name, value }, set has two forms and returns the store. */
declare const next: {
  get (...args: [name: string] | [{ name: string, value: string }]): { name: string, value: string } | undefined
  set (...args: [key: string, value: string, cookie?: { path?: string, expires?: Date | number, maxAge?: number, sameSite?: boolean | 'lax' | 'strict' | 'none' }] | [options: { name: string, value: string }]): typeof next
}
/** SvelteKit's `cookies`: get gives the value itself, set needs options with a path. */
declare const svelte: {
  get (name: string, opts?: { decode?: (value: string) => string }): string | undefined
  set (name: string, value: string, opts: { path: string, expires?: Date, sameSite?: boolean | 'lax' | 'strict' | 'none', httpOnly?: boolean, secure?: boolean }): void
}
/** Astro's `Astro.cookies`: get gives an AstroCookie, set takes more than strings. */
declare const astro: {
  get (key: string): { value: string, json (): unknown } | undefined
  set (key: string, value: string | number | boolean | Record<string, unknown>, options?: { path?: string, expires?: Date, sameSite?: boolean | 'lax' | 'strict' | 'none' }): void
}

describe('getSession()', () => {
  it('takes Next\'s, SvelteKit\'s and Astro\'s cookie stores as they are, and resolves to a NextSession', () => {
    expectTypeOf(getSession).toBeCallableWith(next, { keys: ['k'] })
    expectTypeOf(getSession).toBeCallableWith(svelte, { keys: ['k'] })
    expectTypeOf(getSession).toBeCallableWith(astro, { keys: ['k'] })
    expectTypeOf(getSession(next, { keys: ['k'] })).resolves.toEqualTypeOf<NextSession>()
  })

  it('gives a session with iron-session\'s save() and destroy(), and every session\'s flags', async () => {
    const session = await getSession(next, { keys: ['k'] })
    expectTypeOf(session).toExtend<Session>()
    expectTypeOf(session.save).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(session.destroy).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(session.isNew).toEqualTypeOf<boolean>()
    expectTypeOf(session.user).toBeAny()
  })

  it('makes a forgotten await a type error', async () => {
    const cookies = async (): Promise<typeof next> => next
    // @ts-expect-error cookies() is a promise in Next 15 and 16: await it
    await getSession(cookies(), { keys: ['k'] })
    // @ts-expect-error getSession() is a promise: await it
    getSession(next, { keys: ['k'] }).user = 'ann'
  })

  it('gives the hooks and onError the cookie store', () => {
    const options: NextSessionOptions = {
      keys: ['k'],
      ironSession: { cookieName: 'app', password: { 1: 'p'.repeat(32) } },
      beforeSave: (session, cookies) => {
        expectTypeOf(session).toEqualTypeOf<Session>()
        expectTypeOf(cookies).toEqualTypeOf<CookieStoreLike>()
      },
      onError: (err, cookies) => {
        expectTypeOf(err).toEqualTypeOf<SessionWriteFailure>()
        expectTypeOf(cookies).toEqualTypeOf<CookieStoreLike>()
      }
    }
    expectTypeOf(getSession).toBeCallableWith(next, options)
    // @ts-expect-error sameSite is 'strict', 'lax', 'none' or a boolean
    expectTypeOf(getSession).toBeCallableWith(next, { keys: ['k'], sameSite: 'relaxed' })
    expectTypeOf(new SessionWriteError('x')).toExtend<Error>()
  })
})

describe('proxyCookies()', () => {
  it('takes a NextRequest\'s and a NextResponse\'s cookies, and gives a cookie store', () => {
    const request = { cookies: { get: (name: string) => ({ name, value: '' }) } }
    const response = { cookies: { get: (name: string) => ({ name, value: '' }), set: (name: string, value: string, options: CookieStoreOptions) => response.cookies } }
    expectTypeOf(proxyCookies(request, response)).toEqualTypeOf<CookieStoreLike>()
  })
})
