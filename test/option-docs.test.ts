// Each option is described once, in src/options/table.ts: the options tables in README.md and in the
// guides of docs/ are that table as `npm run docs` writes it, and the JSDoc of every option in the
// options types says the same text with the same default (so the API reference generated from it agrees too).
import { readdirSync, readFileSync } from 'node:fs'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { KOA_OPTION_NAMES, OPTION_NAMES } from '../src/options/names.js'
import { markdownTable, OPTIONS, plainText } from '../src/options/table.js'

const read = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8')

/** The public types that declare the options (the internal Settings has members of the same names). */
const OPTION_TYPES = new Set(['CookieOptions', 'SessionOptions', 'LargeSessionOptions', 'SecurityOptions', 'BaseOptions', 'KoaOptions', 'ExpressSessionOptions'])

/** Where each table's options are declared: the Koa adapter's (koa-session's names and meanings) apart. */
const DECLARED_IN = {
  options: ['../src/options/cookie.ts', '../src/options/settings.ts', '../src/options/express-session.ts'],
  security: ['../src/options/cookie.ts', '../src/options/settings.ts', '../src/options/express-session.ts'],
  koa: ['../src/adapters/koa-options.ts']
} as const

/** Every member of the options types in `files`, by name: its JSDoc text and @default. */
function documentedMembers (files: readonly string[]): Map<string, { text: string, default: string | undefined }> {
  const members = new Map<string, { text: string, default: string | undefined }>()
  for (const file of files) {
    const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.ES2022, true)
    const visit = (node: ts.Node): void => {
      if (ts.isInterfaceDeclaration(node) && OPTION_TYPES.has(node.name.text)) {
        for (const member of node.members) {
          if (!ts.isPropertySignature(member) || !ts.isIdentifier(member.name)) continue
          const doc = ts.getJSDocCommentsAndTags(member).find(ts.isJSDoc)
          const text = ts.getTextOfJSDocComment(doc?.comment) ?? ''
          const tag = doc?.tags?.find((t) => t.tagName.text === 'default')
          members.set(member.name.text, { text: text.replace(/\s+/g, ' ').trim(), default: tag === undefined ? undefined : ts.getTextOfJSDocComment(tag.comment)?.trim() })
        }
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return members
}

// README.md and the guides in docs/ (not docs/api): where scripts/docs.js writes the tables.
const documents = ['README.md', ...readdirSync(new URL('../docs', import.meta.url)).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)]

/** Every `<!-- name -->` ... `<!-- /name -->` options region: its file, its name and its text. */
const regions = documents.flatMap((file) => [...read(`../${file}`).matchAll(/<!-- ((?:[\w-]+-)?options) -->\n([\s\S]*?)\n<!-- \/\1 -->/g)]
  .map((m) => ({ file, name: m[1] ?? '', text: m[2] ?? '' })))

describe('the options tables in README.md and docs/', () => {
  it('show each table once, the main one in the README', () => {
    const tables = [...new Set(OPTIONS.map((option) => option.table))]
    expect(regions.map((r) => r.name).sort()).toEqual(tables.map((table) => table === 'options' ? 'options' : `${table}-options`).sort())
    expect(regions.find((r) => r.name === 'options')?.file).toBe('README.md')
  })

  it.each(regions.map((r) => [`${r.file} ${r.name}`, r] as const))('%s is the table npm run docs writes', (_, r) => {
    expect(r.text).toBe(markdownTable(r.name === 'options' ? 'options' : r.name.replace(/-options$/, '') as typeof OPTIONS[number]['table']))
  })
})

it('lists the same options, in the same order, as the names the code checks (names.ts)', () => {
  expect(OPTIONS.filter((option) => option.table !== 'koa').map((option) => option.name)).toEqual(OPTION_NAMES)
  expect(OPTIONS.filter((option) => option.table === 'koa').map((option) => option.name)).toEqual(KOA_OPTION_NAMES)
})

describe.each(['options', 'koa'] as const)('the JSDoc of each option (%s)', (kind) => {
  const members = documentedMembers(DECLARED_IN[kind])
  const rows = OPTIONS.filter((option) => (option.table === 'koa') === (kind === 'koa'))

  it.each(rows.map((option) => [option.name, option] as const))('%s says what the table says, with its default', (name, option) => {
    const member = members.get(name)
    expect(member, `an options type declares ${name}`).toBeDefined()
    expect(member?.text).toBe(plainText(option.doc))
    expect(member?.default).toBe(option.default === '—' ? undefined : option.default.replaceAll('`', ''))
  })

  it('declares no option the table lacks', () => {
    const names = new Set(rows.map((option) => option.name))
    expect([...members.keys()].filter((name) => !names.has(name))).toEqual([])
  })
})
