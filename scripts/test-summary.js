// Prints "N passed, N failed" from vitest's JSON report: the closing line CI reads.
// A run that failed before vitest wrote its report (type errors, build) counts as one failure.
const { existsSync, readFileSync } = require('node:fs')
const [file = '.vitest-report.json', status = '0'] = process.argv.slice(2)
if (!existsSync(file)) {
  console.log(`no test report (npm test exited ${status} before vitest ran)`)
  console.log('0 passed, 1 failed')
  process.exit(0)
}
const report = JSON.parse(readFileSync(file, 'utf8'))
const failed = report.numFailedTests + (status !== '0' && report.numFailedTests === 0 ? 1 : 0)
console.log(`${report.numPassedTests} passed, ${failed} failed`)
