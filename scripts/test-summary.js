// Prints "N passed, N failed", the closing line CI reads, summed over every vitest JSON report
// (.vitest-report.json from `npm test`, .vitest-<suite>.json from each suite in .ci/suites/).
// A run that exited non-zero without failing a test (type errors, build, lint, a suite that could
// not start) counts as one failure. Its status is in .ci-status-<name>, written by .ci/run.
const { existsSync, readFileSync, readdirSync } = require('node:fs')
let passed = 0
let failed = 0
const statusOf = (name) => existsSync(`.ci-status-${name}`) ? readFileSync(`.ci-status-${name}`, 'utf8').trim() : '0'
const runs = readdirSync('.').filter((f) => f.startsWith('.ci-status-')).map((f) => f.slice('.ci-status-'.length))
if (!runs.includes('report')) runs.unshift('report')
for (const name of runs) {
  const file = `.vitest-${name}.json`
  const status = statusOf(name)
  if (!existsSync(file)) {
    console.log(`${name}: no test report (exited ${status} before vitest ran)`)
    failed += 1
    continue
  }
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests
  failed += report.numFailedTests + (status !== '0' && report.numFailedTests === 0 ? 1 : 0)
}
console.log(`${passed} passed, ${failed} failed`)
