'use strict'
// Store-mode benchmark: express-session + connect-redis against our store mode over the same
// RedisStore and the same Redis server (started here, in a temp directory, on a free port). Each
// library runs in its own server child (bench/store-server.js); autocannon drives them, interleaved
// round by round with a bare server as the baseline. Not part of npm test. Keep runs short on
// shared machines.
//
// Before measuring, each library's Redis commands per request are counted (seen by a MONITOR
// connection over sequential requests, which tells the commands a client sent, each a round trip,
// from those a Lua script ran; INFO commandstats counts both alike): what a request costs in round
// trips, and that a read-only request writes nothing. With --before <dist folder>, another build of ours runs beside this one (e.g. a
// worktree of an older commit, built: --before /tmp/before/dist), to show what a change costs.
//
//   node bench/store.js [--rounds 3] [--duration 3] [--quick] [--scenario read,write,new] [--connections 10] [--before <dist>]
const { fork, spawn } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const autocannon = require('autocannon')

// ours-express: ours with express-session's own options, as an app that only changed its require.
const LIBRARIES = ['express-session', 'ours', 'ours-express']
/** Sequential requests per library and scenario whose Redis commands are counted. */
const COUNTED = 200

const SCENARIOS = {
  read: { path: '/read', cookie: true, body: 'alice', what: 'valid session id, route reads req.session.user' },
  write: { path: '/write', cookie: true, body: 'ok', what: 'valid session id, route sets req.session.n to a new value' },
  // Every connection writes the same session: concurrent writes of one record. express-session
  // overwrites (the last write wins whole); ours merges, and a write that lost the race tries again.
  'write-one': { path: '/write', cookie: true, shared: true, body: 'ok', what: 'as write, all connections on one session' },
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
    else if (flag === '--before') opts.before = path.resolve(value())
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

function startServer (lib, redisPort, before) {
  const env = before === undefined ? process.env : { ...process.env, BENCH_BEFORE_DIST: before }
  const child = fork(path.join(__dirname, 'store-server.js'), [lib, String(redisPort)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env })
  return new Promise((resolve, reject) => {
    child.once('message', (msg) => resolve({ lib, child, port: msg.port, cookie: msg.cookies[0] ?? '', cookies: msg.cookies }))
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

/**
 * Every command Redis runs while `run()` runs, from a MONITOR connection: `sent` the client's own
 * (round trips), `scripted` those a Lua script ran (MONITOR marks them "lua"), by command name.
 */
async function monitored (port, run) {
  const socket = net.connect(port, '127.0.0.1')
  let text = ''
  let started
  const ready = new Promise((resolve) => { started = resolve })
  socket.on('data', (data) => {
    text += data.toString()
    if (text.startsWith('+OK\r\n')) started()
  })
  socket.write('MONITOR\r\n')
  await ready
  await run()
  // Let the last lines arrive, then stop.
  await new Promise((resolve) => setTimeout(resolve, 100))
  socket.destroy()
  const sent = {}
  const scripted = {}
  for (const [, source, command] of text.matchAll(/^\+[\d.]+ \[\d+ ([^\]]+)\] "(\w+)"/gm)) {
    const counts = source === 'lua' ? scripted : sent
    const name = command.toLowerCase()
    counts[name] = (counts[name] ?? 0) + 1
  }
  return { sent, scripted }
}

/** Redis commands per request of `server` in scenario `name` (sequential requests, nothing else running). */
async function countCommands (server, name, redisPort) {
  const { path: urlPath, cookie } = SCENARIOS[name]
  const { sent, scripted } = await monitored(redisPort, async () => {
    for (let i = 0; i < COUNTED; i++) await get(server.port, urlPath, cookie ? server.cookie : '')
  })
  const per = (counts) => Object.entries(counts).map(([command, n]) => `${command} ${+(n / COUNTED).toFixed(2)}`).join(', ')
  const total = Object.values(sent).reduce((a, b) => a + b, 0) / COUNTED
  return { roundTrips: +total.toFixed(2), sent: per(sent), scripted: per(scripted) }
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
  const { path: urlPath, cookie, shared } = SCENARIOS[name]
  // Unless the scenario shares one session, requests take the setup sessions in turn: more sessions
  // than connections, so two requests in flight at once are on different sessions.
  let next = 0
  const requests = cookie && !shared && server.cookies.length > 0
    ? [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, cookie: server.cookies[next++ % server.cookies.length] } }) }]
    : undefined
  const before = await cpuOf(server)
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}${urlPath}`,
    connections: opts.connections,
    duration: opts.duration,
    headers: cookie && server.cookie ? { cookie: server.cookie } : {},
    requests
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
  const libraries = opts.before === undefined ? LIBRARIES : [...LIBRARIES, 'before']
  for (const lib of ['none', ...libraries]) servers.push(await startServer(lib, redis.port, opts.before))
  for (const server of servers) await check(server, opts.scenarios)

  console.log(`Redis commands per request (${COUNTED} sequential requests each, seen by MONITOR):`)
  console.log('| scenario | library | round trips | commands sent | run inside scripts |\n| --- | --- | ---: | --- | --- |')
  for (const name of opts.scenarios) {
    for (const server of servers.filter((s) => s.lib !== 'none')) {
      const { roundTrips, sent, scripted } = await countCommands(server, name, redis.port)
      console.log(`| ${name} | ${server.lib} | ${roundTrips} | ${sent} | ${scripted || '-'} |`)
    }
  }
  console.log('')
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

  // Each build of ours against express-session, and ours against the build before.
  const ours = libraries.filter((lib) => lib !== 'express-session')
  const header = ['scenario', ...libraries.map((lib) => `${lib} µs/req`), ...ours.map((lib) => `${lib} ÷ express-session`)]
  if (opts.before !== undefined) header.push('ours ÷ before')
  const table = (cost) => {
    console.log(`| ${header.join(' | ')} |\n|${header.map(() => ' --- ').join('|')}|`)
    for (const name of opts.scenarios) {
      const row = [name, ...libraries.map((lib) => cost(name, lib).toFixed(1)), ...ours.map((lib) => `${(cost(name, lib) / cost(name, 'express-session')).toFixed(2)}×`)]
      if (opts.before !== undefined) row.push(`${(cost(name, 'ours') / cost(name, 'before')).toFixed(2)}×`)
      console.log(`| ${row.join(' | ')} |`)
    }
  }
  console.log(`\n${opts.rounds} round(s) × ${opts.duration} s, ${opts.connections} connections, Node ${process.version}, ${os.cpus().length} cores; medians over rounds`)
  table((name, lib) => 1e6 / median(rps[name][lib]) - 1e6 / median(rps[name].none))
  console.log(`(baseline rps: ${opts.scenarios.map((name) => `${name} ${Math.round(median(rps[name].none))}`).join(', ')})`)
  // The same by the servers' own CPU time per request (over the bare server's), which another
  // process on the machine disturbs less than it does latency.
  console.log('\nserver CPU µs/req over the bare server\'s; medians over rounds')
  table((name, lib) => median(cpu[name][lib]) - median(cpu[name].none))
  process.exit(0)
}

main().catch((err) => { console.error(`bench: ${err.message}`); process.exit(1) })
