// The README's two options tables list exactly the options in src/options/table.ts, in the table
// each belongs to, with the same defaults.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { OPTIONS, type OptionInfo } from '../src/options/table.js'

const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8')

/** The [name, default] rows of the options tables in the README's Options section, in order. */
function readmeTables (): Array<Array<[string, string]>> {
  const start = README.indexOf('\n## Options\n')
  const end = README.indexOf('\n## ', start + 1)
  expect(start).toBeGreaterThan(-1)
  const tables: Array<Array<[string, string]>> = []
  let current: Array<[string, string]> | undefined
  for (const line of README.slice(start, end).split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined
      continue
    }
    if (line.startsWith('| option |')) {
      tables.push(current = [])
      continue
    }
    const cells = line.split(' | ').map((cell) => cell.replace(/^\| ?/, '').trim())
    const name = /^`(\w+)`$/.exec(cells[0] ?? '')?.[1]
    if (current !== undefined && name !== undefined) current.push([name, cells[1] ?? ''])
  }
  return tables
}

/** The README writes a default as code (`'/'`, `false`) or as words (none, a warning). */
function asWritten (option: OptionInfo): string[] {
  return [option.default, '`' + option.default + '`']
}

describe('the README\'s options tables', () => {
  const tables = readmeTables()

  it('are two: the options, then the security options', () => {
    expect(tables).toHaveLength(2)
  })

  it.each([['options', 0], ['security', 1]] as const)('list the options with table: "%s" in src/options/table.ts, with their defaults', (table, index) => {
    const expected = OPTIONS.filter((option) => option.table === table)
    const rows = tables[index] ?? []
    expect(rows.map(([name]) => name)).toEqual(expected.map((option) => option.name))
    for (const [name, defaultText] of rows) {
      const option = expected.find((o) => o.name === name) as OptionInfo
      expect(asWritten(option), `default of ${name}`).toContain(defaultText)
    }
  })
})
