// Shared caches never hand one user's session to another: test/nginx/app.js (an Express app whose
// pages all say `Cache-Control: public, max-age=60`) behind Debian's nginx with proxy_cache on, two
// users taking turns. With the caching headers, neither ever gets the other's page or Set-Cookie,
// and the page that does not touch the session is still served from the cache; with
// `cacheHeaders: false`, the same traffic leaks.
import { afterEach, describe, expect, it } from 'vitest'
import { CookieJar } from '../helpers/cookie-jar.js'
import { start, stopAll, type App } from '../helpers/processes.js'
import { startNginx, type Nginx } from './nginx.js'

const REQUESTS = 1000
const ABOUT = 'a page that does not use the session\n'
/** After logging in, each user goes round these pages: write, read, read again, untouched. */
const ROUND = ['/', '/me', '/me', '/about']

let nginx: Nginx | undefined
afterEach(async () => {
  await nginx?.stop()
  nginx = undefined
  await stopAll()
})

/** The app (with `env`) and nginx in front of it; requests go to nginx. */
async function behindNginx (env: Record<string, string> = {}): Promise<{ url: string, app: App }> {
  const app = await start('test/nginx/app.js', env)
  nginx = await startNginx(app.port)
  return { url: nginx.url, app }
}

interface Answer {
  path: string
  status: number
  body: string
  setCookie: string[]
  /** nginx's $upstream_cache_status: HIT, MISS, ... */
  cache: string
}

/** One browser: its cookies, and every answer it got. */
class User {
  readonly jar = new CookieJar()
  readonly answers: Answer[] = []

  constructor (readonly name: string, private readonly url: string) {}

  async get (path: string): Promise<Answer> {
    const cookie = this.jar.header
    const res = await fetch(this.url + path, { headers: cookie === '' ? {} : { cookie }, redirect: 'manual' })
    const answer = { path, status: res.status, body: await res.text(), setCookie: res.headers.getSetCookie(), cache: res.headers.get('x-cache-status') ?? '-' }
    this.jar.apply(answer.setCookie)
    this.answers.push(answer)
    return answer
  }
}

/** alice and bob take turns, `requests` in all: each logs in, then goes round ROUND. */
async function takeTurns (url: string, requests: number): Promise<User[]> {
  const users = [new User('alice', url), new User('bob', url)]
  for (let i = 0; i < requests; i++) {
    const user = users[i % 2] as User
    const n = user.answers.length
    await user.get(n === 0 ? `/login?user=${user.name}` : ROUND[(n - 1) % ROUND.length] as string)
  }
  return users
}

/** The user a session cookie among `setCookie` holds (the cookie is base64 JSON, signed). */
function sessionUser (setCookie: readonly string[]): string | undefined {
  const line = setCookie.find((l) => l.startsWith('session='))
  const value = line?.slice('session='.length).split(';')[0]
  return value ? (JSON.parse(Buffer.from(value, 'base64').toString('utf8')) as { user?: string }).user : undefined
}

/**
 * What went wrong for `users`: `leaks` (a user got a page or a Set-Cookie line meant for the other),
 * `wrong` (any other answer that is not exactly the page this user should have got).
 */
function check (users: readonly User[]): { leaks: string[], wrong: string[] } {
  const leaks: string[] = []
  const wrong: string[] = []
  for (const user of users) {
    const others = users.filter((u) => u !== user)
    const theirLines = new Set(others.flatMap((u) => u.answers.flatMap((a) => a.setCookie)))
    let views = 0
    user.answers.forEach((answer, i) => {
      const at = `${user.name}'s request ${i + 1}, GET ${answer.path} (${answer.cache})`
      const expected = answer.path.startsWith('/login')
        ? `logged in as ${user.name}\n`
        : answer.path === '/' ? `${user.name}: ${++views} views\n` : answer.path === '/me' ? `signed in as ${user.name}\n` : ABOUT
      const owner = others.find((u) => answer.body.includes(u.name))
      if (owner !== undefined) leaks.push(`${at}: ${owner.name}'s page ${JSON.stringify(answer.body)}`)
      else if (answer.status !== 200 || answer.body !== expected) wrong.push(`${at}: ${answer.status} ${JSON.stringify(answer.body)}, expected ${JSON.stringify(expected)}`)
      if (answer.setCookie.some((line) => theirLines.has(line))) leaks.push(`${at}: another user's Set-Cookie`)
      const holder = sessionUser(answer.setCookie)
      if (holder !== undefined && holder !== user.name) leaks.push(`${at}: a session cookie of ${holder}`)
    })
  }
  return { leaks, wrong }
}

