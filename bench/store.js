'use strict'
// Store-mode benchmark: express-session + connect-redis against our store mode over the same
// RedisStore and the same Redis server (started here, in a temp directory, on a free port). Each
// library runs in its own server child (bench/store-server.js); autocannon drives them, interleaved
// round by round with a bare server as the baseline. Not part of npm test. Keep runs short on
// shared machines.
//
//   node bench/store.js [--rounds 3] [--duration 3] [--quick] [--scenario read,write,new] [--connections 10]
const { fork, spawn } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const autocannon = require('autocannon')

const LIBRARIES = ['express-session', 'ours', 'ours-express']
// BENCH_BEFORE=<another build's dist/ folder>: that build too, as `ours-before`, in the same rounds.
if (process.env.BENCH_BEFORE) LIBRARIES.push('ours-before')

const SCENARIOS = {
  read: { path: '/read', cookie: true, body: 'alice', what: 'valid session id, route reads req.session.user' },
  write: { path: '/write', cookie: true, body: 'ok', what: 'valid session id, route sets req.session.n to a new value' },
  new: { path: '/new', cookie: false, body: 'ok', what: 'no cookie, route sets req.session.user (a new record each time)' }
}

function parseArgs (argv) {
  const opts = { rounds: 3, duration: 3, connections: 10, scenarios: Object.keys(SCENARIOS) }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=')
    const value = () => inline ?? argv[++i]
    if (flag === '--rounds') opts.rounds = Math.max(1, Math.round(Number(value())))
    else if (flag === '--duration') opts.duration = Number(value())
    else if (flag === '--quick') Object.assign(opts, { rounds: 1, duration: 1 })
    else if (flag === '--scenario') opts.scenarios = value().split(',')
    else if (flag === '--connections') opts.connections = Math.max(1, Math.round(Number(value())))
    else throw new Error(`unknown argument ${argv[i]}`)
  }
  for (const name of opts.scenarios) if (!SCENARIOS[name]) throw new Error(`unknown scenario ${name}`)
  if (!(opts.duration > 0)) throw new Error('--duration needs a positive number of seconds')
  return opts
}

function freePort () {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** A Redis server that keeps nothing on disk; resolves once it answers PING. */
async function startRedis () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scs-bench-redis-'))
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
  child.once('error', (err) => { console.error(`bench: cannot start redis-server (${err.message}); install it: .ci/apt-install redis-server`); process.exit(1) })
  const stop = () => { child.kill(); fs.rmSync(dir, { recursive: true, force: true }) }
  for (let i = 0; i < 100; i++) {
    if (await ping(port)) return { port, stop }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  stop()
  throw new Error('redis-server did not answer PING within 5 s')
}

function ping (port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write('PING\r\n'))
    socket.once('data', (data) => { socket.end(); resolve(data.toString().startsWith('+PONG')) })
    socket.once('error', () => resolve(false))
  })
}

function startServer (lib, redisPort) {
  const child = fork(path.join(__dirname, 'store-server.js'), [lib, String(redisPort)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve({ lib, child, port: msg.port, cookie: msg.cookie }))
    child.once('exit', (code) => reject(new Error(`${lib} server exited (${code}) before it was ready`)))
  })
}

function get (port, urlPath, cookie) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, headers: cookie ? { cookie } : {} }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode, body }))
    }).on('error', reject)
  })
}

/** Each server must answer every scenario correctly, and really write to the store, before it is measured. */
async function check (server, names) {
  for (const name of names) {
    const { path: urlPath, cookie, body } = SCENARIOS[name]
    const res = await get(server.port, urlPath, cookie ? server.cookie : '')
    if (res.status !== 200 || res.body !== body) throw new Error(`${server.lib} ${name}: answered ${res.status} ${JSON.stringify(res.body)}, expected 200 ${JSON.stringify(body)}`)
  }
  if (server.lib === 'none') return
  const before = Number((await get(server.port, '/count', server.cookie)).body)
  await get(server.port, '/write', server.cookie)
  const after = Number((await get(server.port, '/count', server.cookie)).body)
  if (!(after > before)) throw new Error(`${server.lib}: /write did not reach the store (n ${before} -> ${after})`)
}

