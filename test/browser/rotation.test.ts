// Key rotation in a browser: the app restarts with a new key in front, a request only reads the
// session, the browser restarts, and the session is still there, because the re-issued cookie kept
// its expiry. cookie-session 2.1.1 re-issues `.sig` as a browser-session cookie, which the restart drops.
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launch, restart, secondsLeft } from './helpers/browser.js'
import { start, stopAll } from '../helpers/processes.js'

const DAY = 24 * 60 * 60
const app = 'test/browser/apps/peek-counter.js'

let browser: Browser
beforeAll(async () => { browser = await launch() })
afterAll(async () => {
  await browser?.close()
  await stopAll()
})

/** Starts the app with these keys, loads `path` in the context, stops the app; returns the page's text. */
async function visit (context: BrowserContext, path: string, env: Record<string, string>): Promise<string> {
  const server = await start(app, env)
  try {
    const page = await context.newPage()
    const res = await page.goto(new URL(path, server.url).href)
    const text = (await res?.text())?.trim() ?? ''
    await page.close()
    return text
  } finally {
    await server.stop()
  }
}
const cookies = async (context: BrowserContext) =>
  Object.fromEntries((await context.cookies()).map((cookie) => [cookie.name, cookie]))

describe('key rotation across a browser restart', () => {
  it('re-issues an old-key cookie on a read, persistent and signed with the new key', async () => {
    let context = await browser.newContext()
    expect(await visit(context, '/', { SESSION_KEYS: 'old key' })).toBe('1 views')
    const before = await cookies(context)

    expect(await visit(context, '/peek', { SESSION_KEYS: 'new key,old key' })).toBe('1 views')
    const after = await cookies(context)
    expect(after.session?.value).toBe(before.session?.value)
    expect(after['session.sig']?.value).not.toBe(before['session.sig']?.value)
    for (const name of ['session', 'session.sig']) {
      expect(Math.abs(secondsLeft(after[name]!) - DAY), name).toBeLessThan(60)
    }

    context = await restart(context)
    expect(Object.keys(await cookies(context)).sort()).toEqual(['session', 'session.sig'])
    // Signed with the new key alone: the old key can go.
    expect(await visit(context, '/peek', { SESSION_KEYS: 'new key' })).toBe('1 views')
    await context.close()
  })

  it('with cookie-session 2.1.1 the re-issued .sig is a session cookie, and the restart ends the session', async () => {
    const env = { LIBRARY: 'cookie-session', SESSION_KEYS: 'new key,old key' }
    let context = await browser.newContext()
    expect(await visit(context, '/', { ...env, SESSION_KEYS: 'old key' })).toBe('1 views')
    expect(await visit(context, '/peek', env)).toBe('1 views')
    expect(secondsLeft((await cookies(context))['session.sig']!)).toBe(-1)

    context = await restart(context)
    expect(Object.keys(await cookies(context))).toEqual(['session'])
    expect(await visit(context, '/peek', env)).toBe('0 views')
    await context.close()
  })
})
