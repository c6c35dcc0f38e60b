'use strict'
// Requests per second on workerd (Cloudflare's runtime, without nodejs_compat). Signed sessions:
// signed-cookie-session/fetch against the floor, a Worker doing one HMAC verify (and on a write,
// one sign) with Web Crypto and nothing else, in the same cookie format. Encrypted sessions: ours
// (`encrypt: true`) against iron-session 8. Each library is a Worker in its own workerd process on
// a loopback port, driven by autocannon from here, interleaved round by round; medians printed,
// and written to workerd.json (a --quick run to .tmp/workerd.json). A library that does not bundle
// for workerd is reported with esbuild's reasons and left out.
//
//   node bench/workerd.js [--quick] [--rounds 3] [--duration 3] [--connections 10] [--no-build]
// workerd comes from the runtimes suite's install: npm ci --prefix test/runtimes
const { spawn } = require('node:child_process')
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const autocannon = require('autocannon')
const { ROOT, ensureBuilt, bundleWorker } = require('./workers.js')

const WORKERD = path.join(ROOT, 'test', 'runtimes', 'node_modules', '.bin', 'workerd')
// Before 2026-08-04, from which workerd turns nodejs_compat on by default.
const COMPATIBILITY_DATE = '2025-09-01'
const KEY = 'bench key, long enough for iron-session: 32+ chars'

function options (argv) {
  const opts = { rounds: 3, duration: 3, warmup: 1, connections: 10, build: true, quick: false }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const number = () => {
      const n = Number(argv[++i])
      if (!(n > 0)) throw new Error(`${arg} needs a positive number`)
      return n
    }
    if (arg === '--quick') Object.assign(opts, { quick: true, rounds: 1, duration: 1, warmup: 0.5 })
    else if (arg === '--rounds') opts.rounds = number()
    else if (arg === '--duration') opts.duration = number()
    else if (arg === '--connections') opts.connections = number()
    else if (arg === '--no-build') opts.build = false
    else throw new Error(`unknown option ${arg}`)
  }
  return opts
}

// Each Worker answers /new (a session { user: 'ann' }), /read (the user, no cookie written) and
// /write (a counter in the session, so a cookie every time); the encrypted ones under /enc/.

const OURS = `
import { fetchSession } from 'signed-cookie-session/fetch'
const signed = fetchSession({ keys: [${JSON.stringify(KEY)}] })
const sealed = fetchSession({ keys: [${JSON.stringify(KEY)}], encrypt: true })
let n = 0
export default {
  async fetch (request) {
    const { pathname } = new URL(request.url)
    const sessions = pathname.startsWith('/enc/') ? sealed : signed
    const scope = await sessions.load(request)
    const route = pathname.replace('/enc/', '/')
    if (route === '/new') scope.session.user = 'ann'
    if (route === '/write') scope.session.n = ++n
    return await scope.commit(new Response(String(scope.session.user)))
  }
}
`

// The least a Worker can do for the same cookies as ours (cookie-session's format: base64 JSON,
// and a .sig that is the base64url HMAC-SHA1 of "session=<value>"): no options, checks or errors.
const FLOOR = `
const encoder = new TextEncoder()
let key
const hmacKey = () => (key ??= crypto.subtle.importKey('raw', encoder.encode(${JSON.stringify(KEY)}), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign', 'verify']))
const toBase64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/=+$/, '').replace(/\\+/g, '-').replace(/\\//g, '_')
const fromBase64url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
function cookies (request) {
  const jar = {}
  for (const pair of (request.headers.get('cookie') ?? '').split(/; */)) {
    const at = pair.indexOf('=')
    if (at > 0) jar[pair.slice(0, at)] = pair.slice(at + 1)
  }
  return jar
}
async function read (request) {
  const jar = cookies(request)
  if (!jar.session || !jar['session.sig']) return {}
  const ok = await crypto.subtle.verify('HMAC', await hmacKey(), fromBase64url(jar['session.sig']), encoder.encode('session=' + jar.session))
  return ok ? JSON.parse(atob(jar.session)) : {}
}
async function write (response, session) {
  const value = btoa(JSON.stringify(session))
  const sig = toBase64url(await crypto.subtle.sign('HMAC', await hmacKey(), encoder.encode('session=' + value)))
  response.headers.append('set-cookie', 'session=' + value + '; path=/; httponly')
  response.headers.append('set-cookie', 'session.sig=' + sig + '; path=/; httponly')
  return response
}
let n = 0
export default {
  async fetch (request) {
    const { pathname } = new URL(request.url)
    const session = pathname === '/new' ? { user: 'ann' } : await read(request)
    if (pathname === '/read') return new Response(String(session.user))
    if (pathname === '/write') session.n = ++n
    return await write(new Response(String(session.user)), session)
  }
}
`

