import { defineConfig } from 'vitest/config'

// `npm run test:upstream`: other libraries' own test files run unchanged against ours (koa-session's
// test/cookie.test.ts). Their files are theirs, so they are not in this repository, and npm's
// packages of them leave their tests out: each is read from a git clone of that library
// (test/helpers/koa-session-suite.ts says where it looks and how to point it elsewhere). `npm test`
// does not run it; CI runs it from .ci/suites/upstream.sh where a clone is found (and says so where
// none is); run alone without one, it fails and says what to set.
export default defineConfig({
  test: {
    include: ['test/upstream/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-upstream-koa.json' }]],
    testTimeout: 120_000
  }
})
