// Real MariaDB and Redis servers for the store tests: each in its own temp directory, on a free
// loopback port, stopped (and the directory removed) by stop(). kill() and restart() take the
// same server down and bring it back on the same port, for the "store went away" scenarios.
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import mysql from 'mysql2/promise'

/** A server binary the store tests need, and the Debian package that has it. */
export const BINARIES = [
  { command: 'mariadb-install-db', pkg: 'mariadb-server' },
  { command: 'mariadbd', pkg: 'mariadb-server' },
  { command: 'redis-server', pkg: 'redis-server' }
] as const

/** The one command that installs every server the store tests need (as root). */
export const INSTALL_COMMAND = '.ci/apt-install mariadb-server:mariadbd redis-server:redis-server'

// mariadbd lives in /usr/sbin, which is not on every user's PATH.
const SEARCH_PATH = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin']

/** The full path of `command`, or undefined when it is not installed. */
export function which (command: string): string | undefined {
  for (const dir of SEARCH_PATH) {
    if (dir === '') continue
    try {
      accessSync(join(dir, command), constants.X_OK)
      return join(dir, command)
    } catch {}
  }
  return undefined
}

/** The binaries that are not installed (empty when every server can start). */
export function missingBinaries (): Array<typeof BINARIES[number]> {
  return BINARIES.filter((binary) => which(binary.command) === undefined)
}

function binary (command: string): string {
  const path = which(command)
  if (path === undefined) throw new Error(`${command} is not installed; install it with: ${INSTALL_COMMAND}`)
  return path
}

/** A port nobody listens on right now (the kernel's choice, released at once). */
export async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))

// Children still running when the test process exits are killed with it.
const running = new Set<ChildProcess>()
process.once('exit', () => { for (const child of running) child.kill('SIGKILL') })

export interface RealServer {
  readonly name: string
  readonly host: '127.0.0.1'
  readonly port: number
  readonly dir: string
  /** False between kill() and restart(). */
  readonly running: boolean
  /** Stops the server process (data kept) and resolves once it has exited. */
  kill (): Promise<void>
  /** Starts it again, same port and data, and resolves once it accepts connections. */
  restart (): Promise<void>
  /** Stops it for good and removes its temp directory. */
  stop (): Promise<void>
}

interface Spec {
  name: string
  command: string
  args: (port: number, dir: string) => string[]
  /** Resolves once the server answers on `port`; rejects while it does not. */
  probe: (port: number) => Promise<void>
  prepare?: (dir: string) => Promise<void>
}

async function launch (spec: Spec): Promise<RealServer> {
  const path = binary(spec.command)
  const dir = mkdtempSync(join(tmpdir(), `scs-${spec.name}-`))
  const port = await freePort()
  let child: ChildProcess | undefined
  let stderr = ''

  const start = async () => {
    stderr = ''
    const proc = spawn(path, spec.args(port, dir), { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
    child = proc
    running.add(proc)
    proc.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000) })
    let exited = false
    proc.once('exit', () => { exited = true; running.delete(proc) })
    const deadline = Date.now() + 30_000
    for (;;) {
      if (exited) throw new Error(`${spec.name} exited before accepting connections on port ${port}: ${stderr.trim()}`)
      try {
        await spec.probe(port)
        return
      } catch (err) {
        if (Date.now() > deadline) {
          proc.kill('SIGKILL')
          throw new Error(`${spec.name} did not accept connections on port ${port} within 30 s: ${(err as Error).message}`)
        }
        await sleep(50)
      }
    }
  }

  const kill = async () => {
    const proc = child
    child = undefined
    if (proc === undefined || proc.exitCode !== null || proc.signalCode !== null) return
    const exited = new Promise((resolve) => proc.once('exit', resolve))
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000)
    await exited
    clearTimeout(timer)
  }

  try {
    await spec.prepare?.(dir)
    await start()
  } catch (err) {
    await kill()
    rmSync(dir, { recursive: true, force: true })
    throw err
  }
  return {
    name: spec.name,
    host: '127.0.0.1',
    port,
    dir,
    get running () { return child !== undefined },
    kill,
    async restart () {
      if (child !== undefined) throw new Error(`${spec.name} is running; kill() it first`)
      await start()
    },
    async stop () {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/** The database the MariaDB server is started with; connect as `root` without a password. */
export const DATABASE = 'sessions'

/** A MariaDB server with an empty database `sessions`, reachable as root over TCP. */
export async function startMariaDB (): Promise<RealServer> {
  // Small redo log and system tablespace: a test server needs no 100 MB of preallocated files.
  const innodb = ['--innodb-log-file-size=4M', '--innodb-data-file-path=ibdata1:4M:autoextend']
  return await launch({
    name: 'mariadb',
    command: 'mariadbd',
    async prepare (dir) {
      const install = spawn(binary('mariadb-install-db'), [
        '--no-defaults', `--datadir=${join(dir, 'data')}`, '--auth-root-authentication-method=normal',
        '--skip-test-db', '--user=root', ...innodb
      ], { stdio: ['ignore', 'pipe', 'pipe'] })
      let output = ''
      install.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
      install.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
      const code = await new Promise((resolve) => install.once('exit', resolve))
      if (code !== 0) throw new Error(`mariadb-install-db failed (${String(code)}): ${output.slice(-2000)}`)
    },
    // --user=root: mariadbd refuses to run as root otherwise. No grant tables: any user name connects.
    args: (port, dir) => [
      '--no-defaults', `--datadir=${join(dir, 'data')}`, `--socket=${join(dir, 'sock')}`,
      `--pid-file=${join(dir, 'pid')}`, `--port=${port}`, '--bind-address=127.0.0.1', '--user=root',
      '--skip-grant-tables', '--skip-name-resolve', '--skip-log-bin', '--innodb-buffer-pool-size=16M', ...innodb
    ],
    async probe (port) {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1000 })
      try {
        await connection.query(`CREATE DATABASE IF NOT EXISTS ${DATABASE}`)
      } finally {
        await connection.end()
      }
    }
  })
}

/** A Redis server that keeps nothing on disk. */
export async function startRedis (): Promise<RealServer> {
  return await launch({
    name: 'redis',
    command: 'redis-server',
    args: (port, dir) => ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    probe: async (port) => await new Promise((resolve, reject) => {
      const socket = createConnection(port, '127.0.0.1')
      socket.setTimeout(1000, () => socket.destroy(new Error('no answer to PING')))
      socket.once('error', reject)
      socket.once('connect', () => socket.write('PING\r\n'))
      socket.once('data', (data) => {
        socket.end()
        if (data.toString().startsWith('+PONG')) resolve()
        else reject(new Error(`PING answered ${JSON.stringify(data.toString())}`))
      })
    })
  })
}
