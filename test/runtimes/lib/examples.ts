// The examples as their users run them: examples/cloudflare-worker bundled from its wrangler.toml
// as wrangler does and served by workerd with SESSION_KEYS as a secret binding, and
// examples/deno/server.ts under `deno run` with the permissions its comment gives.
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundle } from './bundle.js'
import { binary, modulesDir, packageDir, repoDir } from './paths.js'
import { freePort, launch, type Command, type Running } from './process.js'
import { WORKERD_CONDITIONS } from './runtimes.js'
import { workerdConfig } from './workerd-config.js'
import { readWranglerToml } from './wrangler.js'

export const workerExample = join(repoDir, 'examples', 'cloudflare-worker')
export const denoExample = join(repoDir, 'examples', 'deno')

/** Runs `prepare` then its command in a fresh temporary folder, removed when the process stops. */
async function run (name: string, prepare: (dir: string, port: number) => Promise<Command>): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), `scs-example-${name}-`))
  try {
    const port = await freePort()
    const running = await launch(name, await prepare(dir, port), dir, port)
    return { ...running, stop: async () => { await running.stop(); await rm(dir, { recursive: true, force: true }) } }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

export function startWorkerExample (keys: string): Promise<Running> {
  return run('cloudflare-worker', async (dir, port) => {
    const wrangler = readWranglerToml(join(workerExample, 'wrangler.toml'))
    await bundle({
      entry: join(workerExample, wrangler.main),
      outfile: join(dir, 'worker.js'),
      format: 'esm',
      conditions: WORKERD_CONDITIONS,
      // Where `npm install` would have put signed-cookie-session: the suite's link to this repository.
      nodePaths: [modulesDir]
    })
    await writeFile(join(dir, 'config.capnp'), workerdConfig({
      module: 'worker.js',
      compatibilityDate: wrangler.compatibilityDate,
      compatibilityFlags: wrangler.compatibilityFlags,
      bindings: { SESSION_KEYS: keys }, // a Worker's secret is a text binding
      port
    }))
    return { file: binary('workerd'), args: ['serve', '--verbose', 'config.capnp'] }
  })
}

export function startDenoExample (keys: string): Promise<Running> {
  return run('deno', async (dir, port) => {
    // The example's files as they are, beside a node_modules holding the package (linked to this repository).
    await copyFile(join(denoExample, 'server.ts'), join(dir, 'server.ts'))
    await copyFile(join(denoExample, 'package.json'), join(dir, 'package.json'))
    await mkdir(join(dir, 'node_modules'))
    await symlink(packageDir(), join(dir, 'node_modules', 'signed-cookie-session'))
    return {
      file: binary('deno'),
      // The comment's command; and reading the package, which an install would put inside
      // node_modules (read without asking) but the link leaves outside.
      args: ['run', '--no-prompt', '--allow-net', '--allow-env=SESSION_KEYS,PORT', `--allow-read=${packageDir()}`, 'server.ts'],
      env: { SESSION_KEYS: keys, PORT: String(port), DENO_DIR: join(dir, 'deno-cache'), DENO_NO_UPDATE_CHECK: '1' }
    }
  })
}
