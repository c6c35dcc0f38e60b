// examples/next built with `next build` (SESSION_KEYS unset), served by `next start`, driven over
// plain HTTP (its Server Action forms posted as a browser without JavaScript posts them) and in
// Chromium; the cookies it writes read back by the Fetch entry, on Node and on the Edge runtime,
// and by cookie-session 2.1.1 in Express; iron-session's cookies taken over.
import { existsSync } from 'node:fs'
import cookieSessionRef from 'cookie-session'
import express from 'express'
import Keygrip from 'keygrip'
import { sealData as sealData8 } from 'iron-session'
import { sealData as sealData9 } from 'iron-session9'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listen } from '../helpers/browser.js'
import { CookieJar } from './jar.js'
import { build, start, type NextServer } from './server.js'

const KEYS = ['next example key of 32 bytes or more', 'an older next example key of 32 bytes']
const IRON_PASSWORD = 'the iron-session password, 32 chars'
const env = { SESSION_KEYS: KEYS.join(','), IRON_PASSWORD }
// Its session's JSON in standard base64 has "+", "/" and "==" padding: what Next's cookies().set() percent-encodes.
const NAME = 'Zoë ~?>'
const day = 24 * 60 * 60 * 1000
const ATTRIBUTES = /; Path=\/; Expires=([^;]+ GMT); Secure; HttpOnly; SameSite=lax$/
const cleared = (name: string): string => `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure; HttpOnly; SameSite=lax`
let server: NextServer | undefined
let built = ''
/** The $ACTION_ID_ field of each Server Action's form, by its button: the same for the whole build. */
const actions = new Map<string, string>()

beforeAll(async () => {
  built = await build({ SESSION_KEYS: undefined, IRON_PASSWORD: undefined })
  server = await start(env)
  await readActions()
}, 240_000)

afterAll(async () => {
  await server?.stop()
})

function url (path: string): string {
  if (!server) throw new Error('the Next server did not start')
  return server.url + path
}

interface Answer { res: Response, setCookies: string[], text: string }

/** Sends a request with the jar's cookies and stores the cookies of the response. */
async function send (jar: CookieJar, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(url(path), { ...init, redirect: 'manual', headers: { ...init.headers as Record<string, string>, cookie: jar.header() } })
  return { res, setCookies: jar.update(res), text: await res.text() }
}

/** The forms of the page `html`, each as [its button's label, its $ACTION_ID_ field]. */
function formsOf (html: string): Array<[string, string]> {
  return [...html.matchAll(/<form[^>]*>([\s\S]*?)<\/form>/g)].map(([, inner = '']) =>
    [/<button>([^<]*)<\/button>/.exec(inner)?.[1] ?? '', /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(inner)?.[1] ?? ''])
}

async function readActions (): Promise<void> {
  for (const [label, field] of formsOf((await send(new CookieJar(), '/')).text)) actions.set(label, field)
  const jar = new CookieJar()
  await act(jar, 'Log in', { name: 'Ann' })
  for (const [label, field] of formsOf((await send(jar, '/')).text)) actions.set(label, field)
  expect([...actions.keys()].sort()).toEqual(['Count', 'Log in', 'Log out'])
}

/**
 * Posts the form whose button is `label`, as a browser without JavaScript does: multipart, to the
 * page's own URL, with the action's $ACTION_ID_ field (React puts it in the form) and an Origin.
 */
async function act (jar: CookieJar, label: string, fields: Record<string, string> = {}): Promise<Answer> {
  const body = new FormData()
  body.set(actions.get(label) ?? `no form "${label}"`, '')
  for (const [name, value] of Object.entries(fields)) body.set(name, value)
  return await send(jar, '/', { method: 'POST', body, headers: { origin: new URL(url('/')).origin } })
}

const sessionOf = (jar: CookieJar): unknown => JSON.parse(Buffer.from(jar.get('session') ?? '', 'base64').toString())
/** The page's first paragraph: who is logged in, or that nobody is. */
const paragraph = (html: string): string | undefined => /<p>([^<]*)<\/p>/.exec(html)?.[1]

async function login (name = 'Ann'): Promise<CookieJar> {
  const jar = new CookieJar()
  const { res } = await act(jar, 'Log in', { name })
  expect(res.status).toBe(303)
  return jar
}

describe('next build and next start', () => {
  it('built without SESSION_KEYS (options are checked at the first request), with no warning about the library', () => {
    expect(built).toMatch(/Compiled successfully/)
    expect(built).not.toMatch(/signed-cookie-session|dist\/esm/)
  })

  it('fail the first request without SESSION_KEYS with the error that names keys', async () => {
    const keyless = await start({ SESSION_KEYS: undefined })
    try {
      const res = await fetch(keyless.url + '/api/session')
      expect(res.status).toBe(500)
      await expect.poll(keyless.output, { timeout: 10_000 }).toMatch(/SessionOptionError\]?: \.keys required\. Give option \\?"keys/)
    } finally {
      await keyless.stop()
    }
  })
})

