// The API reference in docs/api/ is generated from the JSDoc of the public types (`npm run docs`,
// TypeDoc with its markdown plugin), never written by hand: this fails when the committed reference
// is not what the code generates now.
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..')
const out = mkdtempSync(join(tmpdir(), 'api-docs-'))
afterAll(() => { rmSync(out, { recursive: true, force: true }) })

/** Every file under `dir`, by its path relative to `dir`, with its text. */
function files (dir: string): Record<string, string> {
  const found: Record<string, string> = {}
  const walk = (at: string): void => {
    for (const name of readdirSync(at)) {
      const path = join(at, name)
      if (statSync(path).isDirectory()) walk(path)
      else found[relative(dir, path)] = readFileSync(path, 'utf8')
    }
  }
  walk(dir)
  return found
}

it('docs/api is what `npm run docs` generates from the code', async () => {
  await promisify(execFile)(process.execPath, [join(root, 'node_modules/typedoc/bin/typedoc'), '--out', out, '--logLevel', 'Error'], { cwd: root })
  const generated = files(out)
  expect(Object.keys(generated).length).toBeGreaterThan(3)
  expect(files(join(root, 'docs/api')), 'run `npm run docs` and commit docs/api').toEqual(generated)
}, 120_000)
