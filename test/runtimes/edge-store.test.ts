// Store mode on the edge: the Fetch entry with `store` on real workerd (no nodejs_compat), its
// sessions in workerd's own storage, through a Workers KV namespace binding (/kv) and through a
// Durable Object (/do) (lib/edge-store.ts, apps/edge-store.js). Each step is a request over HTTP;
// /peek shows what the store holds, so the tests see the cookie and the record both.
import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startEdgeStore, startStoreSample, type EdgeStore } from './lib/edge-store.js'
import { cookieAfter, get, names, type Reply } from './lib/http.js'

const KEY = 'edge store suite key, 32 bytes..'
const EXPIRED = 'expires=Thu, 01 Jan 1970 00:00:00 GMT'
/** A session id: 32 random bytes, base64url. */
const ID = /^[\w-]{43}$/

let app: EdgeStore | undefined
let sample: Promise<EdgeStore> | undefined
beforeAll(async () => {
  sample = startStoreSample(`${KEY},an older key, also 32 bytes long`)
  sample.catch(() => {}) // reported by its own test
  app = await startEdgeStore(KEY)
})
afterAll(async () => {
  await app?.stop()
  await (await sample?.catch(() => undefined))?.stop()
})

function send (path: string, cookie?: string): Promise<Reply> {
  if (app === undefined) throw new Error('workerd with the store bindings did not start')
  return get(app.url, path, cookie)
}

/** The id a Cookie header carries. */
function idOf (cookie: string): string {
  return /(?:^|; )session=([^;]*)/.exec(cookie)?.[1] ?? ''
}