/** Of the answers for `paths`, how many nginx served from its cache. */
function hits (users: readonly User[], paths: (path: string) => boolean): { hits: number, of: number } {
  const answers = users.flatMap((u) => u.answers).filter((a) => paths(a.path))
  return { hits: answers.filter((a) => a.cache === 'HIT').length, of: answers.length }
}

const ratio = ({ hits, of }: { hits: number, of: number }) => `${hits}/${of} (${(100 * hits / of).toFixed(1)}%)`

describe('Debian\'s nginx with proxy_cache in front of the app', () => {
  it(`serves ${REQUESTS} alternating requests of two users without one getting the other's page or cookie, and still caches the page without a session`, async () => {
    const { url, app } = await behindNginx()
    const started = Date.now()
    const users = await takeTurns(url, REQUESTS)
    const ms = Date.now() - started
    const { leaks, wrong } = check(users)
    const about = hits(users, (p) => p === '/about')
    const me = hits(users, (p) => p === '/me')
    const written = hits(users, (p) => p === '/' || p.startsWith('/login'))
    console.log(`nginx, cacheHeaders on: ${REQUESTS} requests in ${ms} ms, ${leaks.length} leaks, ${wrong.length} wrong answers; ` +
      `cache hits: /about (no session) ${ratio(about)}, /me (reads it) ${ratio(me)}, / and /login (write it) ${ratio(written)}`)
    expect(users.reduce((n, u) => n + u.answers.length, 0)).toBe(REQUESTS)
    expect(leaks).toEqual([])
    expect(wrong).toEqual([])
    // The page nobody's session is in is served from the cache, after the first request, for everyone.
    expect(about.of).toBeGreaterThan(200)
    expect(about.hits).toBeGreaterThanOrEqual(about.of - 2)
    // Responses that set the cookie are never stored.
    expect(written.hits).toBe(0)
    // Each explicitly public page that wrote the session was reported once, however often it was asked for.
    const reports = app.output().split('\n').filter((line) => line.startsWith('ERR_SESSION_CACHEABLE: '))
    expect(reports.map((line) => line.split(' ').slice(1, 3).join(' '))).toEqual(['GET /login', 'GET /'])
  })

  it('never stores a response that sets the cookie, even where it stores responses with Set-Cookie: first visits stay apart', async () => {
    const { url } = await behindNginx()
    const visitors = Array.from({ length: 20 }, (_, i) => new User(`visitor ${i}`, url))
    for (const visitor of visitors) await visitor.get('/cdn/welcome')
    const answers = visitors.map((v) => v.answers[0] as Answer)
    // Twenty cookieless requests look alike to Vary: Cookie; only Cache-Control: private keeps them apart.
    expect(answers.map((a) => a.cache)).toEqual(Array(20).fill('MISS'))
    expect(new Set(answers.map((a) => a.body)).size).toBe(20)
    expect(new Set(answers.flatMap((a) => a.setCookie)).size).toBe(40)
  })
})

describe('the same traffic with cacheHeaders: false', () => {
  it('gives one user the other\'s page', async () => {
    const { url } = await behindNginx({ CACHE_HEADERS: 'false' })
    const users = await takeTurns(url, 40)
    const { leaks } = check(users)
    console.log(`nginx, cacheHeaders off: 40 requests, ${leaks.length} leaks, e.g. ${leaks[0]}`)
    expect(leaks.length).toBeGreaterThan(0)
    expect(leaks.some((leak) => /GET \/me \(HIT\): (alice|bob)'s page "signed in as (alice|bob)\\n"/.test(leak))).toBe(true)
  })

  it('gives later first-time visitors the first one\'s Set-Cookie, where responses with Set-Cookie are stored', async () => {
    const { url } = await behindNginx({ CACHE_HEADERS: 'false' })
    const visitors = Array.from({ length: 20 }, (_, i) => new User(`visitor ${i}`, url))
    for (const visitor of visitors) await visitor.get('/cdn/welcome')
    const [first, ...later] = visitors.map((v) => v.answers[0] as Answer)
    expect(first?.cache).toBe('MISS')
    for (const answer of later) {
      expect(answer.cache).toBe('HIT')
      expect(answer.body).toBe(first?.body)
      expect(answer.setCookie).toEqual(first?.setCookie)
    }
  })
})
