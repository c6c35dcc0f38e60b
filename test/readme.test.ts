// The README as npm shows it: its links lead somewhere from the package page, and its API section
// points to the reference generated from the code (docs/api).
import { execFile } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
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

/** The name each `#### \`...\`` heading in `text` documents: `cookieSession`, `session.save`, `SessionError`. */
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
