// `secure` behind a TLS-terminating proxy: with trustProxy the app sees the browser's HTTPS through
// X-Forwarded-Proto, so the cookie is Secure and never travels over plain HTTP.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launch } from './helpers/browser.js'
import { start, stopAll, type App } from '../helpers/processes.js'
import { tlsProxy, type Proxy } from './helpers/tls-proxy.js'

let browser: Browser
let context: BrowserContext
const proxies: Proxy[] = []

beforeAll(async () => { browser = await launch() })
afterEach(async () => { await context?.close() })
afterAll(async () => {
  await browser?.close()
  await Promise.all(proxies.map((proxy) => proxy.close()))
  await stopAll()
})

/** The app (TRUST_PROXY as given) behind its own TLS proxy, and a fresh browser context. */
async function setup (trustProxy: boolean): Promise<{ app: App, proxy: Proxy, page: Page }> {
  const app = await start('test/browser/apps/behind-proxy.js', { SESSION_KEYS: 'proxy test key', TRUST_PROXY: trustProxy ? '1' : '0' })
  const proxy = await tlsProxy(app.port)
  proxies.push(proxy)
  context = await browser.newContext({ ignoreHTTPSErrors: true })
  return { app, proxy, page: await context.newPage() }
}
/** Loads the URL; returns the app's JSON answer: views counted, and the Cookie header it received. */
async function load (page: Page, url: string): Promise<{ views: number, cookie: string | null }> {
  const res = await page.goto(url)
  if (!res) throw new Error(`no response for ${url}`)
  return JSON.parse(await res.text())
}

describe('secure cookies behind a TLS-terminating proxy', () => {
  it('with trustProxy, the cookie is Secure and round-trips over HTTPS', async () => {
    const { proxy, page } = await setup(true)
    const url = `https://site.test:${proxy.port}/`
    expect(await load(page, url)).toEqual({ views: 1, cookie: null })
    const stored = await context.cookies()
    expect(stored.map((c) => [c.name, c.domain, c.secure, c.httpOnly])).toEqual([
      ['session', 'site.test', true, true],
      ['session.sig', 'site.test', true, true]
    ])

    const second = await load(page, url)
    expect(second.views).toBe(2)
    expect(second.cookie).toBe(stored.map((c) => `${c.name}=${c.value}`).join('; '))
  })

  it('the browser does not send the Secure cookie to the app over plain HTTP', async () => {
    const { app, proxy, page } = await setup(true)
    await load(page, `https://site.test:${proxy.port}/`)
    expect(await context.cookies()).toHaveLength(2)
    expect((await load(page, `http://site.test:${app.port}/`)).cookie).toBeNull()
  })

  it('without trustProxy, the app sees plain HTTP and the cookie is not Secure', async () => {
    const { proxy, page } = await setup(false)
    await load(page, `https://site.test:${proxy.port}/`)
    expect((await context.cookies()).map((c) => [c.name, c.secure])).toEqual([['session', false], ['session.sig', false]])
  })
})
