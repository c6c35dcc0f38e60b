// The documentation's fenced code blocks, for the tests that check them: the README and every guide
// in docs/ (not docs/api, which TypeDoc generates from the code).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './processes.js'

/** A Markdown file of the documentation: its path from the repository root, and its text. */
export interface Document { file: string, text: string }

export const documents: Document[] = ['README.md', ...readdirSync(join(root, 'docs')).filter((name) => name.endsWith('.md')).sort().map((name) => `docs/${name}`)]
  .map((file) => ({ file, text: readFileSync(join(root, file), 'utf8') }))

export const readme = documents[0]?.text ?? ''

export interface CodeBlock {
  /** The file it is in, from the repository root. */
  file: string
  /** The language tag after the opening fence ('' for none). */
  lang: string
  code: string
  /** Where the opening fence is: a character offset in its file, and a line number (from 1). */
  offset: number
  line: number
  /** The nearest heading above it: `## Next.js`. */
  heading: string
  /** For test names: `js, docs/koa.md:3 (# Koa)`. */
  name: string
}

export const codeBlocks: CodeBlock[] = documents.flatMap(({ file, text }) => [...text.matchAll(/^```(\w*)\n([\s\S]*?)^```$/gm)].map((match) => {
  const before = text.slice(0, match.index)
  const line = before.split('\n').length
  const heading = [...before.matchAll(/^#+ .+$/gm)].at(-1)?.[0] ?? 'top'
  const lang = match[1] ?? ''
  return { file, lang, code: match[2] ?? '', offset: match.index, line, heading, name: `${lang || 'untagged'}, ${file}:${line} (${heading})` }
}))
