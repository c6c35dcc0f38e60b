import { defineConfig } from 'vitest/config'

// `npm run test:express-session`: express-session's own test/session.js against store mode
// (test/express-session-suite/). `npm test` does not run it; CI runs it from .ci/suites/express-session.sh.
export default defineConfig({
  test: {
    include: ['test/express-session-suite/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-express-session.json' }]],
    testTimeout: 60_000,
    hookTimeout: 600_000
  }
})
