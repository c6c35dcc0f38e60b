// SameSite=Lax in a browser: a form on another site that posts to ours arrives without the session
// cookie, while the same form on our own site, and a plain cross-site link, carry it.
import { beforeEach, describe, expect, it } from 'vitest'
import { browserWithApp } from './helpers/browser.js'

const run = browserWithApp('test/browser/apps/same-site.js', { SESSION_KEYS: 'same-site test key' })
beforeEach(async () => {
  await run.page.goto(`http://site.test:${run.app.port}/login`)
})

/** Opens the form page on `host`, follows `action` (a click), returns the server's view of /transfer. */
async function from (host: string, action: string): Promise<{ method: string, user: string | null, cookie: string | null }> {
  await run.page.goto(`http://${host}:${run.app.port}/form`)
  const [res] = await Promise.all([run.page.waitForResponse(/\/transfer$/), run.page.click(action)])
  return JSON.parse(await res.text())
}

describe('SameSite=Lax', () => {
  it('the browser holds the session cookie as Lax for site.test', async () => {
    expect((await run.context.cookies()).map((c) => [c.name, c.domain, c.sameSite])).toEqual([
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
