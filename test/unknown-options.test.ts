// Options of other session libraries that would silently change where the data
// lives are refused with what to do instead; any other unknown name is one warning at creation,
// with a "did you mean" for a near miss; cookie-session's own `maxage` alias still just works.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession, SessionOptionError } from '../src/index.js'
import { fetchSession } from '../src/fetch.js'
import { koaSession } from '../src/koa.js'
import { serve } from './helpers/apps.js'

// 32 bytes and more: a shorter key would add its own warning (ERR_SESSION_WEAK_KEY) to those observed here.
const keys = ['a-key-of-at-least-32-bytes-for-tests']
// Typed alike: TypeScript cannot call a union of the three (each has type parameters of its own).
const factories: ReadonlyArray<readonly [string, (options?: any) => unknown]> = [['cookieSession', cookieSession], ['koaSession', koaSession], ['fetchSession', fetchSession]]

const migrations: Array<[string, unknown, string]> = [
  ['cookie', {}, 'give its settings (maxAge, sameSite, secure, ...) as options of their own'],
  ['genid', () => 'id', 'without "store" there is no session id to make'],
  ['encode', (s: string) => s, 'for a cookie the client cannot read, use "encrypt: true"'],
  ['decode', (s: string) => s, 'for a cookie the client cannot read, use "encrypt: true"']
]

describe.each(factories)('%s given another library\'s option', (name, factory) => {
  // genid, encode and decode are koa-session's, which the Koa adapter takes (test/koa-session-compat.test.ts).
  const refused = name === 'koaSession' ? migrations.filter(([option]) => option === 'cookie') : migrations
  it.each(refused)('throws a TypeError for %s, saying what to do instead', (option, value, hint) => {
    const create = () => factory({ keys, [option]: value } as never)
    expect(create).toThrow(SessionOptionError)
    expect(create).toThrow(TypeError)
    expect(create).toThrow(`option "${option}" is not supported: `)
    expect(create).toThrow(hint)
  })
})

describe.each(factories)('%s given something that is not a store as "store"', (_, factory) => {
  it('throws a TypeError naming the option and what a store needs', () => {
    const create = () => factory({ keys, store: {} } as never)
    expect(create).toThrow(SessionOptionError)
    expect(create).toThrow('option "store" must be an express-session Store or a koa-session store (an object with get, set and destroy methods), got an object without get, set, destroy')
  })
})

describe('an unknown option name', () => {
  afterEach(() => { vi.restoreAllMocks() })

  const warningsOf = (options: object): unknown[][] => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    cookieSession({ keys, ...options })
    return warn.mock.calls
  }

  it('gives one warning naming it, with the option it was probably meant to be', () => {
    const calls = warningsOf({ maxage2: 1 })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.[0]).toBe('option "maxage2" is not an option of signed-cookie-session and is ignored; did you mean "maxAge"?')
    expect(calls[0]?.[1]).toMatchObject({ code: 'ERR_SESSION_UNKNOWN_OPTION' })
  })

  it('gives a warning for express-session\'s resave without a store, where it means nothing', () => {
    const calls = warningsOf({ resave: false })
    expect(calls).toHaveLength(1)
    expect(calls[0]?.[0]).toBe('option "resave" is express-session\'s and is used only with "store"; without one the whole session is in the cookie, and it is ignored')
  })
})

describe('cookie-session\'s maxage', () => {
  afterEach(() => { vi.restoreAllMocks() })

  it('is accepted silently and sets the cookie\'s expiry', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {})
    const mw = cookieSession({ keys, maxage: 60_000 } as never)
    expect(warn).not.toHaveBeenCalled()
    const before = Date.now()
    const res = await serve(mw, (req) => { req.session.user = 'ann' }).get()
    const expires = Date.parse(/; expires=([^;]+);/.exec(res.setCookie[0] as string)?.[1] ?? '')
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 60_000 - 1000)
    expect(expires).toBeLessThanOrEqual(Date.now() + 60_000)
  })
})