describe('Server Actions, posted as forms without JavaScript', () => {
  it('log in: the session cookie in base64url without padding, and its signature, through cookies().set()', async () => {
    const json = JSON.stringify({ user: NAME, count: 0, visits: 0 })
    expect(Buffer.from(json).toString('base64')).toMatch(/^(?=.*\+)(?=.*\/).*==$/)
    const jar = new CookieJar()
    const before = Date.now()
    const { res, setCookies } = await act(jar, 'Log in', { name: NAME })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/')
    const value = Buffer.from(json).toString('base64url')
    expect(setCookies).toHaveLength(2)
    const [session, sig] = setCookies as [string, string]
    expect(session).toMatch(new RegExp(`^session=${value}${ATTRIBUTES.source}`))
    expect(sig).toMatch(new RegExp(`^session\\.sig=${new Keygrip(KEYS).sign(`session=${value}`)}${ATTRIBUTES.source}`))
    const expires = Date.parse(ATTRIBUTES.exec(session)?.[1] ?? '')
    expect(expires).toBeGreaterThanOrEqual(Math.floor((before + day) / 1000) * 1000)
    expect(expires).toBeLessThanOrEqual(Date.now() + day)
    expect(sessionOf(jar)).toEqual({ user: NAME, count: 0, visits: 0 })
  })

  it('count, then log out by expiring both cookies', async () => {
    const jar = await login()
    for (const count of [1, 2]) {
      const { res, setCookies } = await act(jar, 'Count')
      expect(res.status).toBe(303)
      expect(setCookies.map((line) => line.split('=', 1)[0])).toEqual(['session', 'session.sig'])
      expect(sessionOf(jar)).toEqual({ user: 'Ann', count, visits: 0 })
    }
    const { res, setCookies } = await act(jar, 'Log out')
    expect(res.status).toBe(303)
    expect(setCookies).toEqual([cleared('session'), cleared('session.sig')])
    expect(jar.header()).toBe('')
  })

  it('set no cookie for a login without a name', async () => {
    const { res, setCookies } = await act(new CookieJar(), 'Log in', { name: ' ' })
    expect(res.status).toBe(200)
    expect(setCookies).toEqual([])
  })
})

describe('the cookie the Server Action wrote', () => {
  let jar: CookieJar
  beforeAll(async () => { jar = await login(NAME) })
  const expected = { user: NAME, count: 0, visits: 0 }

  it.each(['/api/fetch-session', '/api/edge/fetch-session'])('is read by fetchSession in a route handler: %s', async (path) => {
    const { res, text } = await send(jar, path)
    expect(res.status).toBe(200)
    expect(JSON.parse(text)).toEqual(expected)
  })

  it.each(['/api/session', '/api/edge/session'])('is read by getSession in a route handler: %s', async (path) => {
    expect(JSON.parse((await send(jar, path)).text)).toEqual(expected)
  })

  it('is read by cookie-session 2.1.1 in Express, with the same keys', async () => {
    const app = express()
    app.use(cookieSessionRef({ keys: KEYS }))
    app.get('/', (req, res) => { res.json((req as unknown as { session: unknown }).session) })
    const express2 = await listen(app)
    try {
      const res = await fetch(express2.url, { headers: { cookie: jar.header() } })
      expect(await res.json()).toEqual(expected)
    } finally {
      await express2.close()
    }
  })
})

describe('a cookie an earlier release wrote through cookies().set() (percent-encoded, signed over the plain value)', () => {
  const data = { user: NAME, count: 7, visits: 3 }
  const plain = Buffer.from(JSON.stringify(data)).toString('base64')
  const old = new CookieJar()
  old.set('session', encodeURIComponent(plain))
  old.set('session.sig', new Keygrip(KEYS).sign(`session=${plain}`))

  it('keeps its user logged in: the page, getSession and fetchSession read it', async () => {
    expect(old.header()).toMatch(/%2B.*%2F|%2F.*%2B/)
    expect(JSON.parse((await send(old, '/api/fetch-session')).text)).toEqual(data)
    expect(JSON.parse((await send(old, '/api/edge/fetch-session')).text)).toEqual(data)
    expect(JSON.parse((await send(old, '/api/session')).text)).toEqual(data)
    expect(paragraph((await send(old, '/')).text)).toBe('Hello, Zoë ~?&gt;. Counter: 7. Visits: 4.')
    // proxy.ts saved the visit: in base64url now.
    expect(old.get('session')).toBe(Buffer.from(JSON.stringify({ ...data, visits: 4 })).toString('base64url'))
  })
})

