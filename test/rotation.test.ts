import Keygrip from 'keygrip'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieSession } from '../src/index.js'
import { cookieFrom, serve } from './helpers/apps.js'

const value = 'eyJ1c2VyIjoiYW5uIn0=' // {"user":"ann"}
const signedBy = (key: string) => `session=${value}; session.sig=${new Keygrip([key]).sign('session=' + value)}`

describe('key rotation', () => {
  afterEach(() => { vi.useRealTimers() })

  it('accepts a cookie signed with any of the keys', async () => {
    const { get } = serve(cookieSession({ keys: ['k3', 'k2', 'k1'] }), (req) => req.session.user)
    for (const key of ['k3', 'k2', 'k1']) expect((await get(signedBy(key))).body).toBe('ann')
  })

  it('sends nothing for a cookie signed with the current key', async () => {
    const { get } = serve(cookieSession({ keys: ['new', 'old'] }), (req) => req.session.user)
    expect((await get(signedBy('new'))).setCookie).toEqual([])
  })

  it('re-issues an old-key cookie signed with keys[0], with its maxAge and other attributes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'))
    const mw = cookieSession({ keys: ['new', 'old'], maxAge: 60_000, sameSite: 'lax', domain: 'example.com' })
    const { get } = serve(mw, (req) => req.session.user)
    const res = await get(signedBy('old'))
    const attrs = '; path=/; expires=Tue, 01 Jan 2030 00:01:00 GMT; domain=example.com; samesite=lax; httponly'
    expect(res.body).toBe('ann')
    expect(res.setCookie).toEqual([
      `session=${value}${attrs}`,
      `session.sig=${new Keygrip(['new']).sign('session=' + value)}${attrs}`
    ])
  })

  it('the re-issued cookie verifies with the current key alone', async () => {
    const rotate = serve(cookieSession({ keys: ['new', 'old'] }), (req) => req.session.user)
    const reissued = cookieFrom((await rotate.get(signedBy('old'))).setCookie)
    const onlyNew = serve(cookieSession({ keys: ['new'] }), (req) => req.session.user)
    expect((await onlyNew.get(reissued)).body).toBe('ann')
  })

  it('writes the changed contents, not the old ones, when an old-key session is also changed', async () => {
    const { get } = serve(cookieSession({ keys: ['new', 'old'] }), (req) => { req.session.user = 'bob' })
    const res = await get(signedBy('old'))
    expect(res.setCookie[0]).toBe('session=eyJ1c2VyIjoiYm9iIn0=; path=/; httponly')
  })

  it('does not re-issue when the session is never read', async () => {
    const { get } = serve(cookieSession({ keys: ['new', 'old'] }), () => 'untouched')
    expect((await get(signedBy('old'))).setCookie).toEqual([])
  })

  it('verifies with a Keygrip instance and its own algorithm', async () => {
    const keygrip = new Keygrip(['x', 'y'], 'sha256')
    const write = serve(cookieSession({ keys: keygrip }), (req) => { req.session.user = 'ann' })
    const written = await write.get()
    expect(written.setCookie[1]).toBe(`session.sig=${keygrip.sign('session=' + value)}; path=/; httponly`)
    const read = serve(cookieSession({ keys: new Keygrip(['z', 'x'], 'sha256') }), (req) => req.session.user)
    const res = await read.get(cookieFrom(written.setCookie))
    expect(res.body).toBe('ann')
    expect(res.setCookie[1]).toBe(`session.sig=${new Keygrip(['z'], 'sha256').sign('session=' + value)}; path=/; httponly`)
  })
})

describe('invalid signatures', () => {
  it('give a new empty session and clear the bad .sig', async () => {
    const { get } = serve(cookieSession({ keys: ['k'] }), (req) => ({ isNew: req.session.isNew, user: req.session.user ?? null }))
    const res = await get(signedBy('someone-else'))
    expect(res.body).toEqual({ isNew: true, user: null })
    expect(res.setCookie).toEqual(['session.sig=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly'])
  })

  it('clear the .sig at the session\'s own path and domain, so the browser really drops it', async () => {
    const mw = cookieSession({ keys: ['k'], path: '/app', domain: 'example.com', sameSite: 'lax' })
    const { get } = serve(mw, (req) => req.session.isNew)
    expect((await get(signedBy('someone-else'))).setCookie).toEqual([
      'session.sig=; path=/app; expires=Thu, 01 Jan 1970 00:00:00 GMT; domain=example.com; samesite=lax; httponly'
    ])
  })

  it('a session without its .sig is new, and nothing is cleared', async () => {
    const { get } = serve(cookieSession({ keys: ['k'] }), (req) => req.session.isNew)
    const res = await get(`session=${value}`)
    expect(res.body).toBe(true)
    expect(res.setCookie).toEqual([])
  })

  it('a new session written over a bad one replaces both cookies', async () => {
    const { get } = serve(cookieSession({ keys: ['k'] }), (req) => { req.session.user = 'eve' })
    const res = await get(signedBy('someone-else'))
    expect(res.setCookie.map((line) => line.split('=')[0])).toEqual(['session', 'session.sig'])
    expect(res.setCookie[1]).not.toMatch(/^session\.sig=;/)
  })
})
