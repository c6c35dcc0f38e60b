'use strict'
// `npm run docs`: writes the parts of the documentation that are generated from the code — the
// options tables, from src/options/table.ts (through the build in dist/), wherever README.md or a
// guide in docs/ has a `<!-- name -->` ... `<!-- /name -->` region for one (`options` for the main
// table, `<table>-options` for another: `security-options`). A test fails when a committed table
// differs from what this writes.
const fs = require('node:fs')
const path = require('node:path')
const { markdownTable } = require('../dist/options/table.js')

const ROOT = path.join(__dirname, '..')

/** The Markdown files that may hold a table: the README and the guides (not docs/api, generated). */
function documents () {
  const docs = fs.readdirSync(path.join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)
  return ['README.md', ...docs.sort()]
}

/** The table a region shows: `options` for `options`, `security` for `security-options`, ... */
const tableOf = (region) => region === 'options' ? 'options' : region.replace(/-options$/, '')

const REGION = /(<!-- ((?:[\w-]+-)?options) -->\n)[\s\S]*?(\n<!-- \/\2 -->)/g

const written = []
for (const file of documents()) {
  const full = path.join(ROOT, file)
  const text = fs.readFileSync(full, 'utf8')
  const next = text.replace(REGION, (_, open, region, close) => {
    written.push(`${file} (${region})`)
    return open + markdownTable(tableOf(region)) + close
  })
  if (next !== text) fs.writeFileSync(full, next)
}
if (written.length === 0) throw new Error('docs: no <!-- options --> region in README.md or docs/')
console.log(`docs: options tables written from src/options/table.ts into ${written.join(', ')}`)
