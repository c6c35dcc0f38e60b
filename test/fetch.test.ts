import { describe, expect, it } from 'vitest'
import { fetchSession } from '../src/fetch.js'

const sessions = fetchSession({ keys: ['k'] })
const request = (cookie?: string, url = 'http://example.com/') => new Request(url, { headers: cookie ? { cookie } : {} })

describe('fetchSession', () => {
  it('works destructured, as in a Next.js route handler', async () => {
    const handler = async (req: Request) => {
      const { session, commit } = await sessions(req)
      session!.views = (session!.views || 0) + 1
      return await commit(new Response(`${session!.views} views`))
    }
    const first = await handler(request())
    const cookie = first.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ')
    const second = await handler(request(cookie))
    expect(await second.text()).toBe('2 views')
  })

  it('copies a response whose headers are immutable, and returns the copy', async () => {
    const scope = await sessions(request())
    scope.session!.user = 'ann'
    const redirect = Response.redirect('http://example.com/home', 302)
    const committed = await scope.commit(redirect)
    expect(committed).not.toBe(redirect)
    expect(committed.status).toBe(302)
    expect(committed.headers.get('location')).toBe('http://example.com/home')
    expect(committed.headers.getSetCookie()[0]).toBe('session=eyJ1c2VyIjoiYW5uIn0=; path=/; httponly')
  })

  it('commits onto a Headers object, replacing an earlier line of the same name', async () => {
    const scope = await sessions(request())
    scope.session!.user = 'ann'
    const headers = new Headers([['set-cookie', 'session=stale'], ['set-cookie', 'theme=dark']])
    expect(await scope.commit(headers)).toBe(headers)
    expect(headers.getSetCookie().map((line) => line.split('=')[0])).toEqual(['theme', 'session', 'session.sig'])
  })

  it('marks the cookie secure on an https request', async () => {
    const scope = await sessions(request(undefined, 'https://example.com/'))
    scope.session!.user = 'ann'
    expect((await scope.commit(new Headers())).getSetCookie()[0]).toBe('session=eyJ1c2VyIjoiYW5uIn0=; path=/; secure; httponly')
  })

  it('returns the response untouched when there is nothing to write', async () => {
    const response = new Response('x')
    expect(await (await sessions(request())).commit(response)).toBe(response)
    expect(response.headers.getSetCookie()).toEqual([])
  })
})

describe('fetchSession, found in review', () => {
  it('replaces, not repeats, its cookies when commit is called twice', async () => {
    const scope = await fetchSession({ keys: ['k'], overwrite: false })(request())
    scope.session!.user = 'ann'
    const headers = new Headers()
    await scope.commit(headers)
    scope.session!.user = 'bob'
    await scope.commit(headers)
    expect(headers.getSetCookie().map((line) => line.split(';')[0])).toEqual([
      'session=eyJ1c2VyIjoiYm9iIn0=', expect.stringMatching(/^session\.sig=/)
    ])
  })

  it('trusts X-Forwarded-Proto only with trustProxy', async () => {
    const behindProxy = new Request('http://internal/', { headers: { 'x-forwarded-proto': 'https' } })
    const trusted = await fetchSession({ keys: ['k'], trustProxy: true })(behindProxy)
    trusted.session!.a = 1
    expect((await trusted.commit(new Headers())).getSetCookie()[0]).toBe('session=eyJhIjoxfQ==; path=/; secure; httponly')
    const untrusted = await fetchSession({ keys: ['k'] })(new Request(behindProxy))
    untrusted.session!.a = 1
    expect((await untrusted.commit(new Headers())).getSetCookie()[0]).toBe('session=eyJhIjoxfQ==; path=/; httponly')
  })
})
