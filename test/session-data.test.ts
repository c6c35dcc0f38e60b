// Declaring `SessionData` types every session of the compilation, so these type checks are programs
// of their own, compiled here with the TypeScript API against the built declarations (`npm test`
// builds first): test/types/declared/ (expect-type tests with SessionData declared), and consumers
// that load the package through node_modules/ as an install would, from CommonJS and ES modules,
// and with a declaration that is wrong, to see the errors its author would see.
import { mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'
import { consumerFolder } from './helpers/consumer.js'
import { root } from './helpers/processes.js'

/** The diagnostics of `program` (only those of `file`, if given), as tsc prints them, paths relative to the repository. */
function diagnosticsOf (program: ts.Program, file?: string): string {
  const source = file === undefined ? undefined : program.getSourceFile(file)
  if (file !== undefined && source === undefined) throw new Error(`${file} is not in the program`)
  const diagnostics = source === undefined
    ? ts.getPreEmitDiagnostics(program)
    : [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
  return ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' })
}

describe('test/types/declared/, type tests with SessionData declared', () => {
  const dir = join(root, 'test/types/declared')
  const files = readdirSync(dir).filter((file) => file.endsWith('.test-d.ts'))
  let program: ts.Program
  beforeAll(() => {
    const config = ts.getParsedCommandLineOfConfigFile(join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)) } })
    if (config === undefined) throw new Error('test/types/declared/tsconfig.json cannot be read')
    expect(config.errors).toEqual([])
    program = ts.createProgram({ rootNames: config.fileNames, options: config.options })
  }, 120_000)

  it('compile as one program, the declaration included', () => {
    expect(files.length).toBeGreaterThan(0)
    expect(program.getRootFileNames().map((file) => relative(dir, file)).sort()).toEqual(['session-data.ts', ...files].sort())
    expect(diagnosticsOf(program, join(dir, 'session-data.ts'))).toBe('')
  })

  // An unused `// @ts-expect-error` is an error too, so each negative case is checked as well.
  it.for(files)('%s type-checks', (file) => {
    expect(diagnosticsOf(program, join(dir, file))).toBe('')
  })
})

