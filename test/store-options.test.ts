// The options of store mode, checked when the middleware is created: the store itself (any
// express-session Store, or koa-session's promise store), how it is called, how long a call may
// take, and the user key for destroyAll(). The ids it is given are 256 random bits.
import { MemoryStore } from 'express-session'
import { describe, expect, it } from 'vitest'
import { cookieSession, SessionOptionError } from '../src/index.js'
import { nodePlatform } from '../src/platform/node.js'

const keys = ['k'.repeat(32)]
const store = new MemoryStore()

describe('the store option', () => {
  it('is refused unless it has get, set and destroy, naming what is missing', () => {
    const create = () => cookieSession({ keys, store: { get () {}, set () {} } as never })
    expect(create).toThrow(SessionOptionError)
    expect(create).toThrow('option "store" must be an express-session Store or a koa-session store (an object with get, set and destroy methods), got an object without destroy')
    expect(() => cookieSession({ keys, store: 'redis' as never })).toThrow('option "store" must be an express-session Store or a koa-session store (an object with get, set and destroy methods), got string')
  })

  it('asks for storeKind when the store\'s shape cannot tell how to call it', () => {
    const variadic = { get: (...args: unknown[]) => args, set: (...args: unknown[]) => args, destroy: (...args: unknown[]) => args }
    expect(() => cookieSession({ keys, store: variadic })).toThrow('say which with option "storeKind": "callback" (express-session) or "promise" (koa-session)')
    expect(() => cookieSession({ keys, store: variadic, storeKind: 'promise' })).not.toThrow()
  })

  it.each([
    ['storeKind', 'koa', 'option "storeKind" must be "callback" (express-session) or "promise" (koa-session), got "koa"'],
    ['storeTimeout', 0, 'option "storeTimeout" must be a positive number of milliseconds, got 0'],
    ['storeTimeout', '5s', 'option "storeTimeout" must be a positive number of milliseconds, got "5s"'],
    ['userKey', 'passport..user', 'option "userKey" must be a key of the session data, or a dotted path such as "passport.user", got "passport..user"']
  ])('refuses %s: %j', (option, value, message) => {
    expect(() => cookieSession({ keys, store, [option]: value })).toThrow(message)
  })

  it.each(['storeKind', 'storeTimeout', 'userKey'])('refuses %s without a store', (option) => {
    expect(() => cookieSession({ keys, [option]: option === 'storeTimeout' ? 1000 : 'callback' })).toThrow(`option "${option}" is only used with "store"`)
  })
})

describe('session ids', () => {
  it('are 256 random bits in base64url, never twice the same', () => {
    const ids = new Set(Array.from({ length: 1000 }, nodePlatform.newId))
    expect(ids.size).toBe(1000)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/)
  })
})
