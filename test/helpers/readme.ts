// The README's fenced code blocks, for the tests that check them.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './processes.js'

export const readme = readFileSync(join(root, 'README.md'), 'utf8')

export interface CodeBlock {
  /** The language tag after the opening fence ('' for none). */
  lang: string
  code: string
  /** Where the opening fence is: a character offset, and a line number (from 1). */
  offset: number
  line: number
  /** For test names: `js, README.md:15 (## Koa)`, after the nearest heading above it. */
  name: string
}

export const codeBlocks: CodeBlock[] = [...readme.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => {
  const before = readme.slice(0, match.index)
  const line = before.split('\n').length
  const heading = [...before.matchAll(/^#+ .+$/gm)].at(-1)?.[0] ?? 'top'
  const lang = match[1] ?? ''
  return { lang, code: match[2] ?? '', offset: match.index, line, name: `${lang || 'text'}, README.md:${line} (${heading})` }
})
