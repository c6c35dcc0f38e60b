import { defineConfig } from 'vitest/config'

// `npm run test:upstream`: other libraries' own test files run unchanged against ours (koa-session's
// test/cookie.test.ts). Their files are theirs, so they are not in this repository, and npm's
// packages of them leave their tests out: each is read from a git clone of that library
// (test/helpers/koa-session-suite.ts says where it looks and how to point it elsewhere). Neither
// `npm test` nor CI runs it, because a clean clone has no such clone; without one it fails and says
// what to set.
export default defineConfig({
  test: {
    include: ['test/upstream/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-upstream.json' }]],
    testTimeout: 120_000
  }
})
