// Where koa-session's own test/cookie.test.ts comes from, for running it against our Koa adapter
// (test/upstream/koa-session.test.ts, `npm run test:upstream`). The file is koa-session's, so it
// is not in this repository: KOA_SESSION_SUITE names a copy of it; otherwise it is read, at the
// commit of koa-session 7.0.2, out of a git repository of koa-session (KOA_SESSION_REPO, by default
// the workplace's mirror of it), into .koa-session-suite/ (ignored by git).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** koa-session 7.0.2 (github.com/koajs/session, tag v7.0.2). */
export const KOA_SESSION_COMMIT = '36beadadf9db645ae5a0c8544544e4e6cfb203cc'
/** The tests in its test/cookie.test.ts at that commit: every one must pass. */
export const KOA_SESSION_COOKIE_TESTS = 43

/**
 * Its store tests at that commit (the files beside them that they import are read too): how many
 * tests each has, and how many pass against our Koa adapter. Those that do not are listed, with why,
 * in docs/from-koa-session.md.
 */
export const KOA_SESSION_STORE_SUITES = {
  'store.test.ts': { tests: 37, passing: 32 },
  'contextstore.test.ts': { tests: 33, passing: 27 },
  'store_with_ctx.test.ts': { tests: 4, passing: 4 },
  'externalkey.test.ts': { tests: 2, passing: 1 }
} as const
const HELPERS = ['store.ts', 'store_with_ctx.ts', 'context_store.ts']
const DEFAULT_REPO = '/work/.mirror/koajs+session/repo'

export interface SuiteFile {
  path: string
  /** The file is the pinned commit's (its test count is known). */
  pinned: boolean
}

/** The suite file, or a sentence saying why there is none. */
export function koaSessionSuite (root: string, file = 'cookie.test.ts'): SuiteFile | string {
  const given = process.env.KOA_SESSION_SUITE
  if (given) return existsSync(given) ? { path: given, pinned: false } : `KOA_SESSION_SUITE names ${given}, which does not exist`
  const repo = process.env.KOA_SESSION_REPO ?? DEFAULT_REPO
  let text: string
  try {
    text = execFileSync('git', ['--git-dir', repo, 'show', `${KOA_SESSION_COMMIT}:test/${file}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    for (const helper of file === 'cookie.test.ts' ? [] : HELPERS) {
      const helperText = execFileSync('git', ['--git-dir', repo, 'show', `${KOA_SESSION_COMMIT}:test/${helper}`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      mkdirSync(join(root, '.koa-session-suite', 'test'), { recursive: true })
      writeFileSync(join(root, '.koa-session-suite', 'test', helper), helperText)
    }
  } catch {
    return `no git repository of koa-session holding ${KOA_SESSION_COMMIT} at ${repo}: set KOA_SESSION_REPO to one ` +
      '(a clone of github.com/koajs/session), or KOA_SESSION_SUITE to a copy of its test/cookie.test.ts'
  }
  const folder = join(root, '.koa-session-suite', 'test')
  mkdirSync(folder, { recursive: true })
  const path = join(folder, file)
  writeFileSync(path, text)
  return { path, pinned: true }
}
