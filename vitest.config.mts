import { configDefaults, defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Suites with their own config and Debian packages (browsers, Next.js, database servers, nginx)
    // run from .ci/suites/, not in `npm test`.
    exclude: [...configDefaults.exclude, 'test/next/**', 'test/browser/**', 'test/rollout/**', 'test/stores/**', 'test/runtimes/**', 'test/nginx/**', 'test/upstream/**', 'test/express-session-suite/**'],
    // Says which of those suites this machine can run, and how to install what the others need.
    globalSetup: ['test/helpers/other-suites.ts'],
    // The JSON report is what .ci/run counts; the default reporter is for people.
    reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    testTimeout: 20_000,
    // Most tests use short keys on purpose (readable, and the same cookies cookie-session makes):
    // the weak-key warning each test file would print once is left out of the output.
    // test/weak-keys.test.ts sees it all the same, by spying on process.emitWarning. (Node 20.11
    // and later know the flag; an older Node would refuse to start with it.)
    execArgv: process.allowedNodeEnvironmentFlags.has('--disable-warning') ? ['--disable-warning=ERR_SESSION_WEAK_KEY'] : [],
    // Type tests (expectTypeOf, @ts-expect-error) on the built declarations: tsc checks them, and
    // each `it` is reported like a runtime test. `npm test` turns them and coverage on
    // (--typecheck --coverage), so a suite's config that extends this one does not inherit either.
    typecheck: {
      include: ['test/types/*.test-d.ts'],
      tsconfig: './test/types/tsconfig.json'
    },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.{ts,mts}'],
      // The command line is tested by running the built binary in child processes (test/cli*.test.ts),
      // which this in-process measurement cannot see. The Redis and MySQL store drivers need their
      // servers: they are tested against real ones by `npm run test:stores` (test/stores/drivers.test.ts).
      exclude: ['src/cli/**', 'src/store/redis.ts', 'src/store/mysql.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      // A little under what the suite measures; raise them when coverage rises.
      thresholds: { lines: 95, statements: 93, functions: 95, branches: 89 }
    }
  }
})
