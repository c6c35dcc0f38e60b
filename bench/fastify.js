'use strict'
// The Fastify plugin (dist/fastify.js) on Fastify 5, against @fastify/secure-session and a floor,
// each in a server child of its own, driven by autocannon in interleaved rounds. Not part of
// `npm test`; run `npm run build` first.
//
//   node bench/fastify.js [--rounds 5] [--duration 3] [--scenario read,write,new] [--quick]
//
// - ours-encrypted: our plugin with encrypt: true (AES-256-GCM), against
// - secure-session: @fastify/secure-session 8 as shipped (libsodium secretbox, a 32-byte key, its
//   onRequest/onSend hooks and @fastify/cookie underneath);
// - ours: our plugin with its defaults (base64 JSON and an HMAC-SHA1 `.sig`, cookie-session's cookie), against
// - floor: a route doing the same by hand on @fastify/cookie: its parsed request.cookies, one
//   HMAC-SHA1 of `session=<value>` through @fastify/cookie's Signer to verify and one to sign,
//   base64 JSON, reply.setCookie() for both cookies. No options, checks, size limit or errors.
// - bare: the same routes without sessions, the baseline every µs/request is measured over.
//
// Scenarios: untouched (valid cookie, the route never reads the session: what the decorator's
// getter saves, since ours parses nothing then), read (valid cookie, the route reads session.user), write (valid cookie, the route sets
// session.n to a new value: a cookie every time), new (no cookie, the route sets session.user).
// Every server's answers are checked before it is measured. Prints µs/request over bare, server
// CPU µs/request, throughput, and the two ratios: ours-encrypted ÷ secure-session throughput
// (target ≥ 1.5×), and ours ÷ floor cost (target ≤ 1.2×).
const { fork } = require('node:child_process')
const crypto = require('node:crypto')
const path = require('node:path')

const LIBS = ['bare', 'ours', 'floor', 'ours-encrypted', 'secure-session']
const SCENARIOS = {
  untouched: { cookie: true, body: 'ok', setCookie: false },
  read: { cookie: true, body: 'alice', setCookie: false },
  write: { cookie: true, body: 'ok', setCookie: true },
  new: { cookie: false, body: 'ok', setCookie: true }
}
const KEY = 'bench-key-1'

// ---------------------------------------------------------------------------------------------
// The server child: `node bench/fastify.js serve <lib> <scenario>`.

/** The app for `lib`: GET /setup writes { user: 'alice', n: 0 }; GET / runs `scenario`'s route. */
async function app (lib, scenario) {
  const Fastify = require('fastify')
  const fastify = Fastify()
  let n = 0
  if (lib === 'ours' || lib === 'ours-encrypted') {
    const { fastifySession } = require(path.join(__dirname, '..', 'dist', 'fastify.js'))
    await fastify.register(fastifySession, lib === 'ours' ? { keys: [KEY] } : { keys: [KEY], encrypt: true })
    fastify.get('/setup', async (request) => { request.session.user = 'alice'; request.session.n = 0; return 'ok' })
    const routes = {
      untouched: async () => 'ok',
      read: async (request) => request.session.user,
      write: async (request) => { request.session.n = ++n; return 'ok' },
      new: async (request) => { request.session.user = 'alice'; return 'ok' }
    }
    fastify.get('/', routes[scenario])
  } else if (lib === 'secure-session') {
    await fastify.register(require('@fastify/secure-session'), { key: crypto.createHash('sha256').update(KEY).digest(), cookie: { path: '/' } })
    fastify.get('/setup', async (request) => { request.session.set('user', 'alice'); request.session.set('n', 0); return 'ok' })
    const routes = {
      untouched: async () => 'ok',
      read: async (request) => request.session.get('user'),
      write: async (request) => { request.session.set('n', ++n); return 'ok' },
      new: async (request) => { request.session.set('user', 'alice'); return 'ok' }
    }
    fastify.get('/', routes[scenario])
  } else if (lib === 'floor') {
    const fastifyCookie = require('@fastify/cookie')
    await fastify.register(fastifyCookie)
    const signer = new fastifyCookie.Signer(KEY, 'sha1')
    const options = { path: '/', httpOnly: true }
    const read = (request) => {
      const value = request.cookies.session
      const sig = request.cookies['session.sig']
      if (!value || !sig || !signer.unsign(`session=${value}.${sig}`).valid) return {}
      return JSON.parse(Buffer.from(value, 'base64').toString())
    }
    const write = (reply, data) => {
      const value = Buffer.from(JSON.stringify(data)).toString('base64')
      const signed = signer.sign(`session=${value}`)
      reply.setCookie('session', value, options)
      reply.setCookie('session.sig', signed.slice(signed.lastIndexOf('.') + 1), options)
    }
    fastify.get('/setup', async (request, reply) => { write(reply, { user: 'alice', n: 0 }); return 'ok' })
    const routes = {
      untouched: async () => 'ok',
      read: async (request) => read(request).user,
      write: async (request, reply) => { const data = read(request); data.n = ++n; write(reply, data); return 'ok' },
      new: async (request, reply) => { const data = read(request); data.user = 'alice'; write(reply, data); return 'ok' }
    }
    fastify.get('/', routes[scenario])
  } else {
    fastify.get('/setup', async () => 'ok')
    fastify.get('/', async () => SCENARIOS[scenario].body)
  }
  return fastify
}

