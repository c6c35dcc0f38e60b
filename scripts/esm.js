// Marks dist/esm/ as ES modules, so Node and TypeScript read its .js and .d.ts files as such.
const { writeFileSync } = require('node:fs')
const { join } = require('node:path')
writeFileSync(join(__dirname, '..', 'dist', 'esm', 'package.json'), JSON.stringify({ type: 'module', sideEffects: false }, null, 2) + '\n')
