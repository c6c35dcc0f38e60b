// Every code sample in the README and in the guides of docs/ runs as pasted: each js, ts and tsx
// block is a whole program, written alone to a file and run in a node child process of its own
// against the built package (`npm test` builds first). The test adds no code: it sets SESSION_KEYS
// (and IRON_PASSWORD), preloads test/helpers/listen-on-free-port.cjs so that the sample's server
// listens on a free loopback port, and sends it one request (GET /, or the one `requests` names).
// TypeScript blocks are also type-checked with tsc (strict, NodeNext). Blocks not meant to run say so
// by their tag: sh (commands, checked by test/helpers/readme-commands.ts to name scripts and files
// that exist), diff (a change to an app: both sides must parse), text (output: shown, not run). Two
// kinds of program run elsewhere: the Next.js files, compared byte for byte with examples/next by
// test/readme-next.test.ts, and the samples on a database server (`needsServer`), which only parse
// and load their imports here.
import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ts from 'typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commandProblems } from './helpers/readme-commands.js'
import { root } from './helpers/processes.js'
import { codeBlocks, type CodeBlock } from './helpers/readme.js'

const run = promisify(execFile)
const preload = join(root, 'test/helpers/listen-on-free-port.cjs')
// Without vitest's NODE_ENV=test, which silences Express's log of errors.
const env: NodeJS.ProcessEnv = {
  ...process.env,
  SESSION_KEYS: 'a sample key of at least 32 bytes,an older sample key of 32 bytes+',
  IRON_PASSWORD: 'an iron-session password, 32 chars+'
}
delete env.NODE_ENV

/**
 * The request a sample is sent instead of GET /, keyed by a short excerpt of its code, and what it
 * must have printed by then. Every other sample gets GET / and must answer it below 400.
 */
interface Request { method: string, path: string, body?: string, output?: RegExp }

const requests: Record<string, Request> = {
  'req.sessionOptions.maxAge = 30': { method: 'POST', path: '/login', body: 'user=ann&remember=on' },
  "passport.authenticate('local'": { method: 'POST', path: '/login', body: 'username=ann&password=secret' },
  'fastifyPassport.secureSession()': { method: 'POST', path: '/logout' },
  'logger.warn(': { method: 'GET', path: '/', output: /ERR_SESSION_TOO_LARGE/ },
  'req.session.cookie.maxAge = 30': { method: 'POST', path: '/login', body: 'user=ann&remember=on' }
}

/** Samples that need a server `npm test` has not got: they are only parsed, and their imports loaded. */
const needsServer: Record<string, string> = {
  "require('express-mysql-session')": 'needs a MySQL or MariaDB server (npm run test:stores runs the store against one)',
  "from 'connect-redis'": 'needs a Redis server (npm run test:stores runs the store against one)',
  "require('connect-redis')": 'needs a Redis server (test/stores/express-session-migration.test.ts switches such an app on one)'
}

/** The Next.js section of docs/fetch.md: files of examples/next, which need Next to run. */
const inNextSection = (block: CodeBlock): boolean => block.file === 'docs/fetch.md' && block.heading === '## Next.js'

/** The one table key whose excerpt the sample contains (a key that matches none or two fails below). */
const keyOf = (table: object, block: CodeBlock): string | undefined => Object.keys(table).find((key) => block.code.includes(key))

const samples = codeBlocks.filter((block) => ['js', 'ts', 'tsx'].includes(block.lang))
const nextSamples = samples.filter(inNextSection)
const storeSamples = samples.filter((block) => !inNextSection(block) && keyOf(needsServer, block) !== undefined)
const runnable = samples.filter((block) => !nextSamples.includes(block) && !storeSamples.includes(block))
  .map((block) => ({ block, name: block.name, request: requests[keyOf(requests, block) ?? ''] ?? { method: 'GET', path: '/' } }))

const isModule = (code: string): boolean => /^(?:import|export)\b/m.test(code)

/** JavaScript for node: TypeScript stripped of its types; throws on a syntax error. */
function toJavaScript (block: CodeBlock, code = block.code): string {
  if (block.lang === 'js') return code
  const { outputText, diagnostics = [] } = ts.transpileModule(code, {
    fileName: `sample.${block.lang}`,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, jsx: ts.JsxEmit.Preserve }
  })
  if (diagnostics.length > 0) throw new Error(ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }))
  return outputText
}

