// Debian's nginx as a caching reverse proxy, started by the tests: its own config, pid file, logs,
// temp and cache directories in a fresh temp directory, on a free loopback port, in the foreground
// (`daemon off`), and stopped (the directory removed) by stop().
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, which } from '../helpers/servers.js'

/** The command that installs nginx (as root), for messages. */
export const INSTALL_COMMAND = '.ci/apt-install nginx:nginx'

export interface Nginx {
  /** e.g. http://127.0.0.1:40123 */
  readonly url: string
  /** nginx's error log so far (for a failure's message). */
  errors (): string
  stop (): Promise<void>
}

/**
 * The configuration: a cache in front of `upstream`, honouring the app's Cache-Control, Vary and
 * Set-Cookie as nginx does by default, with each response's `$upstream_cache_status` (HIT, MISS,
 * ...) in an `X-Cache-Status` header. Under /cdn/, Set-Cookie does not stop a response being stored
 * (`proxy_ignore_headers Set-Cookie`), as a CDN rule that caches everything would have it.
 */
function config (dir: string, port: number, upstream: number): string {
  const cached = `
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_cache pages;
      add_header X-Cache-Status $upstream_cache_status always;`
  return `
# As root, nginx would run its workers as "nobody", who cannot write to this temp directory.
${process.getuid?.() === 0 ? 'user root;' : ''}
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy_temp;
  fastcgi_temp_path ${dir}/fastcgi_temp;
  uwsgi_temp_path ${dir}/uwsgi_temp;
  scgi_temp_path ${dir}/scgi_temp;
  proxy_cache_path ${dir}/cache levels=1:2 keys_zone=pages:1m max_size=16m inactive=10m use_temp_path=off;
  upstream app {
    server 127.0.0.1:${upstream};
    keepalive 8;
  }
  server {
    listen 127.0.0.1:${port};
    location / {${cached}
    }
    location /cdn/ {${cached}
      proxy_ignore_headers Set-Cookie;
    }
  }
}
`
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms))

// An nginx still running when the test process exits (a crash between start and stop) goes with it.
const running = new Set<ChildProcess>()
process.once('exit', () => { for (const child of running) child.kill('SIGKILL') })

/** Starts nginx in front of the app on `upstream` (a loopback port); resolves once it answers. */
export async function startNginx (upstream: number): Promise<Nginx> {
  const binary = which('nginx')
  if (binary === undefined) throw new Error(`nginx is not installed; install it with: ${INSTALL_COMMAND}`)
  const dir = mkdtempSync(join(tmpdir(), 'scs-nginx-'))
  const port = await freePort()
  writeFileSync(join(dir, 'nginx.conf'), config(dir, port, upstream))
  // -e: the error log before the config is read (else /var/log/nginx, not ours to write).
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-2000) })
  running.add(child)
  const exited = new Promise<void>((resolve) => child.once('exit', () => { running.delete(child); resolve() }))
  const errors = (): string => {
    let log = ''
    try { log = readFileSync(join(dir, 'error.log'), 'utf8') } catch {}
    return (stderr + log).slice(-2000)
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      // SIGTERM: nginx's fast shutdown; the workers go with the master.
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(timer)
    }
    rmSync(dir, { recursive: true, force: true })
  }
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const output = errors()
      await stop()
      throw new Error(`nginx exited before answering on port ${port}: ${output.trim()}`)
    }
    try {
      // Any answer will do (nginx's own 502 if the app were not up yet), on a path no test asks for.
      await (await fetch(`${url}/nginx-ready`)).arrayBuffer()
      return { url, errors, stop }
    } catch (err) {
      if (Date.now() > deadline) {
        const output = errors()
        await stop()
        throw new Error(`nginx did not answer on port ${port} within 20 s: ${(err as Error).message}\n${output}`)
      }
      await sleep(50)
    }
  }
}
