// examples/passport.js in a browser: log in through the form, stay logged in, log out.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launch, secondsLeft } from './helpers/browser.js'
import { start, stopAll, type App } from '../helpers/processes.js'

const WEEK = 7 * 24 * 60 * 60

let browser: Browser
let app: App
let context: BrowserContext
let page: Page

beforeAll(async () => {
  [browser, app] = await Promise.all([launch(), start('examples/passport.js', { SESSION_KEYS: 'passport test key' })])
})
afterAll(async () => {
  await browser?.close()
  await stopAll()
})
beforeEach(async () => {
  await context?.close()
  context = await browser.newContext()
  page = await context.newPage()
})

/** Fills in and submits the login form. */
async function logIn (username: string, password: string): Promise<void> {
  await page.goto(app.url) // redirects to /login
  await page.fill('input[name=username]', username)
  await page.fill('input[name=password]', password)
  await submit('text=Log in')
}
/** Clicks a form's button; resolves once the page the POST redirects to has loaded. */
async function submit (button: string): Promise<void> {
  const posted = page.waitForResponse((res) => res.request().redirectedFrom()?.method() === 'POST')
  await page.click(button)
  await posted
  await page.waitForLoadState()
}
const session = async () => (await context.cookies()).find((cookie) => cookie.name === 'session')

describe('passport in a browser', () => {
  it('logs in: the session cookie holds only the user id, for a week', async () => {
    await logIn('ann', 'secret')
    expect(new URL(page.url()).pathname).toBe('/')
    expect(await page.textContent('p')).toBe('Hello, Ann.')
    const cookie = await session()
    expect(JSON.parse(Buffer.from(cookie!.value, 'base64').toString())).toEqual({ passport: { user: 'ann' } })
    expect(Math.abs(secondsLeft(cookie!) - WEEK)).toBeLessThan(60)
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })

    await page.reload()
    expect(await page.textContent('p')).toBe('Hello, Ann.')
  })

  it('logs out: the cookies are cleared and / goes back to the login form', async () => {
    await logIn('ann', 'secret')
    await submit('text=Log out')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await context.cookies()).toEqual([])
    await page.goto(app.url)
    expect(new URL(page.url()).pathname).toBe('/login')
  })

  it('a wrong password stores no session', async () => {
    await logIn('ann', 'wrong')
    expect(new URL(page.url()).pathname).toBe('/login')
    expect(await session()).toBeUndefined()
  })
})
