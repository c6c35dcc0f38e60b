// getSession takes the real type of Next's `await cookies()` (from next/headers) and proxy.ts's
// NextRequest/NextResponse without a cast: compiled against the example's node_modules/next (the
// Next the suite builds), with the package's built declarations. `next build` type-checks the
// example's own use of them too.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'
import { appDir } from './server.js'

const root = join(appDir, '../..')
const run = promisify(execFile)
const dir = mkdtempSync(join(tmpdir(), 'next-types-'))
afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

it(`takes cookies() and proxy.ts's request and response as Next ${JSON.parse(readFileSync(join(appDir, 'node_modules/next/package.json'), 'utf8')).version} types them`, async () => {
  writeFileSync(join(dir, 'check.ts'), `
import { cookies } from 'next/headers'
import { NextResponse, type NextRequest } from 'next/server'
import { getSession, proxyCookies, type NextSession, type NextSessionOptions } from 'signed-cookie-session/next'

const options: NextSessionOptions = { keys: process.env.SESSION_KEYS?.split(','), sameSite: 'lax' }

export async function action (): Promise<NextSession> {
  const session = await getSession(await cookies(), options)
  session.user = 'Ann'
  await session.save()
  await session.destroy()
  return session
}

export async function proxy (request: NextRequest): Promise<NextResponse> {
  const response = NextResponse.next()
  const session = await getSession(proxyCookies(request, response), options)
  if (session.isNew) await session.save()
  return response
}

export async function forgotten (): Promise<void> {
  // @ts-expect-error cookies() is a promise: await it
  await getSession(cookies(), options)
}
`)
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['dom', 'ES2022'],
      module: 'esnext',
      moduleResolution: 'bundler',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(appDir, 'node_modules/@types')],
      paths: {
        'next/*': [join(appDir, 'node_modules/next/*')],
        'signed-cookie-session/next': [join(root, 'dist/esm/next.d.ts')]
      }
    },
    files: ['check.ts']
  }))
  const result = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')]).catch((err) => err)
  expect(`${result.stdout}${result.stderr}`).toBe('')
}, 60_000)
