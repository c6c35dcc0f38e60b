// The Next.js section of docs/fetch.md shows files of examples/next; test/next/ builds and runs that
// app, so the section is checked by comparing each sample with the file it names, byte for byte.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const guide = readFileSync(join(root, 'docs/fetch.md'), 'utf8')
const section = /\n## Next\.js\n([\s\S]*?)(?:\n## |$)/.exec(guide)?.[1] ?? ''

/** Each "`path`:" (or "`path` (what it is):") line followed by a fenced code block: [path, code]. */
const samples = [...section.matchAll(/^`([^`\n]+)`(?: \([^)\n]*\))?:\n\n```[a-z]*\n([\s\S]*?)^```$/gm)].map((m) => [m[1] ?? '', m[2] ?? ''] as const)

it('shows the example app\'s files in the Next.js section of docs/fetch.md: its options, and the four places that use them', () => {
  expect(samples.map(([path]) => path)).toEqual(['lib/session.ts', 'app/actions.ts', 'app/page.tsx', 'app/api/session/route.ts', 'proxy.ts'])
  expect(section.match(/^```(?:ts|tsx|js)$/gm)).toHaveLength(samples.length) // no code sample that names no file
})

it.each(samples)('shows examples/next/%s as it is', (path, code) => {
  expect(code).toBe(readFileSync(join(root, 'examples/next', path), 'utf8'))
})
