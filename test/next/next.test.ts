// examples/next built with `next build`, served by `next start`, driven over HTTP and in Chromium.
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium } from 'playwright-core'
import { CookieJar } from './jar.js'
import { build, start, type NextServer } from './server.js'

const env = { SESSION_KEYS: 'next example key,older key' }
const day = 24 * 60 * 60 * 1000
const cleared = (name: string): RegExp =>
  new RegExp(`^${name.replace('.', '\\.')}=[^;]*; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=lax; httponly$`)
let server: NextServer | undefined

beforeAll(async () => {
  await build(env)
  server = await start(env)
}, 240_000)

afterAll(async () => {
  await server?.stop()
})

function url (path: string): string {
  if (!server) throw new Error('the Next server did not start')
  return server.url + path
}

/** Sends a request with the jar's cookies and stores the cookies of the response. */
async function send (jar: CookieJar, path: string, init: RequestInit = {}): Promise<{ res: Response, setCookies: string[], text: string }> {
  const res = await fetch(url(path), { ...init, redirect: 'manual', headers: { cookie: jar.header() } })
  return { res, setCookies: jar.update(res), text: await res.text() }
}

const post = (fields: Record<string, string> = {}): RequestInit => ({ method: 'POST', body: new URLSearchParams(fields) })
const sessionOf = (jar: CookieJar): unknown => JSON.parse(Buffer.from(jar.get('session') ?? '', 'base64').toString())
/** The page's first paragraph: who is logged in, or that nobody is. */
const paragraph = (html: string): string | undefined => /<p>([^<]*)<\/p>/.exec(html)?.[1]

async function login (name = 'Ann'): Promise<CookieJar> {
  const jar = new CookieJar()
  await send(jar, '/api/login', post({ name }))
  return jar
}

describe('route handlers', () => {
  it('log in with the session cookie and its signature, with the configured attributes', async () => {
    const jar = new CookieJar()
    const before = Date.now()
    const { res, setCookies } = await send(jar, '/api/login', post({ name: 'Ann' }))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/')
    expect(setCookies).toHaveLength(2)
    const [session, sig] = setCookies as [string, string]
    expect(session).toMatch(/^session=[A-Za-z0-9+/]+=*; path=\/; expires=[^;]+ GMT; samesite=lax; httponly$/)
    expect(sig).toMatch(/^session\.sig=[A-Za-z0-9_-]{27}; path=\/; expires=[^;]+ GMT; samesite=lax; httponly$/)
    const expires = Date.parse(/expires=([^;]+)/.exec(session)?.[1] ?? '')
    expect(expires).toBeGreaterThanOrEqual(Math.floor((before + day) / 1000) * 1000)
    expect(expires).toBeLessThanOrEqual(Date.now() + day)
    expect(sig).toContain(`expires=${new Date(expires).toUTCString()};`)
    expect(sessionOf(jar)).toEqual({ user: 'Ann', count: 0 })
  })

  it('refuse a login without a name', async () => {
    const { res, setCookies, text } = await send(new CookieJar(), '/api/login', post({ name: ' ' }))
    expect(res.status).toBe(400)
    expect(text).toBe('a name is needed\n')
    expect(setCookies).toEqual([])
  })

  it('count across requests, each answer carrying the new cookie', async () => {
    const jar = await login()
    for (const count of [1, 2, 3]) {
      const { res, setCookies } = await send(jar, '/api/counter', post())
      expect(res.status).toBe(303)
      expect(setCookies.map((line) => line.split('=', 1)[0])).toEqual(['session', 'session.sig'])
      expect(sessionOf(jar)).toEqual({ user: 'Ann', count })
    }
  })

  it('refuse to count without a session', async () => {
    const { res, setCookies, text } = await send(new CookieJar(), '/api/counter', post())
    expect(res.status).toBe(401)
    expect(text).toBe('log in first\n')
    expect(setCookies).toEqual([])
  })

  it('log out by expiring both cookies', async () => {
    const jar = await login()
    const { res, setCookies } = await send(jar, '/api/logout', post())
    expect(res.status).toBe(303)
    expect(setCookies).toHaveLength(2)
    expect(setCookies[0]).toMatch(cleared('session'))
    expect(setCookies[0]).toMatch(/^session=;/)
    expect(setCookies[1]).toMatch(cleared('session.sig'))
    expect(jar.header()).toBe('')
  })
})

