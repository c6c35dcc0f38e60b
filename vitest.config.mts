import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // test/next/ builds a Next.js app: its own suite, npm run test:next (.ci/suites/next.sh).
    exclude: [...configDefaults.exclude, 'test/next/**'],
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    testTimeout: 20_000
  }
})
