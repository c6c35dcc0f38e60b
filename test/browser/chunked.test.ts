// test/browser/apps/large.js in Chromium: a session in three chunk cookies is stored and sent back,
// then shrunk to one plain cookie, and the browser's jar keeps no stray chunk.
import { describe, expect, it } from 'vitest'
import { browserWithApp } from './helpers/browser.js'

const run = browserWithApp('test/browser/apps/large.js', { SESSION_KEYS: 'chunk browser key' })

const visit = async (path: string): Promise<any> => {
  const res = await run.page.goto(new URL(path, run.app.url).href)
  if (!res) throw new Error(`no response for ${path}`)
  return JSON.parse(await res.text())
}
const names = async () => (await run.context.cookies()).map((cookie) => cookie.name).sort()

describe('a chunked session in a browser', () => {
  it('stores three chunks and sends them back, then shrinks to one cookie with no stray chunk', async () => {
    // 6000 random bytes: 8000 base64 characters, about 10.7 KB of cookie value.
    expect(await visit('/write?bytes=6000')).toEqual({ length: 8000, chunks: 3 })
    expect(await names()).toEqual(['session', 'session.1', 'session.2', 'session.sig'])
    for (const cookie of await run.context.cookies()) {
      expect(cookie).toMatchObject({ domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' })
      expect(cookie.name.length + cookie.value.length).toBeLessThanOrEqual(4093)
    }
    const back = await visit('/read')
    expect(back).toMatchObject({ isNew: false, length: 8000 })
    expect(back.cookie).toMatch(/^session=~3~/)

    expect(await visit('/write?bytes=30')).toEqual({ length: 40, chunks: 1 })
    expect(await names()).toEqual(['session', 'session.sig'])
    expect((await run.context.cookies()).find((c) => c.name === 'session')?.value).toMatch(/^eyJ/)
    expect(await visit('/read')).toMatchObject({ isNew: false, length: 40 })
  })

  it('grows from one cookie to three and reads the whole session back on every request', async () => {
    await visit('/write?bytes=30')
    expect(await names()).toEqual(['session', 'session.sig'])
    await visit('/write?bytes=6000')
    expect(await names()).toEqual(['session', 'session.1', 'session.2', 'session.sig'])
    for (let i = 0; i < 2; i++) expect(await visit('/read')).toMatchObject({ isNew: false, length: 8000 })
  })
})
