// The README's options tables list every option of src/options/table.ts, with its default.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { OPTIONS } from '../src/options/table.js'

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8')
const section = readme.slice(readme.indexOf('\n## Options\n'), readme.indexOf('\n## `req.session`\n'))
const rows = new Map([...section.matchAll(/^\| `(\w+)` \| ([^|]+) \|/gm)].map((m) => [m[1], (m[2] as string).trim()]))

describe('the README options tables', () => {
  it.each(OPTIONS.map((option) => [option.name, option.default]))('list %s with its default %s', (name, defaultText) => {
    // Compared without the code formatting, which the README adds to literal values.
    expect(rows.get(name)?.replaceAll('`', '')).toBe(defaultText.replaceAll('`', ''))
  })

  it('list nothing that is not an option', () => {
    expect([...rows.keys()].sort()).toEqual(OPTIONS.map((option) => option.name).sort())
  })
})
