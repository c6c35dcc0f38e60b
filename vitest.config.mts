import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites with their own config and Debian packages (browsers, Next.js, database servers) run
    // from .ci/suites/, not in `npm test`.
    exclude: [...configDefaults.exclude, 'test/next/**', 'test/browser/**', 'test/rollout/**', 'test/stores/**'],
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    testTimeout: 20_000
  }
})
