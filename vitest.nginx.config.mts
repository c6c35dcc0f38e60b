import { defineConfig } from 'vitest/config'

// `npm run test:nginx`: the app behind Debian's nginx with proxy_cache, started by the tests.
// `npm test` does not run it; CI runs it from .ci/suites/nginx.sh.
export default defineConfig({
  test: {
    include: ['test/nginx/**/*.test.ts'],
    globalSetup: ['test/nginx/preflight.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-nginx.json' }]],
    testTimeout: 120_000,
    hookTimeout: 30_000
  }
})
