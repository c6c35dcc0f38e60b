// The published package, as consumers load it: runs on dist/ (`npm test` builds first).
import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = promisify(execFile)
const ERROR_CLASSES = ['SessionError', 'SessionTooLargeError', 'SessionSerializeError', 'InsecureConnectionError', 'SessionOptionError', 'SessionWriteError', 'SessionStoreError']

/** Runs `node args` in the repository, where 'signed-cookie-session' resolves to itself. */
async function node (...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, args, { cwd: root })
  return stdout
}

describe('CommonJS entry', () => {
  const cookieSession = createRequire(import.meta.url)(root)

  it('is the factory, with .default and .cookieSession the same function', () => {
    expect(typeof cookieSession).toBe('function')
    expect(cookieSession.default).toBe(cookieSession)
    expect(cookieSession.cookieSession).toBe(cookieSession)
  })

  it('has the error classes and DEFAULT_MAX_SIZE as properties', () => {
    for (const name of ERROR_CLASSES) expect(typeof cookieSession[name], name).toBe('function')
    expect(new cookieSession.SessionTooLargeError('session', 5000, 4093)).toBeInstanceOf(cookieSession.SessionError)
    expect(cookieSession.DEFAULT_MAX_SIZE).toBe(4093)
  })

  it('returns a (req, res, next) middleware for options or a bare list of keys', () => {
    for (const options of [{ keys: ['k'] }, ['a', 'b']]) {
      const middleware = cookieSession(options)
      expect(typeof middleware).toBe('function')
      expect(middleware.length).toBe(3)
    }
  })

  it('resolves by package name (self-reference) to the same function', async () => {
    const out = await node('-e', `
      const a = require('signed-cookie-session')
      const b = require(${JSON.stringify(root)})
      console.log(JSON.stringify([a === b, typeof a, typeof a(['k'])]))`)
    expect(JSON.parse(out)).toEqual([true, 'function', 'function'])
  })
})

describe('ES module entry', () => {
  it('exports the same objects as the CommonJS entry', async () => {
    const out = await node('--input-type=module', '-e', `
      import * as ns from 'signed-cookie-session'
      import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
      const cjs = createRequire(import.meta.url)('signed-cookie-session')
      const names = ${JSON.stringify(ERROR_CLASSES)}
      console.log(JSON.stringify({
        keys: Object.keys(ns).sort(),
        defaultIsNamed: ns.default === ns.cookieSession,
        defaultIsCjs: ns.default === cjs,
        sameClasses: names.filter((name) => typeof ns[name] === 'function' && ns[name] === cjs[name]),
        maxSize: ns.DEFAULT_MAX_SIZE,
        middleware: [ns.default({ keys: ['k'] }).length, typeof ns.cookieSession(['a', 'b'])]
      }))`)
    expect(JSON.parse(out)).toEqual({
      keys: [...ERROR_CLASSES, 'DEFAULT_MAX_SIZE', 'cookieSession', 'default'].sort(),
      defaultIsNamed: true,
      defaultIsCjs: true,
      sameClasses: ERROR_CLASSES,
      maxSize: 4093,
      middleware: [3, 'function']
    })
  })

  it('makes an error thrown by one entry an instance of the class from the other', async () => {
    const out = await node('--input-type=module', '-e', `
      import { SessionOptionError } from 'signed-cookie-session'
      import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
      const cjs = createRequire(import.meta.url)('signed-cookie-session')
      try { cjs({}) } catch (err) { console.log(JSON.stringify([err instanceof SessionOptionError, err.code])) }`)
    expect(JSON.parse(out)).toEqual([true, 'ERR_SESSION_OPTION'])
  })
})

describe('subpath entries', () => {
  it('./koa and ./fetch load from CommonJS and ES modules', async () => {
    const cjs = await node('-e', `
      const { koaSession } = require('signed-cookie-session/koa')
      const { fetchSession } = require('signed-cookie-session/fetch')
      console.log(JSON.stringify([typeof koaSession({ keys: ['k'] }), typeof fetchSession({ keys: ['k'] })]))`)
    expect(JSON.parse(cjs)).toEqual(['function', 'function'])
    const esm = await node('--input-type=module', '-e', `
      import { koaSession } from 'signed-cookie-session/koa'
      import { fetchSession } from 'signed-cookie-session/fetch'
      console.log(JSON.stringify([typeof koaSession, typeof fetchSession]))`)
    expect(JSON.parse(esm)).toEqual(['function', 'function'])
  })
})

