// How each runtime gets the conformance app (apps/), and the command that serves it on a port:
// workerd and edge-runtime run a bundle made with their conditions; Deno, Bun and Node resolve
// signed-cookie-session/fetch themselves, through the suite's link and the package's `exports`.
import { join } from 'node:path'
import { writeFile } from 'node:fs/promises'
import { bundle } from './bundle.js'
import type { RuntimeName } from './names.js'
import { appsDir, binary, modulesDir, packageDir, packageLink, versionOf } from './paths.js'
import type { Command } from './process.js'
import { workerdConfig } from './workerd-config.js'

export interface Runtime {
  name: RuntimeName
  version: () => string
  /** Writes what the runtime needs into `dir` (a fresh temporary folder); returns the command. */
  prepare: (dir: string, port: number) => Promise<Command>
}

/** The `exports` conditions of Cloudflare's tooling (wrangler bundles with these). */
export const WORKERD_CONDITIONS = ['workerd', 'worker', 'browser']
/** Those of Vercel's Edge bundling (Next.js's edge compiler). */
export const EDGE_CONDITIONS = ['edge-light', 'worker', 'browser']
/**
 * Before 2026-08-04, from which date workerd turns nodejs_compat on by default (it says so at
 * start-up): with this date the Worker has no node:* modules and no `process`, as on a Worker
 * deployed without the flag. examples/cloudflare-worker/wrangler.toml uses the same date.
 */
export const COMPATIBILITY_DATE = '2025-09-01'

export const RUNTIMES: readonly Runtime[] = [
  {
    name: 'workerd',
    version: () => versionOf('workerd'),
    async prepare (dir, port) {
      packageLink()
      await bundle({ entry: join(appsDir, 'app.js'), outfile: join(dir, 'worker.js'), format: 'esm', conditions: WORKERD_CONDITIONS })
      // No nodejs_compat flag: the Fetch entry must run on the Web APIs alone.
      await writeFile(join(dir, 'config.capnp'), workerdConfig({ module: 'worker.js', compatibilityDate: COMPATIBILITY_DATE, port }))
      return { file: binary('workerd'), args: ['serve', '--verbose', 'config.capnp'] }
    }
  },
  {
    name: 'edge-runtime',
    version: () => versionOf('edge-runtime'),
    async prepare (dir, port) {
      packageLink()
      await bundle({ entry: join(appsDir, 'edge.js'), outfile: join(dir, 'edge.js'), format: 'iife', conditions: EDGE_CONDITIONS })
      // The package's own CLI: an EdgeRuntime VM over the bundle, served by its runServer.
      const cli = join(modulesDir, 'edge-runtime', 'dist', 'cli', 'index.js')
      return { file: process.execPath, args: [cli, '--listen', 'edge.js', '--host', '127.0.0.1', '--port', String(port)] }
    }
  },
  {
    name: 'deno',
    version: () => versionOf('deno'),
    async prepare (dir, port) {
      return {
        file: binary('deno'),
        // Network on the one port, and reading the package: installed from a registry it would
        // sit inside node_modules, which Deno reads without asking; the suite's link points outside.
        args: ['run', '--no-prompt', `--allow-net=127.0.0.1:${port}`, `--allow-read=${packageDir()}`, join(appsDir, 'deno.js'), String(port)],
        env: { DENO_DIR: join(dir, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1' }
      }
    }
  },
  {
    name: 'bun',
    version: () => versionOf('bun'),
    async prepare (_dir, port) {
      packageLink()
      // --no-install: never fetch a missing package from the registry, resolve from node_modules only.
      return { file: binary('bun'), args: ['--no-install', join(appsDir, 'bun.js'), String(port)], env: { DO_NOT_TRACK: '1', BUN_RUNTIME_TRANSPILER_CACHE_PATH: '0' } }
    }
  },
  {
    name: 'node',
    version: () => process.version.slice(1),
    async prepare (_dir, port) {
      packageLink()
      return { file: process.execPath, args: [join(appsDir, 'node.js'), String(port)] }
    }
  }
]
