// The Cloudflare Worker and Deno examples, run as their users run them, count views across requests.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startDenoExample, startWorkerExample } from './lib/examples.js'
import { cookieAfter, get, names } from './lib/http.js'
import type { Running } from './lib/process.js'

const KEYS = 'example key, newest,example key, older'
const examples: Record<string, Promise<Running>> = {}

beforeAll(() => {
  examples['cloudflare-worker'] = startWorkerExample(KEYS)
  examples.deno = startDenoExample(KEYS)
  // Each test awaits its own example; a start failure is reported there, not here.
  for (const started of Object.values(examples)) started.catch(() => {})
})

afterAll(async () => {
  await Promise.all(Object.values(examples).map(async (started) => { await (await started.catch(() => undefined))?.stop() }))
})

describe.each(['cloudflare-worker', 'deno'])('examples/%s', (name) => {
  it('counts views over two requests in a signed session cookie of a day, samesite=lax', async () => {
    const example = await examples[name]
    if (example === undefined) throw new Error(`${name} was not started`)
    const first = await get(example.url, '/')
    expect(first, example.output()).toMatchObject({ status: 200, body: '1 views\n' })
    expect(names(first.setCookies)).toEqual(['session', 'session.sig'])
    for (const line of first.setCookies) expect(line).toMatch(/^[^;]+; path=\/; expires=[^;]+ GMT; samesite=lax; httponly$/)
    const expires = Date.parse(/expires=([^;]+)/.exec(first.setCookies[0] ?? '')?.[1] ?? '')
    expect(Math.abs(expires - (Date.now() + 24 * 60 * 60 * 1000))).toBeLessThan(60_000)

    const second = await get(example.url, '/', cookieAfter('', first.setCookies))
    expect(second, example.output()).toMatchObject({ status: 200, body: '2 views\n' })
  })
})
