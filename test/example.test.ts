// examples/counter.js, the app `npm start` runs: two requests carrying the cookie count 1, 2.
import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
let child: ChildProcess | undefined

afterEach(() => {
  child?.kill()
  child = undefined
})

/** Starts the example on a free port; resolves with its base URL once it is listening. */
function start (env: Record<string, string>, script = 'examples/counter.js'): Promise<{ url: string, output: () => string }> {
  const proc = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, ...env } })
  child = proc
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /http:\/\/localhost:(\d+)\//.exec(output)
      if (match) resolve({ url: match[0], output: () => output })
    }
    proc.stdout.on('data', onData)
    proc.stderr.on('data', onData)
    proc.on('error', reject)
    proc.on('exit', (code) => reject(new Error(`example exited with ${code}:\n${output}`)))
  })
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
function cookiesOf (res: Response): string {
  return res.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ')
}

it('counts views in the session cookie and clears it on /reset', async () => {
  const { url, output } = await start({ PORT: '0', SESSION_KEYS: 'new key, old key' })
  expect(output()).not.toContain('DEVELOPMENT')

  const first = await fetch(url)
  expect(await first.text()).toBe('1 views\n')
  const cookie = cookiesOf(first)
  expect(cookie).toMatch(/^session=[^;]+; session\.sig=[^;]+$/)

  const second = await fetch(url, { headers: { cookie } })
  expect(await second.text()).toBe('2 views\n')

  const reset = await fetch(new URL('/reset', url), { headers: { cookie } })
  expect(await reset.text()).toBe('session cleared\n')
  expect(reset.headers.getSetCookie()[0]).toMatch(/^session=; .*expires=Thu, 01 Jan 1970 00:00:00 GMT/)
  const afterReset = await fetch(url)
  expect(await afterReset.text()).toBe('1 views\n')
})

it('warns about a development key when SESSION_KEYS is unset, and reports oversized sessions', async () => {
  const { url, output } = await start({ PORT: '0', SESSION_KEYS: '' })
  expect(output()).toContain('DEVELOPMENT key')
  expect(output()).toContain('openssl rand -base64 32')

  const res = await fetch(new URL('/too-big', url))
  expect(res.status).toBe(200)
  expect(res.headers.getSetCookie()).toEqual([])
  await expect.poll(output).toContain('ERR_SESSION_TOO_LARGE')
})

it.each(['examples/koa.js', 'examples/hono.mjs', 'examples/fastify.mjs'])('%s counts views and clears them', async (script) => {
  const { url } = await start({ PORT: '0', SESSION_KEYS: 'example key' }, script)
  const first = await fetch(url)
  expect(await first.text()).toBe('1 views\n')
  const second = await fetch(url, { headers: { cookie: cookiesOf(first) } })
  expect(await second.text()).toBe('2 views\n')
  const reset = await fetch(url + 'reset', { headers: { cookie: cookiesOf(second) } })
  expect(reset.headers.getSetCookie()[0]).toMatch(/^session=; path=\/; expires=Thu, 01 Jan 1970 00:00:00 GMT; samesite=lax; httponly$/)
})

it('examples/passport.js logs in and out', async () => {
  const { url } = await start({ PORT: '0', SESSION_KEYS: 'example key' }, 'examples/passport.js')
  const login = await fetch(url + 'login', { method: 'POST', redirect: 'manual', body: new URLSearchParams({ username: 'ann', password: 'secret' }) })
  expect(login.headers.get('location')).toBe('/')
  const home = await fetch(url, { headers: { cookie: cookiesOf(login) } })
  expect(await home.text()).toContain('Hello, Ann.')
  const logout = await fetch(url + 'logout', { method: 'POST', redirect: 'manual', headers: { cookie: cookiesOf(login) } })
  expect(logout.headers.getSetCookie()[0]).toMatch(/^session=; path=\/; expires=Thu, 01 Jan 1970/)
})

it('says which port is taken and how to pick another, instead of a stack trace', async () => {
  const { createServer } = await import('node:net')
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, resolve))
  const port = String((taken.address() as { port: number }).port)
  try {
    const proc = spawn(process.execPath, ['examples/counter.js'], { cwd: root, env: { ...process.env, PORT: port, SESSION_KEYS: 'example key' } })
    child = proc
    let stderr = ''
    proc.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    const code = await new Promise((resolve) => proc.on('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toContain(`port ${port} is already in use: start it on another one, e.g. PORT=${Number(port) + 1} npm start`)
    expect(stderr).not.toMatch(/\n\s+at /)
  } finally {
    taken.close()
  }
})
