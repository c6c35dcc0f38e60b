import { defineConfig } from 'vitest/config'

// `npm run test:rollout`: a key rotation rolled across three app processes behind a proxy, under load.
export default defineConfig({
  test: {
    include: ['test/rollout/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-rollout.json' }]],
    testTimeout: 60_000,
    hookTimeout: 30_000
  }
})
