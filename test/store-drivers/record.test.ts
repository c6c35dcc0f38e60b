// Records as express-session stores keep them (src/store/record.ts).
import { describe, expect, it } from 'vitest'
import { applyChange, canonicalJson, expiresAt, hasEnded, lifetimeOf, valueAt } from '../../src/store/record.js'

const cookie = { originalMaxAge: 1000, expires: new Date(2_000_000_000_000) }

describe('applyChange', () => {
  it('sets and unsets the changed keys, keeps every other key of the current record, and puts the new cookie first', () => {
    const next = applyChange({ user: 'ann', cookie: { old: true }, cart: ['tea'], step: 1 }, { set: { theme: 'dark', user: 'bob' }, unset: ['step'] }, cookie)
    expect(next).toEqual({ cookie, user: 'bob', cart: ['tea'], theme: 'dark' })
    expect(Object.keys(next)[0]).toBe('cookie')
  })

  it('keeps a key named __proto__ as data (an own property), never as the record\'s prototype', () => {
    const next = applyChange({}, { set: JSON.parse('{"__proto__": {"polluted": true}}'), unset: [] }, cookie)
    expect(Object.getPrototypeOf(next)).toBe(Object.prototype)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(JSON.stringify(next)).toContain('"__proto__":{"polluted":true}')
  })

  it('refuses a change to cookie, the record\'s lifetime', () => {
    expect(() => applyChange({}, { set: { cookie: 1 }, unset: [] }, cookie)).toThrow(TypeError)
  })
})

describe('lifetimes', () => {
  it('reads expires as a Date, an ISO string (as stores give it back) or nothing', () => {
    expect(expiresAt(cookie)).toBe(2_000_000_000_000)
    expect(expiresAt({ expires: new Date(2_000_000_000_000).toISOString() })).toBe(2_000_000_000_000)
    expect(expiresAt({ expires: null })).toBeUndefined()
    expect(expiresAt({ expires: 'not a date' })).toBeUndefined()
    expect(expiresAt(undefined)).toBeUndefined()
  })

  it('a session has ended when its expires has passed', () => {
    expect(hasEnded({ expires: new Date(999) }, 1000)).toBe(true)
    expect(hasEnded({ expires: new Date(1001) }, 1000)).toBe(false)
    expect(hasEnded({ expires: null }, 1000)).toBe(false)
  })

  it('gives a lifetime in ms until expires, else the fallback, and at least 1', () => {
    expect(lifetimeOf({ expires: new Date(5000) }, 1000, 99)).toBe(4000)
    expect(lifetimeOf({ expires: null }, 1000, 99)).toBe(99)
    expect(lifetimeOf({ expires: new Date(0) }, 1000, 99)).toBe(1)
  })
})

describe('values in records', () => {
  it('finds the value at a path through own properties only', () => {
    expect(valueAt({ passport: { user: 'ann' } }, ['passport', 'user'])).toBe('ann')
    expect(valueAt({ passport: {} }, ['passport', 'user'])).toBeUndefined()
    expect(valueAt({ passport: Object.create({ user: 'inherited' }) }, ['passport', 'user'])).toBeUndefined()
    expect(valueAt({ passport: 'ann' }, ['passport', 'user'])).toBeUndefined()
  })

  it('canonical JSON is the same whatever the key order, and tells 42 from "42"', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }))
    expect(canonicalJson(42)).not.toBe(canonicalJson('42'))
    expect(canonicalJson(undefined)).toBeUndefined()
  })
})
