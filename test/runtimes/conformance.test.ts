// One conformance table for every runtime: each request goes to the runtime's Fetch app and to
// Node's Express adapter with the same options (lib/reference.ts), and the runtime must answer as
// Node does: status, session, onError's report, the caching headers (Vary, Cache-Control) and the
// Set-Cookie lines byte for byte. Sealed and
// compressed values are compared by what they hold instead: a sealed one has a random IV, and a
// deflate stream's bytes depend on the compressor (Bun's and Deno's CompressionStream('deflate-raw')
// already differ from zlib's on the same input), so for those each side must read the other's.
import { inflateRawSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cookieAfter, get, names, type Reply } from './lib/http.js'
import { RUNTIME_NAMES } from './lib/names.js'
import { filler } from './apps/profiles.js'
import { startReference, type Reference } from './lib/reference.js'
import { target } from './lib/target.js'

let reference: Reference | undefined
beforeAll(async () => { reference = await startReference() })
afterAll(async () => { await reference?.close() })

/** Node's answer, through our Express adapter. */
function node (path: string, cookie?: string): Promise<Reply> {
  if (reference === undefined) throw new Error('the Express reference did not start')
  return get(reference.ours, path, cookie)
}

/** The Cookie header after Node wrote a session of `{ views: 1 }` under `profile`. */
async function nodeCookie (profile = 'signed'): Promise<string> {
  return cookieAfter('', (await node(`/${profile}/count`)).setCookies)
}

const EXPIRED = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'

/**
 * The reply with each cookie value's last part (after its last ".", such as a sealed value's "e2.")
 * replaced by its length and alphabet, for values whose bytes may differ.
 */
function shape (reply: Reply): Reply {
  const describe = (value: string): string => {
    const at = value.lastIndexOf('.') + 1
    const rest = value.slice(at)
    return `${value.slice(0, at)}<${rest.length} ${/^[\w-]*$/.test(rest) ? 'base64url' : 'other'} characters>`
  }
  return { ...reply, setCookies: reply.setCookies.map((line) => line.replace(/^([^=]*)=([^;]*)/, (_, name: string, value: string) => `${name}=${describe(value)}`)) }
}

/** The reply with a compressed value replaced by the JSON it inflates to, and the .sig by its shape. */
function inflated (reply: Reply): Reply {
  return {
    ...reply,
    setCookies: reply.setCookies.map((line) => line
      .replace(/^session=\.([\w-]+)/, (_, value: string) => `session=.<${inflateRawSync(Buffer.from(value, 'base64url')).toString()}>`)
      .replace(/^session\.sig=([^;]*)/, (_, value: string) => `session.sig=<${value.length} characters>`))
  }
}