describe('the page (a server component) and proxy.ts', () => {
  it('render the logged-out form without setting a cookie', async () => {
    const { res, setCookies, text } = await send(new CookieJar(), '/')
    expect(res.status).toBe(200)
    expect(paragraph(text)).toBe('You are not logged in.')
    expect(setCookies).toEqual([])
  })

  it('render the user and counter from the session, and the visit proxy.ts saved in the same render', async () => {
    const jar = await login()
    const first = await send(jar, '/')
    expect(paragraph(first.text)).toBe('Hello, Ann. Counter: 0. Visits: 1.')
    expect(first.setCookies.map((line) => line.split('=', 1)[0])).toEqual(['session', 'session.sig'])
    expect(sessionOf(jar)).toEqual({ user: 'Ann', count: 0, visits: 1 })

    await act(jar, 'Count')
    const second = await send(jar, '/')
    expect(paragraph(second.text)).toBe('Hello, Ann. Counter: 1. Visits: 2.')
    expect(sessionOf(jar)).toEqual({ user: 'Ann', count: 1, visits: 2 })
  })

  it('escape the user name', async () => {
    const jar = await login('<b>Ann</b>')
    const { text } = await send(jar, '/')
    expect(paragraph(text)).toBe('Hello, &lt;b&gt;Ann&lt;/b&gt;. Counter: 0. Visits: 1.')
  })

  it('treat a tampered cookie as no session', async () => {
    const jar = await login()
    jar.set('session', Buffer.from(JSON.stringify({ user: 'Mallory', count: 99 })).toString('base64url'))
    const { text, setCookies } = await send(jar, '/')
    expect(paragraph(text)).toBe('You are not logged in.')
    expect(text).not.toContain('Mallory')
    expect(setCookies).toEqual([])
  })
})

describe('coming from iron-session (the ironSession option)', () => {
  const data = { user: 'Iris', count: 5, visits: 0 }

  it('takes an iron-session 8 cookie as the session; proxy.ts\'s save writes ours and expires theirs', async () => {
    const jar = new CookieJar()
    jar.set('iron-session', await sealData8(data, { password: IRON_PASSWORD }))
    const { text, setCookies } = await send(jar, '/')
    expect(paragraph(text)).toBe('Hello, Iris. Counter: 5. Visits: 1.')
    expect(setCookies.map((line) => line.split('=', 1)[0])).toEqual(['session', 'session.sig', 'iron-session'])
    expect(setCookies[2]).toBe(cleared('iron-session'))
    expect(jar.header()).not.toContain('iron-session')
    expect(sessionOf(jar)).toEqual({ ...data, visits: 1 })
  })

  it('reads an iron-session 9 cookie in a route handler', async () => {
    const jar = new CookieJar()
    jar.set('iron-session', await sealData9(data, { password: { 1: IRON_PASSWORD } }))
    expect(JSON.parse((await send(jar, '/api/session')).text)).toEqual(data)
  })

  it('refuses a tampered one: no session, no error', async () => {
    const jar = new CookieJar()
    const seal = await sealData8(data, { password: IRON_PASSWORD })
    jar.set('iron-session', seal.replace(/\*([A-Za-z0-9_-])([A-Za-z0-9_-]{42})~2$/, (_, c: string, rest: string) => `*${c === 'A' ? 'B' : 'A'}${rest}~2`))
    const { res, text, setCookies } = await send(jar, '/')
    expect(res.status).toBe(200)
    expect(paragraph(text)).toBe('You are not logged in.')
    expect(setCookies).toEqual([])
  })
})

describe.runIf(existsSync('/usr/bin/chromium'))('in Chromium', () => {
  it('logs in, counts and logs out through the page\'s forms, with JavaScript', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync']
    })
    try {
      const page = await browser.newPage()
      page.setDefaultTimeout(8_000) // a step that fails says which, within the test's time
      // Hydrated before the first click, so that the forms post through React (a click before it
      // would post them as plain forms, which the HTTP tests above do).
      await page.goto(url('/'), { waitUntil: 'networkidle' })
      await page.getByLabel('Name').fill(NAME)
      await page.getByRole('button', { name: 'Log in' }).click()
      await page.getByText(`Hello, ${NAME}. Counter: 0. Visits: 0.`).waitFor()
      const cookies = await page.context().cookies()
      expect(cookies.map(({ name, httpOnly, secure, sameSite, path }) => ({ name, httpOnly, secure, sameSite, path })).sort((a, b) => a.name.localeCompare(b.name)))
        .toEqual([
          { name: 'session', httpOnly: true, secure: true, sameSite: 'Lax', path: '/' },
          { name: 'session.sig', httpOnly: true, secure: true, sameSite: 'Lax', path: '/' }
        ])
      expect(cookies.find((cookie) => cookie.name === 'session')?.value).toBe(Buffer.from(JSON.stringify({ user: NAME, count: 0, visits: 0 })).toString('base64url'))

      await page.getByRole('button', { name: 'Count' }).click()
      await page.getByText(`Hello, ${NAME}. Counter: 1. Visits: 0.`).waitFor()
      await page.reload({ waitUntil: 'networkidle' }) // a page view: proxy.ts counts it
      await page.getByText(`Hello, ${NAME}. Counter: 1. Visits: 1.`).waitFor()

      await page.getByRole('button', { name: 'Log out' }).click()
      await page.getByText('You are not logged in.').waitFor()
      expect(await page.context().cookies()).toEqual([])
    } finally {
      await browser.close()
    }
  })
})