it('bundles the Fetch entry with its store code for workerd without a node: import', async () => {
  const code = await readFile(app?.bundleFile ?? '', 'utf8')
  expect(code).not.toMatch(/["']node:/)
  expect(code).toContain('.gone') // the generic store driver's tombstones: store mode is in the bundle
})

describe.each(['kv', 'do'])('store mode on workerd, /%s', (backing) => {
  const peek = async (id: string): Promise<unknown> => (await send(`/${backing}/peek?id=${id}`)).body

  /** A new session holding { user: 'ann' }: the Cookie header the browser then sends. */
  async function login (): Promise<string> {
    return cookieAfter('', (await send(`/${backing}/set?key=user&value=ann`)).setCookies)
  }

  it('writes a new session to the store and sets only the signed id cookie', async () => {
    const reply = await send(`/${backing}/set?key=user&value=ann`)
    expect(reply.status, String(reply.body)).toBe(200)
    expect(reply.body).toEqual({ user: 'ann' })
    expect(names(reply.setCookies)).toEqual(['session', 'session.sig'])
    for (const line of reply.setCookies) expect(line).toMatch(/^[^;]+; path=\/; expires=[^;]+ GMT; httponly$/)
    const id = idOf(cookieAfter('', reply.setCookies))
    expect(id).toMatch(ID)
    expect(await peek(id)).toEqual({
      // express-session's Cookie data, so that express-session reads the record too.
      record: { cookie: { originalMaxAge: 3_600_000, expires: expect.any(String), httpOnly: true, path: '/', secure: false }, user: 'ann' },
      tombstone: null
    })
  })

  it('loads the session from the store on the next request, without Set-Cookie', async () => {
    const cookie = await login()
    expect(await send(`/${backing}/read`, cookie)).toMatchObject({ status: 200, body: { user: 'ann' }, setCookies: [] })
  })

  it('writes another key onto the record under the same id', async () => {
    const cookie = await login()
    const reply = await send(`/${backing}/set?key=theme&value=dark`, cookie)
    expect(reply.body).toEqual({ user: 'ann', theme: 'dark' })
    expect(idOf(cookieAfter(cookie, reply.setCookies))).toBe(idOf(cookie))
    expect(await peek(idOf(cookie))).toMatchObject({ record: { user: 'ann', theme: 'dark' }, tombstone: null })
    expect((await send(`/${backing}/read`, cookie)).body).toEqual({ user: 'ann', theme: 'dark' })
  })

  it('merges two requests that loaded the same session and changed different keys', async () => {
    const cookie = await login()
    const { first, second } = (await send(`/${backing}/both?first=set:a:1&second=set:b:2`, cookie)).body as Record<string, { body: unknown }>
    // Each request saw only its own change; the store has both.
    expect([first?.body, second?.body]).toEqual([{ user: 'ann', a: '1' }, { user: 'ann', b: '2' }])
    expect((await send(`/${backing}/read`, cookie)).body).toEqual({ user: 'ann', a: '1', b: '2' })
  })

  it('ends the session for good on logout: the record goes, a tombstone stays, the old cookie loads an empty new session', async () => {
    const cookie = await login()
    const id = idOf(cookie)
    const logout = await send(`/${backing}/destroy`, cookie)
    expect(logout.body).toBeNull()
    expect(logout.setCookies).toEqual([
      `session=; path=/; ${EXPIRED}; httponly`,
      expect.stringMatching(new RegExp(`^session\\.sig=[\\w-]+; path=/; ${EXPIRED}; httponly$`))
    ])
    expect(await peek(id)).toEqual({ record: null, tombstone: { cookie: expect.any(Object), destroyed: expect.any(Number) } })
    const replayed = await send(`/${backing}/read`, cookie)
    expect(replayed.body).toEqual({})
    expect(replayed.setCookies).toEqual(logout.setCookies)
  })

  it('drops the write of a request that loaded the session before a logout completed, and clears its cookie', async () => {
    const cookie = await login()
    const { first, second } = (await send(`/${backing}/both?first=destroy&second=set:cart:3`, cookie)).body as Record<string, { setCookies: string[] }>
    expect(names(first?.setCookies ?? [])).toEqual(['session', 'session.sig'])
    expect(second?.setCookies).toEqual(first?.setCookies) // the same clearing lines: no id comes back
    expect(second?.setCookies[0]).toBe(`session=; path=/; ${EXPIRED}; httponly`)
    expect(await peek(idOf(cookie))).toMatchObject({ record: null })
    expect((await send(`/${backing}/read`, cookie)).body).toEqual({})
  })

  it('keeps a logout final against a write that read the record before it and lands after it', async () => {
    const cookie = await login()
    const { logout, late } = (await send(`/${backing}/late?op=set:cart:3`, cookie)).body as Record<string, string[]>
    expect(logout?.[0]).toBe(`session=; path=/; ${EXPIRED}; httponly`)
    expect(late).toEqual(logout) // the late request learns the session is gone and clears its cookie too
    expect(await peek(idOf(cookie))).toMatchObject({ record: null })
    expect((await send(`/${backing}/read`, cookie)).body).toEqual({})
  })

  it('gives an empty new session for a tampered id cookie, and never loads the record it names', async () => {
    const victim = await login()
    const attacker = await login()
    // The victim's id under the attacker's signature: a valid id, a valid-looking .sig.
    const forged = `session=${idOf(victim)}; session.sig=${/session\.sig=([^;]*)/.exec(attacker)?.[1] ?? ''}`
    const reply = await send(`/${backing}/read`, forged)
    expect(reply.body).toEqual({})
    expect(reply.setCookies).toEqual([`session.sig=; path=/; ${EXPIRED}; httponly`])
    // Neither record was touched.
    expect((await send(`/${backing}/read`, victim)).body).toEqual({ user: 'ann' })
    expect(await peek(idOf(victim))).toMatchObject({ record: { user: 'ann' }, tombstone: null })
  })
})

describe('docs/fetch.md\'s store-mode Worker (apps/store-sample.js)', () => {
  it('counts views in a Durable Object behind an id cookie, and a logout ends them for the old cookie', async () => {
    const running = await sample
    if (running === undefined) throw new Error('the sample was not started')
    const first = await get(running.url, '/')
    expect(first, running.output()).toMatchObject({ status: 200, body: '1 views\n' })
    expect(names(first.setCookies)).toEqual(['session', 'session.sig'])
    const cookie = cookieAfter('', first.setCookies)
    expect(idOf(cookie)).toMatch(ID)
    expect((await get(running.url, '/', cookie)).body).toBe('2 views\n')
    const logout = await get(running.url, '/logout', cookie)
    expect(logout.body).toBe('logged out\n')
    expect(logout.setCookies[0]).toBe(`session=; path=/; ${EXPIRED}; httponly`)
    expect((await get(running.url, '/', cookie)).body).toBe('1 views\n')
  })
})