// A consumer inside the repository, so the type packages in node_modules/ resolve, with the package
// linked into its own node_modules/ as an install would put it.
describe('SessionData declared by a consumer of the package', () => {
  const consumer = consumerFolder()

  /** Writes `files` into a folder of their own and type-checks them with `options`; tsc's output. */
  function compile (name: string, options: object, files: Record<string, string>): string {
    const folder = join(consumer(), name)
    mkdirSync(folder)
    symlinkSync(join(consumer(), 'node_modules'), join(folder, 'node_modules'), 'dir')
    for (const [file, text] of Object.entries(files)) writeFileSync(join(folder, file), text)
    const { options: compilerOptions, errors } = ts.convertCompilerOptionsFromJson({ target: 'ES2022', strict: true, noEmit: true, types: ['node'], ...options }, folder)
    expect(errors).toEqual([])
    const program = ts.createProgram({ rootNames: Object.keys(files).map((file) => join(folder, file)), options: compilerOptions })
    return diagnosticsOf(program).replaceAll(relative(root, folder) + '/', '')
  }

  const declaration = `
  interface SessionData {
    userId: string
    views?: number
  }`

  it('CommonJS: declared through `import = require`, it types the main entry, ./koa, ./fetch and ./fastify', () => {
    expect(compile('commonjs', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, {
      'session-data.cts': `import cookieSession = require('signed-cookie-session')
declare module 'signed-cookie-session' {${declaration}
}
export = cookieSession
`,
      'app.cts': `import express = require('express')
import Koa = require('koa')
import Fastify = require('fastify')
import cookieSession = require('signed-cookie-session')
import koa = require('signed-cookie-session/koa')
import fetch = require('signed-cookie-session/fetch')
import fastify = require('signed-cookie-session/fastify')

const app = express()
app.use(cookieSession({ keys: ['k'], validate: (session) => session.userId !== '' }))
app.get('/', (req, res) => {
  if (!req.session) return
  const views: number = (req.session.views ?? 0) + 1
  req.session.views = views
  // @ts-expect-error an undeclared key
  req.session.role = 'admin'
  res.end(req.session.userId)
})
new Koa().use(koa.koaSession({ keys: ['k'] })).use((ctx) => {
  // @ts-expect-error userId is a string
  if (ctx.session) ctx.session.userId = 1
})
const server = Fastify()
server.register(fastify.fastifySession, { keys: ['k'] })
server.get('/', async (request) => {
  // @ts-expect-error an undeclared key
  return request.session?.get('role')
})
export const handler = async (request: Request): Promise<Response> => {
  const scope = await fetch.fetchSession(['k'])(request)
  // @ts-expect-error views is a number
  if (scope.session) scope.session.views = 'one'
  const session: cookieSession.Session | null = scope.session
  return await scope.commit(new Response(session?.userId))
}
`
    })).toBe('')
  }, 60_000)

  it('ES modules: declared in a .d.mts, it types the main entry, ./koa, ./fastify and the ES module build of ./fetch', () => {
    expect(compile('esm', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, {
      'session-data.d.mts': `import 'signed-cookie-session'
declare module 'signed-cookie-session' {${declaration}
}
`,
      'app.mts': `import express from 'express'
import Koa from 'koa'
import Fastify from 'fastify'
import cookieSession, { type Session } from 'signed-cookie-session'
import { koaSession } from 'signed-cookie-session/koa'
import { fetchSession } from 'signed-cookie-session/fetch'
import { fastifySession } from 'signed-cookie-session/fastify'

const app = express()
app.use(cookieSession({ keys: ['k'] }))
app.get('/', (req, res) => {
  if (!req.session) return
  // @ts-expect-error userId is a string
  req.session.userId = 1
  res.end(req.session.userId)
})
new Koa().use(koaSession({ keys: ['k'] })).use((ctx) => {
  // @ts-expect-error an undeclared key
  if (ctx.session) ctx.session.role = 'admin'
})
const server = Fastify()
await server.register(fastifySession, { keys: ['k'] })
server.get('/', async (request) => {
  const views: number | undefined = request.session?.get('views')
  return views
})
export async function GET (request: Request): Promise<Response> {
  const scope = await fetchSession({ keys: ['k'] })(request)
  // @ts-expect-error an undeclared key
  if (scope.session) scope.session.role = 'admin'
  const session: Session | null = scope.session
  return await scope.commit(new Response(session?.userId))
}
`
    })).toBe('')
  }, 60_000)

  it('node10 (typesVersions): declared through the main entry, it types ./fetch', () => {
    expect(compile('node10', { module: 'commonjs', moduleResolution: 'node10', skipLibCheck: true, ignoreDeprecations: '5.0' }, {
      'app.ts': `import type {} from 'signed-cookie-session'
import { fetchSession } from 'signed-cookie-session/fetch'
declare module 'signed-cookie-session' {${declaration}
}
export const handler = async (request: Request): Promise<string | undefined> => {
  const scope = await fetchSession(['k'])(request)
  // @ts-expect-error views is a number
  if (scope.session) scope.session.views = 'one'
  return scope.session?.userId
}
`
    })).toBe('')
  }, 60_000)

  it('Fetch only (Workers, no Node types): declared through ./fetch, which exports SessionData too', () => {
    expect(compile('fetch-only', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false, types: [], lib: ['ES2022', 'DOM'] }, {
      'worker.mts': `import { fetchSession } from 'signed-cookie-session/fetch'
declare module 'signed-cookie-session/fetch' {${declaration}
}
const sessions = fetchSession({ keys: ['k'] })
export default {
  async fetch (request: Request): Promise<Response> {
    const scope = await sessions(request)
    if (!scope.session) return new Response('gone')
    scope.session.views = (scope.session.views ?? 0) + 1
    // @ts-expect-error an undeclared key
    scope.session.role = 'admin'
    return await scope.commit(new Response(scope.session.userId))
  }
}
`
    })).toBe('')
  }, 60_000)

  it('the global form: declared from CommonJS and ES module files alike, every declaration counts', () => {
    expect(compile('global', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: true }, {
      'user.d.cts': `declare global {
  namespace SignedCookieSession {
    interface SessionData { userId: string }
  }
}
export {}
`,
      'cart.d.mts': `declare global {
  namespace SignedCookieSession {
    interface SessionData { cart?: string[] }
  }
}
export {}
`,
      'app.cts': `import cookieSession = require('signed-cookie-session')
export const read = (session: cookieSession.Session): string => session.userId + String(session.cart?.length)
`,
      'app.mts': `import type { Session } from 'signed-cookie-session'
import { fetchSession } from 'signed-cookie-session/fetch'
export const read = (session: Session): string => session.userId + String(session.cart?.length)
export async function GET (request: Request): Promise<Response> {
  const scope = await fetchSession({ keys: ['k'] })(request)
  // @ts-expect-error cart is a list of strings
  if (scope.session) scope.session.cart = 'a1'
  return await scope.commit(new Response(scope.session?.userId))
}
`
    })).toBe('')
  }, 60_000)

  it('a declaration that is wrong: the errors say what is wrong, where the session is used, and none is in the package (skipLibCheck off)', () => {
    const output = compile('wrong', { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, {
      'app.mts': `import cookieSession, { type Session } from 'signed-cookie-session'
import { fetchSession } from 'signed-cookie-session/fetch'
declare module 'signed-cookie-session' {
  interface SessionData {
    userId: string
    save: boolean
    lastSeen: Date
  }
}
export const middleware = cookieSession({ keys: ['k'] })
export const read = (session: Session): string => session.userId
export async function GET (request: Request): Promise<Response> {
  const scope = await fetchSession({ keys: ['k'] })(request)
  scope.session = { userId: 'ann', save: true, lastSeen: new Date() }
  return await scope.commit(new Response('ok'))
}
`
    })
    const problems = '"SessionData key \'save\' collides with the session method save(); rename it" | ' +
      '"SessionData.lastSeen is a Date, which comes back from the cookie as a string; store date.getTime() or date.toISOString()"'
    expect(output.split('\n').filter((line) => /error TS/.test(line))).toEqual([
      `app.mts(11,59): error TS2339: Property 'userId' does not exist on type '${problems}'.`,
      `app.mts(14,3): error TS2322: Type '{ userId: string; save: boolean; lastSeen: Date; }' is not assignable to type '${problems} | null | undefined'.`
    ])
  }, 60_000)
})
