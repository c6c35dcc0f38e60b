// express-session's own test/session.js, run unchanged against store mode through index.js (the
// module shape only). The test file is express-session's, not this repository's: it is checked out
// at its tag into a temporary folder, with its dev dependencies, and run with its own mocha command.
// Where from: EXPRESS_SESSION_GIT (a git repository, a path or a URL; GitHub's by default).
// `npm test` does not run it (it installs packages); CI runs it from .ci/suites/upstream.sh where a clone is found.
import { execFile } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const root = join(import.meta.dirname, '..', '..')
const TAG = 'v1.19.0'
const SOURCE = process.env.EXPRESS_SESSION_GIT ?? 'https://github.com/expressjs/session.git'
/** Tests in test/session.js at TAG. */
const TOTAL = 142
/** What passes today: fewer is a regression. */
const PASSING = 125
/**
 * The tests that fail, each a deliberate difference docs/from-express-session.md lists
 * with its reason; a test failing that is not here is a regression.
 */
const DIFFERENCES = [
  'should error without secret',
  'should get secret from req.secret',
  'should forward errors setting cookie',
  'should pass session fetch error',
  'should pass session save error',
  'should error when res.end is called twice',
  'should pass session touch error',
  'should allow destroy on req.session = null',
  'should equal original maxAge for all requests',
  'should respond correctly on destroy',
  'should pass session destroy error',
  'should pass error from inflate',
  'should not save with bogus req.sessionID',
  'should set SameSite=None without Secure when secure',
  'should set partitioned attribute',
  'should read from req.signedCookies',
  'should reject empty arrays'
]

interface MochaTest { readonly title: string, readonly fullTitle: string }
interface MochaReport {
  readonly stats: { readonly tests: number, readonly passes: number, readonly failures: number }
  readonly failures: readonly MochaTest[]
}

const dir = mkdtempSync(join(tmpdir(), 'express-session-suite-'))
let report: MochaReport

beforeAll(async () => {
  const checkout = join(dir, 'session')
  await run('git', ['clone', '--quiet', '--depth', '1', '--branch', TAG, SOURCE, checkout])
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--ignore-scripts'], { cwd: checkout })
  // The shim in place of express-session's index.js, and this repository (built) as signed-cookie-session.
  copyFileSync(join(import.meta.dirname, 'index.js'), join(checkout, 'index.js'))
  symlinkSync(root, join(checkout, 'node_modules', 'signed-cookie-session'), 'dir')
  mkdirSync(join(checkout, 'test', 'fixtures'), { recursive: true })
  await run('sh', ['test/support/gencert.sh'], { cwd: checkout })
  const output = join(dir, 'report.json')
  // express-session's own mocha command (its package.json's test script), on test/session.js alone,
  // but with --exit for its --no-exit: run as a child, mocha stays up after the report otherwise.
  await run(process.execPath, [join(checkout, 'node_modules', 'mocha', 'bin', 'mocha.js'), '--require', 'test/support/env',
    '--check-leaks', '--exit', '--reporter', 'json', '--reporter-option', `output=${output}`, 'test/session.js'],
  { cwd: checkout, maxBuffer: 64 * 1024 * 1024 }).catch((err: { code?: unknown }) => {
    // mocha exits with the number of failures; anything else is the run failing.
    if (typeof err.code !== 'number') throw err
  })
  report = JSON.parse(readFileSync(output, 'utf8')) as MochaReport
}, 600_000)

afterAll(() => { rmSync(dir, { recursive: true, force: true }) })

describe(`express-session ${TAG} test/session.js`, () => {
  it(`has ${TOTAL} tests`, () => {
    expect(report.stats.tests).toBe(TOTAL)
  })

  it(`passes at least ${PASSING} of them`, () => {
    expect(report.stats.passes).toBeGreaterThanOrEqual(PASSING)
  })

  it('fails only where docs/from-express-session.md lists a deliberate difference', () => {
    expect(report.failures.map((test) => test.fullTitle).filter((title) => !DIFFERENCES.some((name) => title.endsWith(name)))).toEqual([])
    const readme = readFileSync(join(root, 'docs', 'from-express-session.md'), 'utf8')
    for (const name of DIFFERENCES) expect(readme.replace(/\s+/g, ' '), name).toContain(`"${name}"`)
  })
})
