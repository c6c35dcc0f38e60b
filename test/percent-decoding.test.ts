// Cookie values a framework percent-encoded on the way out (Next's `cookies().set()`, SvelteKit's
// and Astro's `cookies.set()` run encodeURIComponent over the value) are read as the value that was
// signed: every entry percent-decodes a value holding "%" before verifying it — the session value,
// its chunks and its `.sig`. So a cookie an app wrote with an earlier release through Next's cookie
// API (`+`, `/` and `=` sent as %2B, %2F and %3D, the signature made over the plain value) keeps its
// user signed in. A malformed escape is a bad cookie like any other: a new session, no error.
import Keygrip from 'keygrip'
import { describe, expect, it } from 'vitest'
import { adapters } from './helpers/adapters.js'

const keys = ['a', 'b']
const EPOCH = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'
const DATA = { message: 'Zoë >' }
// cookie-session's value for DATA: standard base64 with "/", "+" and "=" in it.
const VALUE = Buffer.from(JSON.stringify(DATA)).toString('base64')
const SIG = new Keygrip(keys).sign(`session=${VALUE}`)

it('is about a value that encodeURIComponent changes', () => {
  expect(VALUE).toBe('eyJtZXNzYWdlIjoiWm/DqyA+In0=')
  expect(encodeURIComponent(VALUE)).toBe('eyJtZXNzYWdlIjoiWm%2FDqyA%2BIn0%3D')
})

describe.each(adapters)('$name', (adapter) => {
  it('reads a session whose value a framework percent-encoded, signed over the plain value', async () => {
    const res = await adapter.serve({ keys }, (s) => [{ ...s.session }, s.session.isNew])
      .get(`session=${encodeURIComponent(VALUE)}; session.sig=${SIG}`)
    expect(res.body).toEqual([DATA, false])
    expect(res.setCookie).toEqual([])
  })

  it('re-issues it in its plain spelling when it is written again', async () => {
    const res = await adapter.serve({ keys: ['c', ...keys] }, (s) => s.session.message)
      .get(`session=${encodeURIComponent(VALUE)}; session.sig=${SIG}`)
    expect(res.body).toBe(DATA.message)
    expect(res.setCookie).toEqual([
      `session=${VALUE}; path=/; httponly`,
      `session.sig=${new Keygrip(['c']).sign(`session=${VALUE}`)}; path=/; httponly`
    ])
  })

  it('reads a percent-encoded .sig', async () => {
    const spelled = SIG.replace(/[A-Za-z]/, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    expect(spelled).not.toBe(SIG)
    const res = await adapter.serve({ keys }, (s) => s.session.message).get(`session=${VALUE}; session.sig=${spelled}`)
    expect(res.body).toBe(DATA.message)
  })

  it('reads percent-encoded chunks', async () => {
    const long = { message: 'Zoë >'.repeat(300) }
    const plain = Buffer.from(JSON.stringify(long)).toString('base64')
    const chunks = [`~2~${plain.slice(0, 1500)}`, plain.slice(1500)]
    const sig = new Keygrip(keys).sign(`session=${chunks.join('')}`)
    const cookie = `session=${encodeURIComponent(chunks[0] as string)}; session.1=${encodeURIComponent(chunks[1] as string)}; session.sig=${sig}`
    expect(cookie).toContain('%2B')
    const res = await adapter.serve({ keys, chunked: true }, (s) => s.session.message).get(cookie)
    expect(res.body).toBe(long.message)
  })

  it('reads a percent-encoded value of an unsigned session', async () => {
    const res = await adapter.serve({ signed: false }, (s) => s.session.message).get(`session=${encodeURIComponent(VALUE)}`)
    expect(res.body).toBe(DATA.message)
  })

  it.each([
    ['a malformed escape', `${VALUE.slice(0, 10)}%E0%A4%A${VALUE.slice(10)}`],
    ['an escape that is not hex', `${VALUE}%ZZ`],
    ['a lone %', `${VALUE}%`],
    ['an escape of a character no cookie value holds', `${VALUE.slice(0, 10)}%0A${VALUE.slice(10)}`]
  ])('takes %s as a bad cookie: a new session, its .sig cleared', async (_, value) => {
    const res = await adapter.serve({ keys }, (s) => [s.session.isNew, s.session.isPopulated]).get(`session=${value}; session.sig=${SIG}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual([true, false])
    expect(res.setCookie).toEqual([`session.sig=; path=/; ${EPOCH}; httponly`])
  })

  it('does not let an escape make a different value verify', async () => {
    // %2B is "+", not "-": the decoded value is what is verified, and nothing else.
    const res = await adapter.serve({ keys }, (s) => s.session.isNew)
      .get(`session=${VALUE.replace('+', '%2D')}; session.sig=${SIG}`)
    expect(res.body).toBe(true)
  })
})
