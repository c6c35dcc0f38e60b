import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    testTimeout: 20_000,
    // Type tests (expectTypeOf, @ts-expect-error) on the built declarations: tsc checks them, and
    // each `it` is reported like a runtime test. `npm test` turns them and coverage on
    // (--typecheck --coverage), so a suite's config that extends this one does not inherit either.
    typecheck: {
      include: ['test/types/**/*.test-d.ts'],
      tsconfig: './test/types/tsconfig.json'
    },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.{ts,mts}'],
      reporter: ['text-summary', 'html', 'json-summary'],
      // A little under what the suite measures; raise them when coverage rises.
      thresholds: { lines: 96, statements: 95, functions: 96, branches: 91 }
    }
  }
})
