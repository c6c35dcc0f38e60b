import { defineConfig } from 'vitest/config'

// The store tests (`npm run test:stores`): real MariaDB and Redis servers, started by the tests.
// `npm test` does not run them; CI runs them from .ci/suites/stores.sh.
export default defineConfig({
  test: {
    include: ['test/stores/**/*.test.ts'],
    globalSetup: ['test/stores/preflight.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-stores.json' }]],
    testTimeout: 30_000,
    hookTimeout: 60_000
  }
})
