// SameSite=Lax in a browser: a form on another site that posts to ours arrives without the session
// cookie, while the same form on our own site, and a plain cross-site link, carry it.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { launch } from './helpers/browser.js'
import { start, stopAll, type App } from '../helpers/processes.js'

let browser: Browser
let app: App
let context: BrowserContext
let page: Page

beforeAll(async () => {
  [browser, app] = await Promise.all([launch(), start('test/browser/apps/same-site.js', { SESSION_KEYS: 'same-site test key' })])
})
afterAll(async () => {
  await browser?.close()
  await stopAll()
})
beforeEach(async () => {
  await context?.close()
  context = await browser.newContext()
  page = await context.newPage()
  await page.goto(`http://site.test:${app.port}/login`)
})

/** Opens the form page on `host`, follows `action` (a click), returns the server's view of /transfer. */
async function from (host: string, action: string): Promise<{ method: string, user: string | null, cookie: string | null }> {
  await page.goto(`http://${host}:${app.port}/form`)
  const [res] = await Promise.all([page.waitForResponse(/\/transfer$/), page.click(action)])
  return JSON.parse(await res.text())
}

describe('SameSite=Lax', () => {
  it('the browser holds the session cookie as Lax for site.test', async () => {
    expect((await context.cookies()).map((c) => [c.name, c.domain, c.sameSite])).toEqual([
      ['session', 'site.test', 'Lax'],
      ['session.sig', 'site.test', 'Lax']
    ])
  })

  it('is sent with a same-site POST', async () => {
    const seen = await from('site.test', 'button')
    expect(seen).toMatchObject({ method: 'POST', user: 'ann' })
    expect(seen.cookie).toMatch(/^session=[^;]+; session\.sig=[^;]+$/)
  })

  it('is not sent with a cross-site POST', async () => {
    expect(await from('other.test', 'button')).toEqual({ method: 'POST', user: null, cookie: null })
  })

  it('is sent when a link on another site is followed (a top-level GET)', async () => {
    expect(await from('other.test', 'a')).toMatchObject({ method: 'GET', user: 'ann' })
  })
})
