import { configDefaults, defineConfig } from 'vitest/config'

// The runtimes suite (.ci/suites/runtimes.sh): the Fetch entry on workerd, edge-runtime, Deno, Bun
// and Node, each a real process that global-setup.ts starts once; test/runtimes has its own install.
export default defineConfig({
  test: {
    include: ['test/runtimes/**/*.test.ts'],
    exclude: [...configDefaults.exclude],
    globalSetup: ['test/runtimes/global-setup.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-runtimes.json' }]],
    testTimeout: 20_000,
    hookTimeout: 120_000
  }
})