// Samples are written inside the repository, so that 'signed-cookie-session' resolves to it (by its
// own package name) and express, koa, hono, ... to its node_modules.
let dir = ''
const stops = new Set<() => Promise<void>>()
beforeAll(() => { dir = mkdtempSync(join(root, 'test/.tmp-samples-')) })
afterAll(async () => {
  await Promise.all([...stops].map((stop) => stop()))
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** A file name for `block`: `docs-koa.md-3`. */
const fileStem = (block: CodeBlock): string => `${block.file.replace(/\//g, '-')}-${block.line}`

/** Writes `code` as the file for `block`, ES module or CommonJS by its syntax; returns its path. */
function write (block: CodeBlock, code: string, suffix = ''): string {
  const file = join(dir, `${fileStem(block)}${suffix}.${isModule(code) ? 'mjs' : 'cjs'}`)
  writeFileSync(file, code)
  return file
}

interface Launched { port?: number, code?: number | null, output: () => string, stop: () => Promise<void> }

/** Runs `node file`; resolves once it listens (with its port) or once it has exited (with its code). */
function launch (file: string): Promise<Launched> {
  const child = spawn(process.execPath, ['--require', preload, file], {
    cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.send('close')
    const timer = setTimeout(() => child.kill(), 5_000)
    await closed
    clearTimeout(timer)
    stops.delete(stop)
  }
  stops.add(stop)
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('message', (message: { port: number }) => resolve({ port: message.port, output: () => output, stop }))
    closed.then((code) => resolve({ code, output: () => output, stop }), reject)
  })
}

describe('code blocks in README.md and docs/', () => {
  it('are js, ts, tsx, sh, diff or text', () => {
    expect(codeBlocks.filter((b) => !['js', 'ts', 'tsx', 'sh', 'diff', 'text'].includes(b.lang)).map((b) => b.name)).toEqual([])
  })

  // A diff shows a change to an app: both its sides are TypeScript that parses, and every line is
  // context (" "), removed ("-") or added ("+").
  it.each(codeBlocks.filter((b) => b.lang === 'diff').map((b) => [b.name, b] as const))('%s: both sides parse', (_, block) => {
    const lines = block.code.replace(/\n$/, '').split('\n')
    expect(lines.filter((line) => !/^[ +-]/.test(line) && line !== '')).toEqual([])
    for (const dropped of ['+', '-']) {
      const side = lines.filter((line) => !line.startsWith(dropped)).map((line) => line.slice(1)).join('\n')
      expect(() => toJavaScript({ ...block, lang: 'ts' }, side), side).not.toThrow()
    }
  })

  it.each([['requests', requests], ['needsServer', needsServer]] as const)('have one sample for each key of %s', (_, table) => {
    for (const key of Object.keys(table)) {
      expect(samples.filter((block) => block.code.includes(key)).map((b) => b.name), key).toHaveLength(1)
    }
  })

  it('have the Next.js samples checked against examples/next by test/readme-next.test.ts', () => {
    expect(nextSamples).toHaveLength(5)
  })

  // Whole programs: a sample that uses a server, an app or the keys makes them itself.
  it.each(runnable.map(({ block }) => [block.name, block] as const))('%s imports what it uses', (_, block) => {
    expect(block.code).toMatch(/^(?:import |const \w+ = require\(|const \{[^}]+\} = require\()/m)
    if (/\bapp\./.test(block.code)) expect(block.code).toMatch(/\bconst app = /)
  })
})

describe('samples run as pasted, each alone in a file', () => {
  it.concurrent.for(runnable)('$name', async ({ block, request }, { expect }) => {
    const app = await launch(write(block, toJavaScript(block)))
    try {
      if (app.port === undefined) {
        expect(app.code, app.output()).toBe(0)
        return
      }
      const { method, path, body, output } = request
      const res = await fetch(`http://127.0.0.1:${app.port}${path}`, {
        method, body, redirect: 'manual', headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}
      })
      expect(res.status, `${method} ${path}: ${await res.text()}\n${app.output()}`).toBeLessThan(400)
      if (output) await expect.poll(app.output).toMatch(output)
      await app.stop()
      expect(app.output(), 'an error was thrown after the response').not.toMatch(/^ {4}at .+:\d+:\d+\)?$/m)
    } finally {
      await app.stop()
    }
  })

  it('type-check against the built declarations, TypeScript ones', async () => {
    const samples = runnable.filter(({ block }) => block.lang === 'ts')
    expect(samples.length).toBeGreaterThan(0)
    // A sample that declares SessionData changes the session type of its whole compilation: each
    // one is a program of its own, the others one program together.
    const declares = ({ block }: typeof samples[number]): boolean => /^declare (?:module 'signed-cookie-session|global)/m.test(block.code)
    const programs = [samples.filter((sample) => !declares(sample)), ...samples.filter(declares).map((sample) => [sample])]
    const outputs = await Promise.all(programs.map(async (program, i) => {
      const files = program.map(({ block }) => {
        const file = `${fileStem(block)}.mts`
        writeFileSync(join(dir, file), block.code)
        return file
      })
      const project = join(dir, `tsconfig.${i}.json`)
      writeFileSync(project, JSON.stringify({
        compilerOptions: { target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: ['node'] },
        files
      }))
      const result = await run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: root }).catch((err) => err)
      return `${result.stdout}${result.stderr}`
    }))
    expect(programs.length).toBeGreaterThan(1)
    expect(outputs.join('')).toBe('')
  })
})

describe('samples that need a server npm test has not got', () => {
  it.concurrent.for(storeSamples)('$name parses and loads its imports', async (block, { expect }) => {
    const reason = needsServer[keyOf(needsServer, block) ?? '']
    expect(reason).toBeTruthy()
    const code = toJavaScript(block)
    await run(process.execPath, ['--check', write(block, code)])
    const imports = code.split('\n').filter((line) => /^import .* from '|^const (?:\w+|\{[^}]*\}) = require\(/.test(line)).join('\n')
    const loaded = await launch(write(block, imports, '-imports'))
    expect(loaded.code, loaded.output()).toBe(0)
  })

  // They are compared byte for byte with examples/next, which test/next/ builds and runs.
  it.for(nextSamples)('$name (Next.js, see test/readme-next.test.ts) type-strips', (block) => {
    expect(toJavaScript(block)).not.toBe('')
  })
})

describe('commands in README.md and docs/', () => {
  it('name npm scripts, the package\'s bin and files that exist', () => {
    expect(commandProblems()).toEqual([])
  })
})
