// A consumer of the package for type tests: a folder inside the repository (so the type packages in
// node_modules/ resolve) with the package linked into its own node_modules/, as an install would put
// it. Made before the calling describe's tests, removed after.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { root } from './processes.js'

/** Call inside a describe; gives the folder's path once its tests run. */
export function consumerFolder (): () => string {
  let dir = ''
  beforeAll(() => {
    dir = mkdtempSync(join(root, 'test/.tmp-types-'))
    mkdirSync(join(dir, 'node_modules'))
    symlinkSync(root, join(dir, 'node_modules/signed-cookie-session'), 'dir')
  })
  afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }) })
  return () => dir
}
