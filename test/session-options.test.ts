// req.sessionOptions belongs to one response. What a request does to it,
// even through a Date it holds, never reaches the next; and its `name` is the cookie's, read-only.
import { describe, expect, it } from 'vitest'
import { adapters } from './helpers/adapters.js'

const keys = ['k']

describe.each(adapters)('req.sessionOptions ($name)', (adapter) => {
  it('keeps expires.setFullYear() in one request out of the next response', async () => {
    const app = adapter.serve({ keys, expires: new Date(Date.UTC(2030, 0, 1)) }, (s) => {
      if (s.header('x-change') === 'yes') s.sessionOptions.expires.setUTCFullYear(2099)
      s.session.n = (s.session.n ?? 0) + 1
      return 'ok'
    })
    const changed = await app.get(undefined, { 'X-Change': 'yes' })
    expect(changed.setCookie[0]).toContain('; expires=Thu, 01 Jan 2099 00:00:00 GMT;')
    const next = await app.get()
    expect(next.setCookie[0]).toContain('; expires=Tue, 01 Jan 2030 00:00:00 GMT;')
  })

  it('has the cookie name as name, which cannot be assigned', async () => {
    const res = await adapter.serve({ keys, name: 'sid' }, (s) => {
      let assigned = 'no error'
      try {
        s.sessionOptions.name = 'other'
      } catch (err) {
        assigned = (err as Error).constructor.name
      }
      s.session.user = 'ann'
      return { name: s.sessionOptions.name, assigned }
    }).get()
    expect(res.body).toEqual({ name: 'sid', assigned: 'TypeError' })
    expect(res.setCookie.map((line) => line.split('=')[0])).toEqual(['sid', 'sid.sig'])
  })

  it('refuses a replacement object with another name', async () => {
    const res = await adapter.serve({ keys, name: 'sid' }, (s) => {
      s.sessionOptions = { name: 'other' }
      return 'replaced'
    }).get()
    expect(res.status).toBe(500)
    expect(res.body.error).toContain('req.sessionOptions.name is read-only')
  })
})
