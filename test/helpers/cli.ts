// For test/cli.test.ts: runs the built command line as a user would, and makes session cookies
// with the published package's middleware on a real loopback server.
import { execFile } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import request from 'supertest'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const bin = join(root, 'dist', 'cli', 'main.js')
/** The package entry (dist/index.js), as `require('signed-cookie-session')` loads it. */
const cookieSession = createRequire(import.meta.url)(root)

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** `node dist/cli/main.js ...args` with only PATH and `env` in its environment, `input` on stdin. */
export function cli (args: readonly string[], { env = {}, input = '' }: { env?: Record<string, string>, input?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env } }, (err, stdout, stderr) => {
      const code = err === null ? 0 : (err as { code?: unknown }).code
      if (typeof code === 'number') resolve({ code, stdout, stderr })
      else reject(err)
    })
    child.stdin?.end(input)
  })
}

/**
 * The Set-Cookie lines the middleware, made with `options`, sends for a request that stores `data`
 * (and brings `cookie`, if given).
 */
export async function setCookies (options: object, data: object = { user: 'ann' }, cookie?: string): Promise<string[]> {
  const middleware = cookieSession(options)
  const server = http.createServer((req: any, res) => middleware(req, res, () => {
    Object.assign(req.session, data)
    res.end()
  }))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const { port } = server.address() as AddressInfo
    const res = await request(`http://127.0.0.1:${port}`).get('/').set(cookie === undefined ? {} : { Cookie: cookie })
    return (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []
  } finally {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  }
}

/** The Cookie header a browser sends back for these Set-Cookie lines. */
export function cookieHeader (lines: readonly string[]): string {
  return lines.map((line) => line.split(';', 1)[0]).join('; ')
}
