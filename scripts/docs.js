'use strict'
// `npm run docs`: writes the parts of the documentation that are generated from the code — the
// README's options tables, from src/options/table.ts (through the build in dist/). A test fails
// when the committed README differs from what this writes.
const fs = require('node:fs')
const path = require('node:path')
const { markdownTable } = require('../dist/options/table.js')

const README = path.join(__dirname, '..', 'README.md')

/** `text` with the region between `<!-- name -->` and `<!-- /name -->` replaced by `body`. */
function replaceRegion (text, name, body) {
  const open = `<!-- ${name} -->`
  const close = `<!-- /${name} -->`
  const start = text.indexOf(open)
  const end = text.indexOf(close)
  if (start === -1 || end < start) throw new Error(`README.md has no ${open} ... ${close} region`)
  return text.slice(0, start + open.length) + '\n' + body + '\n' + text.slice(end)
}

let readme = fs.readFileSync(README, 'utf8')
readme = replaceRegion(readme, 'options', markdownTable('options'))
readme = replaceRegion(readme, 'security-options', markdownTable('security'))
readme = replaceRegion(readme, 'koa-options', markdownTable('koa'))
readme = replaceRegion(readme, 'express-session-options', markdownTable('express-session'))
fs.writeFileSync(README, readme)
console.log('docs: README.md options tables written from src/options/table.ts')
