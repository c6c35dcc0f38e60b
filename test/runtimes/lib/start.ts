// Starts a runtime with the conformance app in a fresh temporary folder on a free loopback port.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, launch, type Running } from './process.js'
import type { Runtime } from './runtimes.js'

export interface Started extends Running {
  dir: string
}

/** Prepares (bundling, where the runtime needs a bundle) and launches; the folder goes if either fails. */
export async function start (runtime: Runtime): Promise<Started> {
  const dir = await mkdtemp(join(tmpdir(), `scs-runtime-${runtime.name}-`))
  try {
    const port = await freePort()
    const command = await runtime.prepare(dir, port)
    const running = await launch(runtime.name, command, dir, port)
    return {
      ...running,
      dir,
      stop: async () => {
        await running.stop()
        await rm(dir, { recursive: true, force: true })
      }
    }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}
