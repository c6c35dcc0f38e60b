// Runs koa-session's own test file against our Koa adapter, unchanged (test/upstream/koa-session.test.ts
// starts it, once per Koa major, and asserts its counts from the JSON report at KOA_SESSION_REPORT).
// The file is not in this repository (it is koa-session's): KOA_SESSION_SUITE names it
// (test/helpers/koa-session-suite.ts finds it). Its imports are mapped, by
// this config only, to what it expects: `../src/index.js` (koa-session itself) to our shim
// (test/koa-session-suite/shim.ts: only the module shape changes), `@eggjs/supertest` to supertest,
// mocha's globals to vitest's; KOA_MAJOR=2 gives it Koa 2 (the `koa2` alias) instead of Koa 3.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const suite = process.env.KOA_SESSION_SUITE
const koa = process.env.KOA_MAJOR === '2' ? 'koa2' : 'koa'
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    alias: [
      { find: /^\.\.\/src\/index\.js$/, replacement: here('./test/koa-session-suite/shim.ts') },
      { find: /^@eggjs\/supertest$/, replacement: here('./test/koa-session-suite/supertest.ts') },
      { find: /^koa$/, replacement: koa }
    ]
  },
  test: {
    // An absolute path outside the repository: its folder is the root the include is matched in.
    dir: suite === undefined ? here('./test/koa-session-suite') : fileURLToPath(new URL('.', `file://${suite}`)),
    include: suite === undefined ? [] : [suite.slice(suite.lastIndexOf('/') + 1)],
    passWithNoTests: true,
    globals: true,
    setupFiles: [here('./test/koa-session-suite/mocha-globals.ts')],
    reporters: ['default', ['json', { outputFile: process.env.KOA_SESSION_REPORT ?? here(`./.vitest-koa-session-${koa}.json`) }]],
    testTimeout: 20_000
  }
})
