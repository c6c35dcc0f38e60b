// koa-session's own test/cookie.test.ts, unchanged, against our Koa adapter on Koa 2 and on Koa 3
// (vitest.koa-session.config.mts maps only its imports: koa-session becomes our Koa entry). Every
// one of its tests must pass on both, none excused: the counts are asserted, so a test that starts
// failing, or stops running, fails this.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { KOA_SESSION_COOKIE_TESTS, KOA_SESSION_STORE_SUITES, koaSessionSuite } from '../helpers/koa-session-suite.js'

const root = join(import.meta.dirname, '..', '..')
const suite = koaSessionSuite(root)
const reports = mkdtempSync(join(tmpdir(), 'koa-session-suite-'))
afterAll(() => { rmSync(reports, { recursive: true, force: true }) })

interface Report { numTotalTests: number, numPassedTests: number, numFailedTests: number, numPendingTests: number, numTodoTests: number }

/** Runs the suite on Koa `major` in a vitest of its own; its JSON report. */
function run (path: string, major: '2' | '3'): { report: Report | undefined, output: string } {
  const outputFile = join(reports, `koa${major}-${path.slice(path.lastIndexOf('/') + 1)}.json`)
  const child = spawnSync(process.execPath, [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', '-c', 'vitest.koa-session.config.mts'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, KOA_SESSION_SUITE: path, KOA_MAJOR: major, KOA_SESSION_REPORT: outputFile, CI: 'true', NO_COLOR: '1' }
  })
  let report: Report | undefined
  try {
    report = JSON.parse(readFileSync(outputFile, 'utf8')) as Report
  } catch {}
  return { report, output: `${child.stdout}${child.stderr}` }
}

describe("koa-session's test/cookie.test.ts", () => {
  it.each(['2', '3'] as const)('passes whole on Koa %s', (major) => {
    if (typeof suite === 'string') throw new Error(`koa-session's suite cannot be run: ${suite}`)
    const { report, output } = run(suite.path, major)
    const counts = report && [report.numTotalTests, report.numPassedTests, report.numFailedTests, report.numPendingTests + report.numTodoTests]
    const total = suite.pinned ? KOA_SESSION_COOKIE_TESTS : report?.numTotalTests ?? 1
    expect(counts, output.slice(-4000)).toEqual([total, total, 0, 0])
    expect(total).toBeGreaterThan(0)
  }, 120_000)
})

describe("koa-session's store tests (test/store.test.ts and the others)", () => {
  it.each(Object.entries(KOA_SESSION_STORE_SUITES))('%s: as many pass as listed, on Koa 3', (file, expected) => {
    const found = koaSessionSuite(root, file)
    if (typeof found === 'string') throw new Error(`koa-session's suite cannot be run: ${found}`)
    const { report, output } = run(found.path, '3')
    expect(report?.numTotalTests, output.slice(-4000)).toBe(expected.tests)
    expect(report?.numPassedTests, output.slice(-4000)).toBeGreaterThanOrEqual(expected.passing)
  }, 120_000)
})
