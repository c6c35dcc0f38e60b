// The published package, as consumers load it: runs on dist/ (`npm test` builds first).
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { consumerFolder } from './helpers/consumer.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const run = promisify(execFile)
const ERROR_CLASSES = ['SessionError', 'SessionTooLargeError', 'SessionSerializeError', 'InsecureConnectionError', 'SessionOptionError', 'SessionWriteError', 'SessionStoreError', 'SessionCacheableError', 'SessionStoreConflictError']

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

  it('./next loads from CommonJS and ES modules, its errors the same classes as the other entries\'', async () => {
    const out = await node('--input-type=module', '-e', `
      import { getSession, proxyCookies, SessionWriteError } from 'signed-cookie-session/next'
      import { SessionWriteError as Fetched } from 'signed-cookie-session/fetch'
      import { createRequire } from 'node:module'
      const cjs = createRequire(import.meta.url)('signed-cookie-session/next')
      const cookies = new Map()
      const store = { get: (name) => cookies.has(name) ? { name, value: cookies.get(name) } : undefined, set: (name, value) => { cookies.set(name, value) } }
      const session = await getSession(store, { keys: ['k'] })
      session.n = 1
      await session.save()
      const again = await cjs.getSession(store, { keys: ['k'] })
      console.log(JSON.stringify([Object.keys(cjs).sort(), typeof proxyCookies, new cjs.SessionWriteError('x') instanceof SessionWriteError,
        new SessionWriteError('x') instanceof Fetched, [...cookies.keys()], again.n]))`)
    expect(JSON.parse(out)).toEqual([[...ERROR_CLASSES, 'getSession', 'proxyCookies'].sort(), 'function', true, true, ['session', 'session.sig'], 1])
  })

  it('./next resolves to the ES module build under the edge and worker conditions, as ./fetch does', () => {
    const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    expect(exports['./next']).toEqual(JSON.parse(JSON.stringify(exports['./fetch']).replaceAll('/fetch.', '/next.')))
    expect(exports['./next']['edge-light']).toBe('./dist/esm/next.js')
  })

  it('./fastify loads from CommonJS and ES modules, as the same Fastify plugin', async () => {
    const out = await node('--input-type=module', '-e', `
      import { fastifySession } from 'signed-cookie-session/fastify'
      import { createRequire } from 'node:module'
      import Fastify from 'fastify'
      const cjs = createRequire(import.meta.url)('signed-cookie-session/fastify')
      const app = Fastify()
      await app.register(fastifySession, { keys: ['k'] })
      app.get('/', async (request) => { request.session.n = 1; return 'ok' })
      const res = await app.inject('/')
      console.log(JSON.stringify([Object.keys(cjs), cjs.fastifySession === fastifySession, app.hasPlugin('signed-cookie-session'), res.headers['set-cookie'][0]]))`)
    expect(JSON.parse(out)).toEqual([['fastifySession'], true, true, 'session=eyJuIjoxfQ==; path=/; httponly'])
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

// What only a real consumer's compile can check: module resolution (node10's typesVersions,
// NodeNext's require/import conditions), `import = require`, and our declarations under
// skipLibCheck: false. What the types say is checked faster by test/types/*.test-d.ts.
describe('TypeScript consumers', () => {
  // A consumer inside the repository, so the type packages in node_modules/ resolve, with the
  // package linked into its own node_modules/ as an install would put it.
  const consumer = consumerFolder()

  /** Writes `files` and a tsconfig with `compilerOptions` into `dir`, and type-checks them. */
  async function compile (name: string, compilerOptions: object, files: Record<string, string>): Promise<string> {
    for (const [file, text] of Object.entries(files)) writeFileSync(join(consumer(), file), text)
    const project = join(consumer(), `tsconfig.${name}.json`)
    writeFileSync(project, JSON.stringify({
      compilerOptions: { target: 'ES2022', strict: true, noEmit: true, types: ['node'], ...compilerOptions },
      files: Object.keys(files)
    }))
    const result = await run(process.execPath, [tsc, '-p', project], { cwd: root }).catch((err) => err)
    return `${result.stdout}${result.stderr}`
  }
  const tsc = join(root, 'node_modules/typescript/bin/tsc')

  it('NodeNext: `import = require` (.cts), named require imports, ES imports (.mts), with skipLibCheck off', async () => {
    expect(await compile('nodenext', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, {
      'consumer.cts': `
import cookieSession = require('signed-cookie-session')

const middleware: cookieSession.CookieSessionMiddleware = cookieSession({ keys: ['k'], maxAge: 1000 })
const options: cookieSession.CookieSessionOptions = { keys: ['k'] }
const same: typeof cookieSession = cookieSession.cookieSession
const error: cookieSession.SessionError = new cookieSession.SessionTooLargeError('session', 5000, 4093)
const failure = (err: cookieSession.SessionWriteFailure): string => err.code
const session = (s: cookieSession.Session): boolean => s.isNew
const limit: 4093 = cookieSession.DEFAULT_MAX_SIZE
// @ts-expect-error maxAge is a number of milliseconds
cookieSession({ keys: ['k'], maxAge: 'a day' })
export = [middleware, options, same, error, failure, session, limit]
`,
      'named.cts': `
import { cookieSession, SessionTooLargeError } from 'signed-cookie-session'

export const middleware = cookieSession({ keys: ['k'] })
export const tooLarge = (err: unknown): boolean => err instanceof SessionTooLargeError && err.limit > 0
`,
      'consumer.mts': `
import cookieSession, { cookieSession as named, SessionError, type SessionWriteFailure } from 'signed-cookie-session'

export const middleware = cookieSession({ keys: ['k'] })
export const shorthand = named(['a', 'b'])
export const code = (err: SessionWriteFailure): string => err instanceof SessionError ? err.code : err.code
// @ts-expect-error sameSite is 'strict', 'lax', 'none' or a boolean
cookieSession({ keys: ['k'], sameSite: 'relaxed' })
`
    })).toBe('')
  }, 60_000)

  // @types/koa does not pass skipLibCheck: false on its own (its content-disposition types drifted).
  it('NodeNext: ./koa and ./fetch from CommonJS and ES modules', async () => {
    expect(await compile('subpaths', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, {
      'adapters.cts': `
import koa = require('signed-cookie-session/koa')
import fetch = require('signed-cookie-session/fetch')
export const middleware: koa.KoaSessionMiddleware = koa.koaSession({ keys: ['k'] })
export const scope = async (request: Request): Promise<fetch.FetchSession> => await fetch.fetchSession(['k'])(request)
`,
      'adapters.mts': `
import { koaSession } from 'signed-cookie-session/koa'
import { fetchSession, type FetchSession } from 'signed-cookie-session/fetch'
export const middleware = koaSession({ keys: ['k'] })
export const scope = async (request: Request): Promise<FetchSession> => await fetchSession(['k'])(request)
`
    })).toBe('')
  }, 60_000)

  it('NodeNext: ./fastify from CommonJS and ES modules, with request.session typed by the plugin', async () => {
    expect(await compile('fastify', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, {
      'fastify.cts': `
import Fastify = require('fastify')
import plugin = require('signed-cookie-session/fastify')
const app = Fastify()
app.register(plugin.fastifySession, { keys: ['k'], onError: (err, request, reply) => reply.log.warn({ url: request.url }, err.code) })
app.get('/', async (request) => {
  const session: plugin.FastifySession | null = request.session
  return session?.get('views') as number
})
`,
      'fastify.mts': `
import Fastify from 'fastify'
import { fastifySession, type FastifySessionOptions } from 'signed-cookie-session/fastify'
const options: FastifySessionOptions = { keys: ['k'], maxAge: 1000 }
const app = Fastify()
await app.register(fastifySession, options)
app.get('/', async (request) => {
  if (request.session) request.session.views = (request.session.views ?? 0) + 1
  request.sessionOptions.maxAge = 60_000
  return request.session?.views
})
// @ts-expect-error maxAge is a number of milliseconds
await app.register(fastifySession, { keys: ['k'], maxAge: 'a day' })
`
    })).toBe('')
  }, 60_000)

  it('NodeNext: ./next from CommonJS and ES modules', async () => {
    expect(await compile('next', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, {
      'next.cts': `
import next = require('signed-cookie-session/next')
export const read = async (cookies: next.CookieStoreLike): Promise<unknown> => (await next.getSession(cookies, { keys: ['k'] })).user
`,
      'next.mts': `
import { getSession, type CookieStoreLike, type NextSession } from 'signed-cookie-session/next'
export const session = async (cookies: CookieStoreLike): Promise<NextSession> => await getSession(cookies, { keys: ['k'], maxAge: 1000 })
`
    })).toBe('')
  }, 60_000)

  it('node10 (no exports map): the main entry and ./koa, ./fetch, ./fastify, ./next through typesVersions', async () => {
    expect(await compile('node10', { module: 'commonjs', moduleResolution: 'node10', skipLibCheck: true, ignoreDeprecations: '5.0' }, {
      'node10.ts': `
import cookieSession = require('signed-cookie-session')
import { koaSession, type KoaSessionOptions } from 'signed-cookie-session/koa'
import { fetchSession, type FetchSession } from 'signed-cookie-session/fetch'
import { fastifySession, type FastifySessionOptions } from 'signed-cookie-session/fastify'
import { getSession, type CookieStoreLike } from 'signed-cookie-session/next'

export const read = async (cookies: CookieStoreLike): Promise<unknown> => (await getSession(cookies, { keys: ['k'] })).user
const options: KoaSessionOptions = { keys: ['k'] }
const fastifyOptions: FastifySessionOptions = { keys: ['k'] }
export const plugin = [fastifySession, fastifyOptions]
export const middleware: cookieSession.CookieSessionMiddleware = cookieSession(['k'])
export const koa = koaSession(options)
export const scope = async (request: Request): Promise<FetchSession> => await fetchSession(['k'])(request)
// @ts-expect-error maxAge is a number of milliseconds
koaSession({ keys: ['k'], maxAge: 'a day' })
`
    })).toBe('')
  }, 60_000)
})
