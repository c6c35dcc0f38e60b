// The README as npm shows it: its links lead somewhere from the package page, and its API section
// has a heading for every export of every entry point (read from the built declarations).
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import ts from 'typescript'
import { beforeAll, describe, expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')
const run = promisify(execFile)

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string): string => heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')

/** The text of a section: from its heading to the next heading of the same or a higher level. */
function section (heading: string): string {
  const start = readme.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`no heading ${heading}`)
  const level = /^#+/.exec(heading)?.[0] ?? '#'
  const rest = readme.slice(start + heading.length + 2)
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'))
  return end < 0 ? rest : rest.slice(0, end)
}

/** The name each `#### \`...\`` heading in `text` documents: `cookieSession`, `session.save`, `SessionError`. */
function documented (text: string): string[] {
  return [...text.matchAll(/^#### `(?:class |type |interface )?([\w.]+)/gm)].map((m) => m[1] ?? '')
}

describe('links', () => {
  const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '')
  const anchors = new Set([...readme.matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] ?? '')))

  it('point into the README, or to an absolute https URL', () => {
    const relative = targets.filter((t) => !t.startsWith('#') && !t.startsWith('https://'))
    expect(relative, 'npm shows the README without the repository\'s files: link to the repository').toEqual([])
  })

  it('to a section find its heading', () => {
    const missing = targets.filter((t) => t.startsWith('#') && !anchors.has(t.slice(1)))
    expect(missing).toEqual([])
  })

  it('to the repository use the URL in package.json', () => {
    const { repository, homepage, bugs } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    const base = homepage.replace(/#readme$/, '')
    expect(repository.url).toBe(`git+${base}.git`)
    expect(bugs.url).toBe(`${base}/issues`)
    const github = targets.filter((t) => /^https:\/\/(?:github\.com|raw\.githubusercontent\.com)\//.test(t))
    expect(github.length).toBeGreaterThan(0)
    for (const url of github) expect(url.replace('raw.githubusercontent.com', 'github.com')).toMatch(new RegExp(`^${base}/`))
  })

  it('list every top-level section in Contents', () => {
    const contents = section('## Contents')
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1] ?? '').filter((h) => !['Contents', 'License'].includes(h))
    for (const heading of sections) expect(contents, heading).toContain(`(#${slug(heading)})`)
  })
})

describe('API section', () => {
  // The exports as TypeScript sees them in dist/ (`npm test` builds first).
  let exportsOf: (entry: string) => string[]
  let membersOf: (entry: string, type: string) => string[]
  beforeAll(() => {
    const files = ['index.d.mts', 'koa.d.ts', 'fetch.d.ts', 'fastify.d.ts'].map((f) => join(root, 'dist', f))
    const program = ts.createProgram(files, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ['node'], noEmit: true })
    const checker = program.getTypeChecker()
    const moduleOf = (entry: string): ts.Symbol => {
      const file = program.getSourceFile(join(root, 'dist', entry))
      const symbol = file && checker.getSymbolAtLocation(file)
      if (!symbol) throw new Error(`no module ${entry}`)
      return symbol
    }
    exportsOf = (entry) => checker.getExportsOfModule(moduleOf(entry)).map((s) => s.name).filter((name) => name !== 'default')
    membersOf = (entry, type) => {
      const symbol = checker.getExportsOfModule(moduleOf(entry)).find((s) => s.name === type)
      if (!symbol) throw new Error(`no export ${type} in ${entry}`)
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
      return checker.getDeclaredTypeOfSymbol(target).getProperties().map((p) => p.name)
    }
  })

  it.each([
    ['### `signed-cookie-session`', 'index.d.mts'],
    ['### `signed-cookie-session/koa`', 'koa.d.ts'],
    ['### `signed-cookie-session/fetch`', 'fetch.d.ts'],
    ['### `signed-cookie-session/fastify`', 'fastify.d.ts']
  ])('%s has a heading for every export', (heading, entry) => {
    const names = exportsOf(entry)
    expect(names.length).toBeGreaterThan(0)
    expect(documented(section(heading)).filter((n) => !n.includes('.')).sort()).toEqual([...names].sort())
  })

  it('has a heading for every property and method of Session, FetchSession, and what FastifySession and KoaSession add', () => {
    const api = section('## API')
    const sessionMembers = membersOf('index.d.mts', 'Session')
    const session = sessionMembers.map((name) => `session.${name}`)
    const scope = membersOf('fetch.d.ts', 'FetchSession').map((name) => `scope.${name}`)
    // Fastify's own methods, and regenerate, which takes a list of fields there.
    const fastify = membersOf('fastify.d.ts', 'FastifySession').filter((name) => !sessionMembers.includes(name) || name === 'regenerate')
      .map((name) => `request.session.${name}`)
    // koa-session's API, and its save and regenerate, which mean koa-session's there.
    const koa = membersOf('koa.d.ts', 'KoaSession').filter((name) => !sessionMembers.includes(name) || ['save', 'regenerate'].includes(name))
      .map((name) => `ctx.session.${name}`)
    expect(session).toContain('session.regenerate')
    expect(fastify.sort()).toEqual(['request.session.data', 'request.session.get', 'request.session.regenerate', 'request.session.set'])
    expect(koa).toContain('ctx.session.manuallyCommit')
    expect(documented(api).filter((n) => n.includes('.')).sort()).toEqual([...session, ...scope, ...fastify, ...koa].sort())
  })

  it('comes after TypeScript and before the differences from cookie-session', () => {
    const order = ['## TypeScript', '## API', '## Differences from cookie-session'].map((h) => readme.indexOf(`\n${h}\n`))
    expect(order.every((at) => at > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
  })
})

it('ships with the package, which holds dist/, LICENSE and package.json besides it', async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root })
  const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path)
  expect(files).toContain('README.md')
  expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'package.json'])
}, 30_000)
