// The library under test: src/ by default; a built copy when SUBJECT_DIST names its dist folder
// (`SUBJECT_DIST=/tmp/before/dist npx vitest run test/store-safety.test.ts` shows what an earlier
// build did with the same tests: how a fix was seen to fail before it was made).
import { createRequire } from 'node:module'
import * as source from '../../src/index.js'
import { koaSession as sourceKoa } from '../../src/koa.js'

export type Middleware = (req: any, res: any, next: (err?: unknown) => void) => void

const dist = process.env.SUBJECT_DIST
const built = dist === undefined ? undefined : createRequire(import.meta.url)(`${dist}/index.js`) as typeof source
const builtKoa = dist === undefined ? undefined : (createRequire(import.meta.url)(`${dist}/koa.js`) as { koaSession: typeof sourceKoa }).koaSession

export const cookieSession = (built?.cookieSession ?? source.cookieSession) as (options: Record<string, unknown>) => Middleware
export const koaSession = (builtKoa ?? sourceKoa) as (options: Record<string, unknown>) => any
export const SessionStoreError = built?.SessionStoreError ?? source.SessionStoreError
export const SessionOptionError = built?.SessionOptionError ?? source.SessionOptionError
