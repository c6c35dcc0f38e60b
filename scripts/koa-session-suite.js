'use strict'
// `npm run test:koa-session`: koa-session's own test file, unchanged, against our Koa adapter on
// Koa 2 and on Koa 3 (vitest.koa-session.config.mts says how). The file is koa-session's, so it is
// not in this repository: set KOA_SESSION_SUITE to its path. Without it, this says so and runs nothing.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')

const suite = process.env.KOA_SESSION_SUITE
if (!suite) {
  console.log('test:koa-session: skipped, KOA_SESSION_SUITE is not set. Set it to the path of koa-session\'s ' +
    'test/cookie.test.ts (github.com/koajs/session, v7) to run that file, unchanged, against koaSession on Koa 2 and Koa 3. ' +
    'test/koa-session-compat.test.ts checks the same behaviours in our own words on every `npm test`.')
  process.exit(0)
}
if (!fs.existsSync(suite)) {
  console.error(`test:koa-session: KOA_SESSION_SUITE names ${suite}, which does not exist`)
  process.exit(2)
}

const root = path.join(__dirname, '..')
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs')
let failed = false
for (const major of ['2', '3']) {
  console.log(`\ntest:koa-session: ${path.basename(suite)} on Koa ${major}`)
  const run = spawnSync(process.execPath, [vitest, 'run', '-c', 'vitest.koa-session.config.mts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KOA_SESSION_SUITE: path.resolve(suite), KOA_MAJOR: major }
  })
  if (run.status !== 0) failed = true
}
process.exit(failed ? 1 : 0)