// The same floor with @noble/hashes' HMAC-SHA1 (pure JavaScript, synchronous) instead of Web Crypto's
// (native, asynchronous): the portable path's choice between them, measured where it runs.
const FLOOR_NOBLE = FLOOR
  .replace('let key\n', "import { hmac } from '@noble/hashes/hmac.js'\nimport { sha1 } from '@noble/hashes/legacy.js'\nconst secret = encoder.encode(" + JSON.stringify(KEY) + ')\n')
  .replace(/const hmacKey = .*\n/, '')
  .replace("const ok = await crypto.subtle.verify('HMAC', await hmacKey(), fromBase64url(jar['session.sig']), encoder.encode('session=' + jar.session))",
    "const ok = toBase64url(hmac(sha1, secret, encoder.encode('session=' + jar.session))) === jar['session.sig']")
  .replace("const sig = toBase64url(await crypto.subtle.sign('HMAC', await hmacKey(), encoder.encode('session=' + value)))",
    "const sig = toBase64url(hmac(sha1, secret, encoder.encode('session=' + value)))")

// AES-256-GCM, the encrypted format's cipher, per request: one open on a read, an open and a seal
// on a write, with Web Crypto and with @noble/ciphers (keys derived once, outside the measure).
const aesFloor = (noble) => `
${noble ? "import { gcm } from '@noble/ciphers/aes.js'" : ''}
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const raw = encoder.encode('a bench key of thirty-two bytes!')
const aad = encoder.encode('session')
let key
const subtleKey = () => (key ??= crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']))
const toBase64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/=+$/, '').replace(/\\+/g, '-').replace(/\\//g, '_')
const fromBase64url = (text) => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0))
async function seal (json) {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const body = ${noble ? 'gcm(raw, iv, aad).encrypt(encoder.encode(json))' : "new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, await subtleKey(), encoder.encode(json)))"}
  const out = new Uint8Array(12 + body.length)
  out.set(iv)
  out.set(body, 12)
  return toBase64url(out)
}
async function open (value) {
  const bytes = fromBase64url(value)
  const iv = bytes.subarray(0, 12)
  const body = bytes.subarray(12)
  return JSON.parse(decoder.decode(${noble ? 'gcm(raw, iv, aad).decrypt(body)' : "new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, await subtleKey(), body))"}))
}
let n = 0
export default {
  async fetch (request) {
    const { pathname } = new URL(request.url)
    const route = pathname.replace('/enc/', '/')
    const cookie = /(?:^|; )session=([^;]*)/.exec(request.headers.get('cookie') ?? '')?.[1]
    const session = route === '/new' || !cookie ? { user: 'ann' } : await open(cookie)
    if (route === '/read') return new Response(String(session.user))
    if (route === '/write') session.n = ++n
    const response = new Response(String(session.user))
    response.headers.append('set-cookie', 'session=' + await seal(JSON.stringify(session)) + '; path=/; httponly')
    return response
  }
}
`

const IRON = `
import { getIronSession } from 'iron-session'
const options = { password: ${JSON.stringify(KEY)}, cookieName: 'session', cookieOptions: { secure: false } }
let n = 0
export default {
  async fetch (request) {
    const route = new URL(request.url).pathname.replace('/enc/', '/')
    const response = new Response()
    const session = await getIronSession(request, response, options)
    if (route === '/new') session.user = 'ann'
    if (route === '/write') session.n = ++n
    if (route !== '/read') await session.save()
    return new Response(String(session.user), { headers: response.headers })
  }
}
`

