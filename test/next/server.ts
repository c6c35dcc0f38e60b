// Builds examples/next with `next build` and serves it with `next start` on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const appDir = join(dirname(fileURLToPath(import.meta.url)), '../../examples/next')
const nextBin = join(appDir, 'node_modules/next/dist/bin/next')

export interface NextServer {
  url: string
  /** Everything the server printed so far. */
  output: () => string
  stop: () => Promise<void>
}

/** Variables to set, or (undefined) to leave out of the environment the test runs in. */
export type Env = Record<string, string | undefined>

function run (args: string[], env: Env): ChildProcess {
  if (!existsSync(nextBin)) throw new Error('examples/next is not installed: run npm ci --prefix examples/next')
  const merged: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete merged[name]
    else merged[name] = value
  }
  return spawn(process.execPath, [nextBin, ...args], { cwd: appDir, env: merged })
}

export function build (env: Env): Promise<string> {
  const child = run(['build'], env)
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString() })
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('exit', (code) => code === 0 ? resolve(output) : reject(new Error(`next build exited with ${code}:\n${output}`)))
  })
}

/** Starts the built app on port 0; resolves once Next prints the URL it listens on. */
export function start (env: Env): Promise<NextServer> {
  const child = run(['start', '-H', '127.0.0.1', '-p', '0'], env)
  let output = ''
  const stop = (): Promise<void> => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill()
  })
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match?.[1]) resolve({ url: match[1], output: () => output, stop })
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.on('error', reject)
    child.on('exit', (code) => reject(new Error(`next start exited with ${code}:\n${output}`)))
  })
}