describe.each(RUNTIME_NAMES)('%s', (name) => {
  const runtime = target(name)

  it('writes a new session with the Set-Cookie lines Node writes', async () => {
    const expected = await node('/signed/count')
    expect(expected.body).toEqual({ views: 1 })
    expect(names(expected.setCookies)).toEqual(['session', 'session.sig'])
    expect(expected.caching).toEqual(['Cookie', 'private'])
    expect(await runtime('/signed/count')).toEqual(expected)
  })

  it('reads a session without sending Set-Cookie', async () => {
    const cookie = await nodeCookie()
    const expected = await node('/signed/read', cookie)
    expect(expected).toMatchObject({ body: { views: 1 }, setCookies: [], caching: ['Cookie', null] })
    expect(await runtime('/signed/read', cookie)).toEqual(expected)
  })

  it('writes a changed session over the previous cookie', async () => {
    const cookie = await nodeCookie()
    const expected = await node('/signed/count', cookie)
    expect(expected.body).toEqual({ views: 2 })
    expect(names(expected.setCookies)).toEqual(['session', 'session.sig'])
    expect(await runtime('/signed/count', cookie)).toEqual(expected)
  })

  it('re-signs a cookie signed with the old key with the new one when it reads it', async () => {
    const cookie = await nodeCookie() // signed with the first key, which /rotation keeps second
    const expected = await node('/rotation/read', cookie)
    expect(expected.body).toEqual({ views: 1 })
    expect(names(expected.setCookies)).toEqual(['session', 'session.sig'])
    expect(cookieAfter(cookie, expected.setCookies)).not.toBe(cookie)
    expect(await runtime('/rotation/read', cookie)).toEqual(expected)
  })

  it('treats a tampered cookie as a new empty session and clears its .sig', async () => {
    const cookie = await nodeCookie()
    const tampered = cookie.replace(/^session=[^;]*/, `session=${btoa(JSON.stringify({ views: 99 }))}`)
    const expected = await node('/signed/read', tampered)
    expect(expected.body).toEqual({})
    expect(expected.setCookies).toEqual([`session.sig=; path=/; ${EXPIRED}; httponly`])
    expect(await runtime('/signed/read', tampered)).toEqual(expected)
  })

  it('refuses a session over maxSize: no Set-Cookie, a SessionTooLargeError to onError, the previous cookie still valid', async () => {
    const cookie = await nodeCookie()
    const expected = await node('/signed/fill?bytes=5000&kind=random', cookie)
    expect(expected).toMatchObject({ setCookies: [], error: 'SessionTooLargeError ERR_SESSION_TOO_LARGE' })
    expect(await runtime('/signed/fill?bytes=5000&kind=random', cookie)).toEqual(expected)
    expect((await runtime('/signed/read', cookie)).body).toEqual({ views: 1 })
  })

  it('seals an encrypted session as Node does, and each reads the other\'s', async () => {
    const expected = await node('/encrypted/count')
    expect(names(expected.setCookies)).toEqual(['session'])
    const written = await runtime('/encrypted/count')
    expect(shape(written)).toEqual(shape(expected))
    expect((await node('/encrypted/read', cookieAfter('', written.setCookies))).body).toEqual({ views: 1 })
    const fromNode = await nodeCookie('encrypted')
    expect((await runtime('/encrypted/read', fromNode)).body).toEqual({ views: 1 })
    expect((await runtime('/encrypted/count', fromNode)).body).toEqual({ views: 2 })
  })

  it('compresses a session into what Node\'s inflates to, and each reads the other\'s', async () => {
    const path = '/compressed/fill?bytes=2000&kind=repeat'
    const expected = await node(path)
    expect(names(expected.setCookies)).toEqual(['session', 'session.sig'])
    expect(expected.setCookies[0]).toMatch(/^session=\.[\w-]+; path=\/; httponly$/)
    const written = await runtime(path)
    expect(inflated(written)).toEqual(inflated(expected))
    const session = { fill: filler(2000, 'repeat') }
    expect((await node('/compressed/read', cookieAfter('', written.setCookies))).body).toEqual(session)
    expect((await runtime('/compressed/read', cookieAfter('', expected.setCookies))).body).toEqual(session)
  })

  it('chunks a large session over several cookies as Node does, reads them back, and expires them all on destroy', async () => {
    const path = '/chunked/fill?bytes=3000&kind=random'
    const expected = await node(path)
    expect(names(expected.setCookies)).toEqual(['session', 'session.1', 'session.2', 'session.3', 'session.sig'])
    expect(expected.setCookies.every((line) => line.length <= 1100)).toBe(true)
    expect(await runtime(path)).toEqual(expected)

    const cookie = cookieAfter('', expected.setCookies)
    const read = await node('/chunked/read', cookie)
    expect(read).toMatchObject({ setCookies: [], body: { fill: expect.stringMatching(/^\w{3000}$/) } })
    expect(await runtime('/chunked/read', cookie)).toEqual(read)

    const destroyed = await node('/chunked/destroy', cookie)
    expect(destroyed.setCookies).toHaveLength(5)
    expect(destroyed.setCookies.every((line) => line.includes(EXPIRED))).toBe(true)
    expect(await runtime('/chunked/destroy', cookie)).toEqual(destroyed)
  })

  it('destroys a session by expiring both cookies', async () => {
    const cookie = await nodeCookie()
    const expected = await node('/signed/destroy', cookie)
    expect(expected.body).toBeNull()
    // As with cookie-session, the emptied value is still signed (the `cookies` module signs whatever it sets).
    expect(expected.setCookies).toEqual([`session=; path=/; ${EXPIRED}; httponly`, expect.stringMatching(new RegExp(`^session\\.sig=[\\w-]{27}; path=/; ${EXPIRED}; httponly$`))])
    expect(await runtime('/signed/destroy', cookie)).toEqual(expected)
  })
})