const LIBRARIES = [
  { name: 'floor', source: FLOOR, prefixes: [''] },
  { name: 'floor (noble)', source: FLOOR_NOBLE, prefixes: [''] },
  { name: 'aes (Web Crypto)', source: aesFloor(false), prefixes: ['/enc'] },
  { name: 'aes (noble)', source: aesFloor(true), prefixes: ['/enc'] },
  { name: 'ours', source: OURS, prefixes: ['', '/enc'] },
  { name: 'iron-session', source: IRON, prefixes: ['/enc'] }
]

// `subject` against `baseline` (default: ours). The noble rows answer which crypto the portable path
// should use: a ratio above 1 means the pure-JavaScript one handles more requests than Web Crypto.
const SCENARIOS = [
  { name: 'signed read', prefix: '', route: '/read', baseline: 'floor' },
  { name: 'signed write', prefix: '', route: '/write', baseline: 'floor' },
  { name: 'encrypted read', prefix: '/enc', route: '/read', baseline: 'iron-session' },
  { name: 'encrypted write', prefix: '/enc', route: '/write', baseline: 'iron-session' },
  { name: 'HMAC read', prefix: '', route: '/read', baseline: 'floor', subject: 'floor (noble)' },
  { name: 'HMAC write', prefix: '', route: '/write', baseline: 'floor', subject: 'floor (noble)' },
  { name: 'AES-GCM read', prefix: '/enc', route: '/read', baseline: 'aes (Web Crypto)', subject: 'aes (noble)' },
  { name: 'AES-GCM write', prefix: '/enc', route: '/write', baseline: 'aes (Web Crypto)', subject: 'aes (noble)' }
]

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