describe('the page (a server component) and proxy.ts', () => {
  it('render the logged-out form without setting a cookie', async () => {
    const { res, setCookies, text } = await send(new CookieJar(), '/')
    expect(res.status).toBe(200)
    expect(paragraph(text)).toBe('You are not logged in.')
    expect(setCookies).toEqual([])
  })

  it('render the user and counter from the session, and the visit proxy.ts counted in the same render', async () => {
    const jar = await login()
    const first = await send(jar, '/')
    expect(paragraph(first.text)).toBe('Hello, Ann. Counter: 0. Visits: 1.')
    expect(first.setCookies.map((line) => line.split('=', 1)[0])).toEqual(['session', 'session.sig'])
    expect(sessionOf(jar)).toEqual({ user: 'Ann', count: 0, visits: 1 })

    await send(jar, '/api/counter', post())
    const second = await send(jar, '/')
    expect(paragraph(second.text)).toBe('Hello, Ann. Counter: 1. Visits: 2.')
    expect(sessionOf(jar)).toEqual({ user: 'Ann', count: 1, visits: 2 })
  })

  it('escape the user name', async () => {
    const jar = await login('<b>Ann</b>')
    const { text } = await send(jar, '/')
    expect(paragraph(text)).toBe('Hello, &lt;b&gt;Ann&lt;/b&gt;. Counter: 0. Visits: 1.')
  })

  it('show a logged-out page after logout', async () => {
    const jar = await login()
    await send(jar, '/api/logout', post())
    const { text, setCookies } = await send(jar, '/')
    expect(paragraph(text)).toBe('You are not logged in.')
    expect(setCookies).toEqual([])
  })

  it('treat a tampered cookie as no session, and clear its signature', async () => {
    const jar = await login()
    jar.set('session', Buffer.from(JSON.stringify({ user: 'Mallory', count: 99 })).toString('base64'))
    const { text, setCookies } = await send(jar, '/')
    expect(paragraph(text)).toBe('You are not logged in.')
    expect(text).not.toContain('Mallory')
    expect(setCookies).toHaveLength(1)
    expect(setCookies[0]).toMatch(cleared('session.sig'))
    const counter = await send(jar, '/api/counter', post())
    expect(counter.res.status).toBe(401)
  })
})

describe.runIf(existsSync('/usr/bin/chromium'))('in Chromium', () => {
  it('logs in, counts and logs out through the page\'s forms', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync']
    })
    try {
      const page = await browser.newPage()
      await page.goto(url('/'))
      await page.getByLabel('Name').fill('Ann')
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.getByText('Hello, Ann. Counter: 0. Visits: 1.').waitFor()
      const cookies = await page.context().cookies()
      expect(cookies.map(({ name, httpOnly, sameSite, path }) => ({ name, httpOnly, sameSite, path })).sort((a, b) => a.name.localeCompare(b.name)))
        .toEqual([
          { name: 'session', httpOnly: true, sameSite: 'Lax', path: '/' },
          { name: 'session.sig', httpOnly: true, sameSite: 'Lax', path: '/' }
        ])

      await page.getByRole('button', { name: 'Count' }).click()
      await page.getByText('Hello, Ann. Counter: 1. Visits: 2.').waitFor()
      await page.reload()
      await page.getByText('Hello, Ann. Counter: 1. Visits: 3.').waitFor()

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.getByText('You are not logged in.').waitFor()
      expect(await page.context().cookies()).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