async function serve (lib, scenario) {
  const fastify = await app(lib, scenario)
  const setup = await fastify.inject('/setup')
  const lines = [].concat(setup.headers['set-cookie'] ?? [])
  const cookie = lines.map((line) => line.split(';')[0]).join('; ')
  await fastify.listen({ port: 0, host: '127.0.0.1' })
  process.on('message', (msg) => {
    if (msg.cmd === 'cpu') process.send({ type: 'cpu', id: msg.id, usage: process.cpuUsage() })
    else if (msg.cmd === 'exit') fastify.close().then(() => process.exit(0))
  })
  process.send({ type: 'ready', port: fastify.server.address().port, cookie })
}

// ---------------------------------------------------------------------------------------------
// The parent: starts the children, checks them, measures.

function parseArgs (argv) {
  const opts = { rounds: 5, duration: 3, warmup: 1, connections: 10, scenarios: Object.keys(SCENARIOS) }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=')
    const value = () => inline ?? argv[++i]
    if (flag === '--rounds') opts.rounds = Number(value())
    else if (flag === '--duration') opts.duration = Number(value())
    else if (flag === '--connections') opts.connections = Number(value())
    else if (flag === '--scenario' || flag === '--scenarios') opts.scenarios = value().split(',')
    else if (flag === '--quick') Object.assign(opts, { rounds: 1, duration: 1, warmup: 0.5 })
    else throw new Error(`bench/fastify.js: unknown option ${flag}`)
  }
  for (const name of opts.scenarios) if (SCENARIOS[name] === undefined) throw new Error(`bench/fastify.js: no scenario "${name}"`)
  return opts
}

