import { defineConfig } from 'vitest/config'

// `npm run test:express-session`: express-session's own test/session.js against store mode
// (test/express-session-suite/), from a git clone of express-session (EXPRESS_SESSION_GIT): npm's
// package of it leaves its tests out, and a clean clone (CI) reaches no git host, so `npm test` does
// not run it; CI runs it from .ci/suites/upstream.sh where a clone is found (EXPRESS_SESSION_GIT, by
// default this workplace's mirror), like `npm run test:upstream`.
export default defineConfig({
  test: {
    include: ['test/express-session-suite/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-express-session.json' }]],
    testTimeout: 60_000,
    hookTimeout: 600_000
  }
})
