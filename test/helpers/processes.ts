// Apps under test run as child processes of their own, as users run them, on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '../..')

export interface App {
  /** The app's base URL as it printed it, e.g. http://localhost:40123/ */
  url: string
  port: number
  /** Everything the app wrote to stdout and stderr so far. */
  output: () => string
  stop: () => Promise<void>
}

const running = new Set<ChildProcess>()

/** Starts `node script` (relative to the repository) with PORT=0; resolves once it printed its URL. */
export function start (script: string, env: Record<string, string> = {}): Promise<App> {
  const child = spawn(process.execPath, [script], { cwd: root, env: { ...process.env, PORT: '0', ...env } })
  running.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => { running.delete(child); resolve() }))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill()
    await exited
  }
  let output = ''
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString()
      const match = /http:\/\/localhost:(\d+)\//.exec(output)
      if (match) resolve({ url: match[0], port: Number(match[1]), output: () => output, stop })
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${output}`)))
  })
}

/** Stops every app still running (for afterAll, so a failed test leaves no server behind). */
export async function stopAll (): Promise<void> {
  await Promise.all([...running].map((child) => {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill()
    return exited
  }))
}