/** The server child's CPU time so far, in µs (user + system). */
function cpuOf (server) {
  return new Promise((resolve) => {
    const listener = (msg) => {
      if (msg.type !== 'cpu') return
      server.child.off('message', listener)
      resolve(msg.usage.user + msg.usage.system)
    }
    server.child.on('message', listener)
    server.child.send({ cmd: 'cpu' })
  })
}

/** Requests per second, and the server's CPU µs per request. */
async function measure (server, name, opts) {
  const { path: urlPath, cookie } = SCENARIOS[name]
  const before = await cpuOf(server)
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${urlPath}`,
    connections: opts.connections,
    duration: opts.duration,
    headers: cookie && server.cookie ? { cookie: server.cookie } : {}
  })
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${server.lib} ${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  const cpu = (await cpuOf(server) - before) / result.requests.total
  return { rps: result.requests.average, cpu }
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

async function main () {
  const opts = parseArgs(process.argv.slice(2))
  const redis = await startRedis()
  const servers = []
  process.on('exit', () => { for (const s of servers) s.child.kill(); redis.stop() })
  for (const lib of ['none', ...LIBRARIES]) servers.push(await startServer(lib, redis.port))
  for (const server of servers) await check(server, opts.scenarios)
  // One discarded run per server and scenario: the first seconds of a process measure the JIT.
  for (const name of opts.scenarios) for (const server of servers) await measure(server, name, { ...opts, duration: Math.min(1, opts.duration / 2) })

  const rps = {} // rps[scenario][lib] = [round values]
  const cpu = {} // cpu[scenario][lib] = [server CPU µs per request, by round]
  for (let round = 0; round < opts.rounds; round++) {
    // Rotate the scenario order and alternate the library order, so drift hits everyone alike.
    const names = opts.scenarios.map((_, i) => opts.scenarios[(i + round) % opts.scenarios.length])
    const order = round % 2 ? [...servers].reverse() : servers
    for (const name of names) {
      for (const server of order) {
        rps[name] ??= {}
        cpu[name] ??= {}
        const measured = await measure(server, name, opts)
        ;(rps[name][server.lib] ??= []).push(measured.rps)
        ;(cpu[name][server.lib] ??= []).push(measured.cpu)
      }
    }
    console.log(`round ${round + 1}/${opts.rounds} done`)
  }

  const cost = (name, lib) => 1e6 / median(rps[name][lib]) - 1e6 / median(rps[name].none)
  const header = ['scenario', ...LIBRARIES.map((lib) => `${lib} µs/req`)]
  const ours = LIBRARIES.filter((lib) => lib.startsWith('ours'))
  for (const lib of ours) header.push(`${lib} ÷ express-session`)
  console.log(`\n${opts.rounds} round(s) × ${opts.duration} s, ${opts.connections} connections, Node ${process.version}, ${os.cpus().length} cores; medians over rounds`)
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`)
  for (const name of opts.scenarios) {
    const row = [name, ...LIBRARIES.map((lib) => cost(name, lib).toFixed(1))]
    for (const lib of ours) row.push(`${(cost(name, lib) / cost(name, 'express-session')).toFixed(2)}×`)
    console.log(`| ${row.join(' | ')} |`)
  }
  console.log(`(baseline rps: ${opts.scenarios.map((name) => `${name} ${Math.round(median(rps[name].none))}`).join(', ')})`)
  // The same by the servers' own CPU time per request (over the bare server's), which another
  // process on the machine disturbs less than it does latency.
  const cpuCost = (name, lib) => median(cpu[name][lib]) - median(cpu[name].none)
  console.log(`\nserver CPU µs/req over the bare server's; medians over rounds\n| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`)
  for (const name of opts.scenarios) {
    const row = [name, ...LIBRARIES.map((lib) => cpuCost(name, lib).toFixed(1))]
    for (const lib of ours) row.push(`${(cpuCost(name, lib) / cpuCost(name, 'express-session')).toFixed(2)}×`)
    console.log(`| ${row.join(' | ')} |`)
  }
  process.exit(0)
}

main().catch((err) => { console.error(`bench: ${err.message}`); process.exit(1) })
