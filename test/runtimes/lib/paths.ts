// Where the suite's parts are: its own install (test/runtimes/node_modules, from npm ci --prefix
// test/runtimes), the apps the runtimes serve, and the package as that install links it.
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const suiteDir = join(dirname(fileURLToPath(import.meta.url)), '..')
export const appsDir = join(suiteDir, 'apps')
export const modulesDir = join(suiteDir, 'node_modules')
export const repoDir = join(suiteDir, '..', '..')

const INSTALL = 'npm ci --prefix test/runtimes --no-audit --no-fund'

/**
 * The package as the suite's install has it: a link to the repository (`file:../..`), so every
 * resolver reaches dist/ through the package.json `exports`, with its own conditions.
 */
export function packageLink (): string {
  const link = join(modulesDir, 'signed-cookie-session')
  if (!existsSync(join(link, 'dist', 'fetch.js'))) {
    throw new Error(`signed-cookie-session is not linked with a built dist/: run npm run build and ${INSTALL}`)
  }
  return link
}

/** Where the link points: the repository, outside any node_modules. */
export function packageDir (): string {
  return realpathSync(packageLink())
}

/** A runtime's executable from the suite's install (the native binary its npm package put in .bin). */
export function binary (name: string): string {
  const path = join(modulesDir, '.bin', name)
  if (!existsSync(path)) throw new Error(`${name} is not installed: run ${INSTALL}`)
  return path
}

/** The version of a package in the suite's install. */
export function versionOf (name: string): string {
  const manifest = JSON.parse(readFileSync(join(modulesDir, name, 'package.json'), 'utf8')) as { version: string }
  return manifest.version
}