function start (lib, scenario) {
  const child = fork(__filename, ['serve', lib, scenario], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  let nextId = 0
  const waiting = new Map()
  const ready = new Promise((resolve, reject) => {
    child.on('message', (msg) => {
      if (msg.type === 'ready') resolve(msg)
      else if (msg.type === 'cpu') waiting.get(msg.id)?.(msg.usage.user + msg.usage.system)
    })
    child.once('exit', (code) => reject(new Error(`${lib} ${scenario} exited (${code}) before it was ready`)))
  })
  return {
    ready,
    cpu: () => new Promise((resolve) => { const id = nextId++; waiting.set(id, resolve); child.send({ cmd: 'cpu', id }) }),
    stop: () => { if (child.connected) child.send({ cmd: 'exit' }); setTimeout(() => child.kill('SIGKILL'), 3000).unref() }
  }
}

/** One request as the load will send it: the status, body and Set-Cookie must be the scenario's. */
async function check (lib, scenario, port, cookie) {
  const res = await fetch(`http://127.0.0.1:${port}/`, { headers: cookie ? { cookie } : {} })
  const body = await res.text()
  const setCookie = res.headers.getSetCookie()
  const expected = SCENARIOS[scenario]
  const wantsCookie = lib !== 'bare' && expected.setCookie
  if (res.status !== 200 || body !== expected.body || (setCookie.length > 0) !== wantsCookie) {
    throw new Error(`${lib} ${scenario}: got ${res.status} ${JSON.stringify(body)} with Set-Cookie ${JSON.stringify(setCookie)}`)
  }
}

async function load (autocannon, server, port, cookie, seconds, connections) {
  const cpu0 = await server.cpu()
  const result = await autocannon({ url: `http://127.0.0.1:${port}/`, connections, duration: seconds, headers: cookie ? { cookie } : {} })
  const cpu1 = await server.cpu()
  if (result.errors + result.timeouts + result.non2xx > 0 || result.requests.total === 0) throw new Error(`bad responses on port ${port}`)
  const elapsed = (new Date(result.finish) - new Date(result.start)) / 1000 || seconds
  return { rps: result.requests.total / elapsed, cpu: (cpu1 - cpu0) / result.requests.total }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function main () {
  const autocannon = require('autocannon')
  const opts = parseArgs(process.argv.slice(2))
  console.log(`bench/fastify.js: Fastify ${require('fastify/package.json').version}, @fastify/secure-session ` +
    `${require('@fastify/secure-session/package.json').version}, Node ${process.version}; ${opts.rounds} rounds × ${opts.duration} s, ` +
    `${opts.connections} connections, orders rotating`)
  const rows = []
  for (const scenario of opts.scenarios) {
    const servers = Object.fromEntries(LIBS.map((lib) => [lib, start(lib, scenario)]))
    const ready = {}
    for (const lib of LIBS) ready[lib] = await servers[lib].ready
    // The bare server gets ours's Cookie header: the same bytes to parse.
    const cookieOf = (lib) => SCENARIOS[scenario].cookie ? ready[lib === 'bare' ? 'ours' : lib].cookie : ''
    for (const lib of LIBS) await check(lib, scenario, ready[lib].port, cookieOf(lib))
    const samples = Object.fromEntries(LIBS.map((lib) => [lib, []]))
    if (opts.warmup > 0) for (const lib of LIBS) await load(autocannon, servers[lib], ready[lib].port, cookieOf(lib), opts.warmup, opts.connections)
    for (let round = 0; round < opts.rounds; round++) {
      const order = LIBS.slice(round % LIBS.length).concat(LIBS.slice(0, round % LIBS.length))
      for (const lib of order) samples[lib].push(await load(autocannon, servers[lib], ready[lib].port, cookieOf(lib), opts.duration, opts.connections))
    }
    for (const server of Object.values(servers)) server.stop()
    const rps = (lib) => median(samples[lib].map((s) => s.rps))
    const cpu = (lib) => median(samples[lib].map((s) => s.cpu))
    const row = { scenario, libs: {} }
    for (const lib of LIBS) {
      row.libs[lib] = { rps: rps(lib), us: 1e6 / rps(lib), overUs: 1e6 / rps(lib) - 1e6 / rps('bare'), cpu: cpu(lib), overCpu: cpu(lib) - cpu('bare') }
    }
    const { libs } = row
    row.encryptedThroughput = libs['ours-encrypted'].rps / libs['secure-session'].rps
    row.encryptedCost = libs['ours-encrypted'].overUs / libs['secure-session'].overUs
    row.floorCost = libs.ours.overUs / libs.floor.overUs
    row.floorCpu = libs.ours.overCpu / libs.floor.overCpu
    row.floorThroughput = libs.floor.rps / libs.ours.rps
    rows.push(row)
    console.log(`\n${scenario}`)
    for (const lib of LIBS) {
      const r = libs[lib]
      console.log(`  ${lib.padEnd(15)} ${r.rps.toFixed(0).padStart(7)} req/s  ${r.us.toFixed(1).padStart(6)} µs/req (${r.overUs.toFixed(1).padStart(5)} over bare)  ` +
        `server CPU ${r.cpu.toFixed(1).padStart(5)} µs/req (${r.overCpu.toFixed(1).padStart(5)} over bare)`)
    }
  }
  console.log('\n| scenario | ours-encrypted ÷ secure-session, throughput (≥ 1.5×) | the same, cost over bare | ours ÷ floor, cost over bare (≤ 1.2×) | ours ÷ floor, server CPU over bare | floor ÷ ours, throughput |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.encryptedThroughput.toFixed(2)}× | ${r.encryptedCost.toFixed(2)}× | ${r.floorCost.toFixed(2)}× | ${r.floorCpu.toFixed(2)}× | ${r.floorThroughput.toFixed(2)}× |`)
  }
}

if (process.argv[2] === 'serve') {
  serve(process.argv[3], process.argv[4]).catch((err) => { console.error(err.stack || String(err)); process.exit(1) })
} else {
  main().catch((err) => { console.error(err.stack || String(err)); process.exit(1) })
}
