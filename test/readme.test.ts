// The README as npm shows it: one screenful that links to the guides in docs/, links that lead
// somewhere from the package page, and an API section pointing to the reference generated from the
// code (docs/api). The guides: each starts with an example, and their links lead somewhere too.
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join, normalize } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

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
  it('points to the generated reference, which has a page for every entry', () => {
    expect(section('## API')).toContain('docs/api')
    for (const page of ['index/index.md', 'koa.md', 'fetch.md', 'fastify.md', 'next.md']) {
      expect(existsSync(join(root, 'docs/api', page)), page).toBe(true)
    }
  })
})

it('ships with the package, which holds dist/, LICENSE and package.json besides it', async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root })
  const files: string[] = JSON.parse(stdout)[0].files.map((f: { path: string }) => f.path)
  expect(files).toContain('README.md')
  expect(files.filter((f) => !f.startsWith('dist/')).sort()).toEqual(['LICENSE', 'README.md', 'package.json'])
}, 30_000)

it('fits a screen: at most 300 lines', () => {
  expect(readme.split('\n').length).toBeLessThanOrEqual(300)
})

it('gives the two set-up commands first', () => {
  expect(/^```sh\n([\s\S]*?)^```$/m.exec(readme)?.[1]?.split('\n').filter(Boolean).map((line) => line.replace(/\s+#.*$/, ''))).toEqual(['npm ci && npm start', 'npm ci && npm test'])
})

const { homepage } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const blob = `${homepage.replace(/#readme$/, '')}/blob/main/`
const guides = readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort()
const text = (file: string): string => readFileSync(join(root, file), 'utf8')
const anchorsOf = (file: string): Set<string> => new Set([...text(file).matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] ?? '')))

describe('guides in docs/', () => {
  it('are each linked from the README', () => {
    for (const guide of guides) expect(readme, guide).toContain(`(${blob}docs/${guide}`)
  })

  it.each(guides)('%s starts with an example: its first block comes before its second heading', (guide) => {
    const body = text(`docs/${guide}`)
    const first = /^```(\w*)$/m.exec(body)
    const secondHeading = [...body.matchAll(/^#+ /gm)][1]?.index ?? body.length
    expect(first?.[1]).toMatch(/^(?:js|ts|sh)$/)
    expect(first?.index).toBeLessThan(secondHeading)
  })

  // Relative links (GitHub shows the guides in the repository) and the README's absolute links into
  // the repository: the file exists, and a #fragment names a heading in it.
  const links = [
    ...guides.flatMap((guide) => [...text(`docs/${guide}`).matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] ?? '').filter((target) => !/^https?:/.test(target))
      .map((target) => [`docs/${guide}`, target, target.startsWith('#') ? `docs/${guide}${target}` : normalize(join('docs', target))] as const)),
    ...[...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1] ?? '').filter((target) => target.startsWith(blob))
      .map((target) => ['README.md', target, target.slice(blob.length)] as const)
  ]
  it.each(links)('%s links to %s, which exists', (_, __, resolved) => {
    const [file = '', fragment] = resolved.split('#')
    expect(existsSync(join(root, file)), file).toBe(true)
    if (fragment !== undefined) expect([...anchorsOf(file)], `#${fragment} in ${file}`).toContain(fragment)
  })
})
