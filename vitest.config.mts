import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real database servers: `npm run test:stores` (vitest.stores.config.mts).
    exclude: [...configDefaults.exclude, 'test/stores/**'],
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    testTimeout: 20_000
  }
})
