import { defineConfig } from 'vitest/config'

// `npm run test:browser`: the example apps in Debian's Chromium (.ci/suites/browser.sh installs it).
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: '.vitest-browser.json' }]],
    // One Chromium at a time: CI has two cores.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 30_000
  }
})