describe('package metadata', () => {
  it('has no problems according to Are the Types Wrong', async () => {
    // Packed here with --ignore-scripts: `attw --pack` would run `prepare`, rebuilding dist/
    // under the feet of the other test files.
    const dir = mkdtempSync(join(tmpdir(), 'attw-'))
    try {
      const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root })
      const tarball = join(dir, JSON.parse(stdout)[0].filename)
      const attw = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js')
      // attw exits 1 when it finds problems; the JSON report is on stdout either way.
      const out = await node(attw, tarball, '--format', 'json').catch((err) => err.stdout as string)
      const report = JSON.parse(out)
      expect(report.analysis.problems).toEqual([])
      expect(report.problems).toEqual({})
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it('has no publint errors or warnings (strict)', async () => {
    const { publint } = await import('publint')
    const { formatMessage } = await import('publint/utils')
    const { messages, pkg } = await publint({ pkgDir: root, strict: true, pack: 'npm' })
    for (const message of messages) {
      if (message.type === 'suggestion') console.info(`publint suggestion: ${formatMessage(message, pkg)}`)
    }
    const problems = messages.filter((message) => message.type !== 'suggestion')
    expect(problems.map((message) => formatMessage(message, pkg) ?? message.code)).toEqual([])
  }, 60_000)
})

describe('TypeScript consumers (module nodenext)', () => {
  const dir = join(root, 'test/.tmp-types')
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('type-check with `import = require` (.cts) and ES imports (.mts)', async () => {
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'ES2022',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node']
      },
      files: ['consumer.cts', 'named.cts', 'consumer.mts']
    }))
    // @types/koa does not pass skipLibCheck: false on its own (its content-disposition types drifted).
    writeFileSync(join(dir, 'tsconfig.adapters.json'), JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { skipLibCheck: true },
      files: ['adapters.mts']
    }))
    writeFileSync(join(dir, 'consumer.cts'), `
import cookieSession = require('signed-cookie-session')

const middleware: cookieSession.CookieSessionMiddleware = cookieSession({ keys: ['k'], maxAge: 1000 })
const shorthand: cookieSession.CookieSessionMiddleware = cookieSession(['a', 'b'])
const same: typeof cookieSession = cookieSession.cookieSession
const error: cookieSession.SessionTooLargeError = new cookieSession.SessionTooLargeError('session', 5000, 4093)
const size: number = error.size
const code: string = error.code
const base: cookieSession.SessionError = error
const limit: number = cookieSession.DEFAULT_MAX_SIZE
// @ts-expect-error maxAge is a number of milliseconds
cookieSession({ keys: ['k'], maxAge: 'a day' })
export = [middleware, shorthand, same, size, code, base, limit]
`)
    writeFileSync(join(dir, 'named.cts'), `
import { cookieSession, SessionTooLargeError } from 'signed-cookie-session'

export const middleware = cookieSession({ keys: ['k'] })
export const tooLarge = (err: unknown): boolean => err instanceof SessionTooLargeError && err.limit > 0
`)
    writeFileSync(join(dir, 'consumer.mts'), `
import cookieSession, { cookieSession as named, SessionTooLargeError, SessionError, type CookieSessionOptions, type SessionWriteFailure } from 'signed-cookie-session'
import type { Request } from 'express'

const options: CookieSessionOptions = { keys: ['k'], maxAge: 1000, sameSite: 'lax' }
export const middleware = cookieSession(options)
export const shorthand = named(['a', 'b'])

export function isTooLarge (err: unknown): number | undefined {
  if (err instanceof SessionTooLargeError) return err.size
  if (err instanceof SessionError) return err.code.length
  return undefined
}

export function describeFailure (err: SessionWriteFailure): string {
  switch (err.code) {
    case 'ERR_SESSION_TOO_LARGE': return \`\${err.size} > \${err.limit}\`
    case 'ERR_SESSION_WRITE': return String(err.cause)
    default: return err.message
  }
}

export const withHandler = cookieSession({ keys: ['k'], onError: (err) => { if (err.code === 'ERR_SESSION_TOO_LARGE') void err.limit } })

export function handler (req: Request): number {
  if (!req.session) return 0
  req.session.views = (req.session.views ?? 0) + 1
  const isNew: boolean = req.session.isNew
  // @ts-expect-error isNew is read-only
  req.session.isNew = isNew
  req.sessionOptions.maxAge = 2000
  // @ts-expect-error maxAge is a number
  req.sessionOptions.maxAge = 'long'
  req.session = { views: 1 }
  req.session = null
  return 1
}
`)
    writeFileSync(join(dir, 'adapters.mts'), `
import Koa from 'koa'
import { koaSession, type KoaSessionOptions } from 'signed-cookie-session/koa'
import { fetchSession, type FetchSession } from 'signed-cookie-session/fetch'

const options: KoaSessionOptions = { keys: ['k'], maxAge: 1000, onError: (err, ctx) => { void err.code; void ctx.secure } }
const app = new Koa()
app.use(koaSession(options))
app.use((ctx) => {
  if (ctx.session) ctx.session.views = 1
  ctx.sessionOptions.maxAge = 5
})

export function handle (request: Request): Response {
  const scope: FetchSession = fetchSession(['k'])(request)
  if (scope.session) scope.session.views = 1
  return scope.commit(new Response('ok'))
}
`)
    const tsc = join(root, 'node_modules/typescript/bin/tsc')
    for (const project of [dir, join(dir, 'tsconfig.adapters.json')]) {
      const result = await run(process.execPath, [tsc, '-p', project], { cwd: root }).catch((err) => err)
      expect(`${result.stdout}${result.stderr}`).toBe('')
      expect(result.code ?? 0).toBe(0)
    }
  }, 60_000)
})
