// examples/counter.js in Chromium: what the browser stores, what it sends back, what scripts can see.
import { describe, expect, it } from 'vitest'
import { browserWithApp, secondsLeft } from './helpers/browser.js'

const DAY = 24 * 60 * 60

const run = browserWithApp('examples/counter.js', { SESSION_KEYS: 'browser test key' })

const visit = async (path: string): Promise<string> => {
  const res = await run.page.goto(new URL(path, run.app.url).href)
  if (!res) throw new Error(`no response for ${path}`)
  return (await res.text()).trim()
}
const stored = async () => Object.fromEntries((await run.context.cookies()).map((cookie) => [cookie.name, cookie]))
/** The cookie the browser holds under this name (fails the test if there is none). */
const cookie = async (name: string) => {
  const found = (await run.context.cookies()).find((c) => c.name === name)
  if (!found) throw new Error(`the browser has no ${name} cookie`)
  return found
}
/** What scripts on the page see; an expression string, since the test is not compiled with DOM types. */
const documentCookie = () => run.page.evaluate('document.cookie')

describe('the counter in a browser', () => {
  it('round-trips the session: the browser stores both cookies and sends them back', async () => {
    expect(await visit('/')).toBe('1 views')
    expect(Object.keys(await stored()).sort()).toEqual(['session', 'session.sig'])
    const session = await cookie('session')
    expect(session).toMatchObject({ domain: 'localhost', path: '/', httpOnly: true, secure: false, sameSite: 'Lax' })
    expect(JSON.parse(Buffer.from(session.value, 'base64').toString())).toEqual({ views: 1 })
    // maxAge is one day: a persistent cookie, not a browser-session one.
    expect(Math.abs(secondsLeft(session) - DAY)).toBeLessThan(60)
    expect(Math.abs(secondsLeft(await cookie('session.sig')) - DAY)).toBeLessThan(60)

    expect(await visit('/')).toBe('2 views')
    expect(await visit('/')).toBe('3 views')
    expect(JSON.parse(Buffer.from((await cookie('session')).value, 'base64').toString())).toEqual({ views: 3 })
  })

  it('clears both cookies on /reset, and the count starts again', async () => {
    await visit('/')
    await visit('/')
    expect(await visit('/reset')).toBe('session cleared')
    expect(await run.context.cookies()).toEqual([])
    expect(await visit('/')).toBe('1 views')
  })

  it('hides the HttpOnly cookie from document.cookie, and a script cannot overwrite it', async () => {
    await visit('/')
    expect(await documentCookie()).toBe('')
    const before = (await cookie('session')).value
    await run.page.evaluate('document.cookie = "session=eyJ2aWV3cyI6OTl9; path=/"') // {"views":99}
    expect((await cookie('session')).value).toBe(before)
    expect(await documentCookie()).toBe('')
    expect(await visit('/')).toBe('2 views')
  })

  it('keeps the old session when a write is over the size limit', async () => {
    await visit('/')
    await visit('/')
    const before = await stored()
    const res = await run.page.goto(new URL('/too-big', run.app.url).href)
    expect(res?.status()).toBe(200)
    expect(await res?.headerValue('set-cookie')).toBeNull()
    expect(await stored()).toEqual(before)
    await expect.poll(run.app.output).toContain('session not saved (GET /too-big): ERR_SESSION_TOO_LARGE')
    expect(await visit('/')).toBe('3 views')
  })
})
