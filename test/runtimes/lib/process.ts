// A runtime as a real process: spawned in its own temporary folder, ready once its loopback port
// accepts connections, its output kept (in memory and in output.log) for failure messages.
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync, writeFileSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export interface Command {
  file: string
  args: string[]
  env?: Record<string, string>
}

export interface Running {
  url: string
  /** The process's stdout and stderr, also in `logFile` for the test workers to read. */
  output: () => string
  logFile: string
  stop: () => Promise<void>
}

/** Every runtime still running, ended if the test process exits without stopping it (a crash, an interrupt). */
const children = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})

/** A port free on 127.0.0.1 now (the runtime binds it a moment later; the OS rarely reuses one that fast). */
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve))
  const address = server.address()
  await new Promise((resolve) => server.close(resolve))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

function accepts (port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Starts `command` in `dir` and resolves once `port` accepts a connection. Rejects, with what the
 * process printed, if it exits first or is not listening within `timeout` ms.
 */
export async function launch (name: string, command: Command, dir: string, port: number, timeout = 60_000): Promise<Running> {
  const logFile = join(dir, 'output.log')
  writeFileSync(logFile, '')
  let output = ''
  const child = spawn(command.file, command.args, {
    cwd: dir,
    env: { ...process.env, NO_COLOR: '1', ...command.env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const record = (chunk: Buffer): void => {
    output += chunk.toString()
    appendFileSync(logFile, chunk)
  }
  child.stdout.on('data', record)
  child.stderr.on('data', record)
  children.add(child)
  let failed: Error | undefined
  child.once('error', (err) => { failed = err })
  const exited = new Promise<void>((resolve) => child.once('close', () => { children.delete(child); resolve() }))
  const running = (): boolean => child.exitCode === null && child.signalCode === null && failed === undefined
  const stop = async (): Promise<void> => {
    if (running()) {
      child.kill('SIGTERM')
      // A runtime that ignores SIGTERM is ended after a few seconds.
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
      await exited
      clearTimeout(timer)
    }
  }

  const deadline = Date.now() + timeout
  while (!(await accepts(port))) {
    if (!running()) {
      await exited
      const how = failed?.message ?? (child.signalCode !== null ? `signal ${child.signalCode}` : `code ${child.exitCode}`)
      throw new Error(`${name} exited (${how}) before listening on port ${port}; its output:\n${output}`)
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`${name} was not listening on port ${port} after ${timeout} ms; its output:\n${output}`)
    }
    await sleep(50)
  }
  return { url: `http://127.0.0.1:${port}`, output: () => output, logFile, stop }
}
