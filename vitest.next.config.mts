import { defineConfig } from 'vitest/config'

// The Next.js suite (.ci/suites/next.sh): builds and serves examples/next, so it runs apart from npm test.
export default defineConfig({
  test: {
    include: ['test/next/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-next.json' }]],
    testTimeout: 30_000,
    hookTimeout: 240_000
  }
})