function config (port) {
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")]
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${COMPATIBILITY_DATE}"
);
`
}

/** Serves `code` with workerd in `dir`; resolves once its port accepts connections. */
async function serve (name, code, dir) {
  fs.mkdirSync(dir, { recursive: true })
  const port = await freePort()
  fs.writeFileSync(path.join(dir, 'worker.js'), code)
  fs.writeFileSync(path.join(dir, 'config.capnp'), config(port))
  const child = spawn(WORKERD, ['serve', 'config.capnp'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (c) => { output += c })
  child.stderr.on('data', (c) => { output += c })
  const exited = new Promise((resolve) => child.once('close', resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  const deadline = Date.now() + 30_000
  for (;;) {
    const open = await new Promise((resolve) => {
      const socket = net.createConnection({ host: '127.0.0.1', port })
      socket.once('connect', () => { socket.destroy(); resolve(true) }).once('error', () => resolve(false))
    })
    if (open) return { url: `http://127.0.0.1:${port}`, stop, output: () => output }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop()
      throw new Error(`workerd serving ${name} did not start:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** The session cookie from /new, checked: /read must answer "ann" without Set-Cookie, /write must set a cookie. */
async function cookieFor (server, name, prefix) {
  const fresh = await fetch(`${server.url}${prefix}/new`)
  const cookie = fresh.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ')
  const read = await fetch(`${server.url}${prefix}/read`, { headers: { cookie } })
  const readText = await read.text()
  const write = await fetch(`${server.url}${prefix}/write`, { headers: { cookie } })
  await write.text()
  if (cookie === '' || read.status !== 200 || readText !== 'ann' || read.headers.getSetCookie().length > 0 ||
    write.status !== 200 || write.headers.getSetCookie().length === 0) {
    throw new Error(`${name}${prefix} answers wrongly (cookie "${cookie}", read ${read.status} "${readText}", write ${write.status}):\n${server.output()}`)
  }
  return cookie
}

function load (url, cookie, seconds, connections) {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds, headers: { cookie } }, (err, result) => {
      if (err) return reject(err)
      if (result.non2xx > 0 || result.errors > 0) return reject(new Error(`${url}: ${result.non2xx} non-2xx answers, ${result.errors} errors`))
      resolve(result.requests.average)
    })
  })
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function main () {
  const opts = options(process.argv.slice(2))
  if (!fs.existsSync(WORKERD)) throw new Error('workerd is not installed: npm ci --prefix test/runtimes')
  if (opts.build) ensureBuilt()
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-bench-workerd-'))
  const servers = new Map()
  const skipped = {}
  try {
    for (const library of LIBRARIES) {
      let code
      try {
        code = await bundleWorker(library.source)
      } catch (err) {
        skipped[library.name] = err.reasons ?? [err.message]
        console.log(`bench: ${library.name === 'ours' ? 'signed-cookie-session/fetch' : library.name} ${err.message.split(':')[0]}, so its rows are left out. esbuild says:\n` +
          skipped[library.name].map((reason) => `  ${reason}`).join('\n'))
        continue
      }
      const server = await serve(library.name, code, path.join(tmp, library.name))
      const cookies = {}
      for (const prefix of library.prefixes) cookies[prefix] = await cookieFor(server, library.name, prefix)
      servers.set(library.name, { ...server, cookies })
    }

    const runs = []
    for (const scenario of SCENARIOS) {
      for (const name of [scenario.baseline, scenario.subject ?? 'ours']) {
        if (servers.has(name) && !runs.some((r) => r.scenario === scenario && r.name === name)) runs.push({ scenario, name, rps: [] })
      }
    }
    console.log(`bench: workerd ${COMPATIBILITY_DATE}, ${opts.rounds} round(s) of ${opts.duration} s after ${opts.warmup} s of warm-up, ${opts.connections} connections`)
    for (const run of runs) {
      const server = servers.get(run.name)
      await load(server.url + run.scenario.prefix + run.scenario.route, server.cookies[run.scenario.prefix], opts.warmup, opts.connections)
    }
    for (let round = 0; round < opts.rounds; round++) {
      // The order rotates each round, so no library always runs on a machine warmed by another.
      const order = runs.map((_, i) => runs[(i + round) % runs.length])
      for (const run of order) {
        const server = servers.get(run.name)
        run.rps.push(await load(server.url + run.scenario.prefix + run.scenario.route, server.cookies[run.scenario.prefix], opts.duration, opts.connections))
      }
    }

    const rows = SCENARIOS.map((scenario) => {
      const rps = (name) => {
        const run = runs.find((r) => r.scenario === scenario && r.name === name)
        return run === undefined ? null : Math.round(median(run.rps))
      }
      const baseline = rps(scenario.baseline)
      const ours = rps(scenario.subject ?? 'ours')
      return { scenario: scenario.name, subject: scenario.subject ?? 'ours', baseline: scenario.baseline, baselineRps: baseline, oursRps: ours, ratio: baseline && ours ? +(ours / baseline).toFixed(2) : null }
    })
    console.log('\n| scenario | subject | against | its req/s | subject req/s | subject ÷ it |')
    console.log('| --- | --- | --- | ---: | ---: | ---: |')
    const show = (v) => v === null ? 'n/a' : String(v)
    for (const r of rows) console.log(`| ${r.scenario} | ${r.subject} | ${r.baseline} | ${show(r.baselineRps)} | ${show(r.oursRps)} | ${r.ratio === null ? 'n/a' : r.ratio + '×'} |`)

    const outDir = opts.quick ? path.join(__dirname, '.tmp') : __dirname
    fs.mkdirSync(outDir, { recursive: true })
    const file = path.join(outDir, 'workerd.json')
    fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), compatibilityDate: COMPATIBILITY_DATE, options: opts, rows, skipped }, null, 2) + '\n')
    console.log(`\nbench: wrote ${path.relative(process.cwd(), file)}`)
  } finally {
    await Promise.all([...servers.values()].map((server) => server.stop()))
    fs.rmSync(tmp, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(`bench: ${err.message}`)
  process.exitCode = 1
})
