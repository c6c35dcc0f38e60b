// Debian's Chromium driven by playwright-core (no browser download). `*.test` names resolve to
// loopback, so http://site.test:PORT and http://other.test:PORT are two sites on one server.
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll, beforeAll, beforeEach } from 'vitest'
import { start, stopAll, type App } from '../../helpers/processes.js'

export const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export function launch (): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--host-resolver-rules=MAP *.test 127.0.0.1'
    ]
  })
}

/**
 * Closes the context and opens a new one from its saved state, as a browser restart does: persistent
 * cookies survive, session cookies (no expires) do not. Playwright's storageState() keeps session
 * cookies too, so they are dropped here.
 */
export async function restart (context: BrowserContext, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  const browser = context.browser()
  if (!browser) throw new Error('context has no browser')
  const state = await context.storageState()
  await context.close()
  state.cookies = state.cookies.filter((cookie) => cookie.expires !== -1)
  return browser.newContext({ ...options, storageState: state })
}

/** A cookie's lifetime left in seconds as the browser stored it, or -1 for a session cookie. */
export function secondsLeft (cookie: { expires: number }): number {
  return cookie.expires === -1 ? -1 : Math.round(cookie.expires - Date.now() / 1000)
}

/** What a browser test file works with; `context` and `page` are new for each test. */
export interface BrowserRun {
  browser: Browser
  app: App
  context: BrowserContext
  page: Page
}

/**
 * Starts Chromium and the app `script` (with `env`) for the test file, stops both after it, and
 * opens a fresh context and page before each test.
 */
export function browserWithApp (script: string, env: Record<string, string>): BrowserRun {
  const run = {} as BrowserRun
  beforeAll(async () => {
    [run.browser, run.app] = await Promise.all([launch(), start(script, env)])
  })
  afterAll(async () => {
    await run.browser?.close()
    await stopAll()
  })
  beforeEach(async () => {
    await run.context?.close()
    run.context = await run.browser.newContext()
    run.page = await run.context.newPage()
  })
  return run
}
