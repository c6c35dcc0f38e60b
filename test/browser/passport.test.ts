// examples/passport.js in a browser: log in through the form, stay logged in, log out.
import { describe, expect, it } from 'vitest'
import { browserWithApp, secondsLeft } from './helpers/browser.js'

const WEEK = 7 * 24 * 60 * 60

const run = browserWithApp('examples/passport.js', { SESSION_KEYS: 'passport test key' })

/** Fills in and submits the login form. */
async function logIn (username: string, password: string): Promise<void> {
  await run.page.goto(run.app.url) // redirects to /login
  await run.page.fill('input[name=username]', username)
  await run.page.fill('input[name=password]', password)
  await submit('text=Log in')
}
/** Clicks a form's button; resolves once the page the POST redirects to has loaded. */
async function submit (button: string): Promise<void> {
  const posted = run.page.waitForResponse((res) => res.request().redirectedFrom()?.method() === 'POST')
  await run.page.click(button)
  await posted
  await run.page.waitForLoadState()
}
const session = async () => (await run.context.cookies()).find((cookie) => cookie.name === 'session')

describe('passport in a browser', () => {
  it('logs in: the session cookie holds only the user id, for a week', async () => {
    await logIn('ann', 'secret')
    expect(new URL(run.page.url()).pathname).toBe('/')
    expect(await run.page.textContent('p')).toBe('Hello, Ann.')
    const cookie = await session()
    expect(JSON.parse(Buffer.from(cookie!.value, 'base64').toString())).toEqual({ passport: { user: 'ann' } })
    expect(Math.abs(secondsLeft(cookie!) - WEEK)).toBeLessThan(60)
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' })

    await run.page.reload()
    expect(await run.page.textContent('p')).toBe('Hello, Ann.')
  })

  it('logs out: the cookies are cleared and / goes back to the login form', async () => {
    await logIn('ann', 'secret')
    await submit('text=Log out')
    expect(new URL(run.page.url()).pathname).toBe('/login')
    expect(await run.context.cookies()).toEqual([])
    await run.page.goto(run.app.url)
    expect(new URL(run.page.url()).pathname).toBe('/login')
  })

  it('a wrong password stores no session', async () => {
    await logIn('ann', 'wrong')
    expect(new URL(run.page.url()).pathname).toBe('/login')
    expect(await session()).toBeUndefined()
  })
})
