// Cookies cross between the runtimes and Node: what each runtime writes is read by our Express
// adapter and by cookie-session 2.1.1 (signed sessions, its only format), and what those write is
// read by each runtime; compressed and chunked cookies cross between the runtime and our adapter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieAfter, get, type Reply } from './lib/http.js'
import { RUNTIME_NAMES } from './lib/names.js'
import { startReference, type Reference } from './lib/reference.js'
import { target } from './lib/target.js'

let reference: Reference | undefined
beforeAll(async () => { reference = await startReference() })
afterAll(async () => { await reference?.close() })

function on (which: 'ours' | 'legacy'): (path: string, cookie?: string) => Promise<Reply> {
  return (path, cookie) => {
    if (reference === undefined) throw new Error('the Express reference did not start')
    return get(reference[which], path, cookie)
  }
}
const express = on('ours')
const cookieSession = on('legacy')

describe.each(RUNTIME_NAMES)('%s', (name) => {
  const runtime = target(name)

  it('writes a signed cookie that our Express adapter and cookie-session 2.1.1 read', async () => {
    const cookie = cookieAfter('', (await runtime('/signed/count')).setCookies)
    expect(await express('/signed/read', cookie)).toMatchObject({ status: 200, body: { views: 1 }, setCookies: [] })
    expect(await cookieSession('/signed/read', cookie)).toMatchObject({ status: 200, body: { views: 1 }, setCookies: [] })
  })

  it('reads a signed cookie written by our Express adapter', async () => {
    const cookie = cookieAfter('', (await express('/signed/count')).setCookies)
    expect(await runtime('/signed/read', cookie)).toMatchObject({ status: 200, body: { views: 1 }, setCookies: [] })
  })

  it('reads a signed cookie written by cookie-session 2.1.1, and counts on from it', async () => {
    const cookie = cookieAfter('', (await cookieSession('/signed/count')).setCookies)
    expect(await runtime('/signed/read', cookie)).toMatchObject({ status: 200, body: { views: 1 }, setCookies: [] })
    const next = cookieAfter(cookie, (await runtime('/signed/count', cookie)).setCookies)
    expect((await cookieSession('/signed/read', next)).body).toEqual({ views: 2 })
  })

  it('writes compressed and chunked cookies that our Express adapter reads, and reads the ones it writes', async () => {
    for (const path of ['/compressed/fill?bytes=2000&kind=repeat', '/chunked/fill?bytes=3000&kind=random']) {
      const profile = path.split('/')[1]
      const fromRuntime = await runtime(path)
      const fromExpress = await express(path)
      expect(fromRuntime.body).toEqual(fromExpress.body)
      expect((await express(`/${profile}/read`, cookieAfter('', fromRuntime.setCookies))).body).toEqual(fromExpress.body)
      expect((await runtime(`/${profile}/read`, cookieAfter('', fromExpress.setCookies))).body).toEqual(fromExpress.body)
    }
  })
})
