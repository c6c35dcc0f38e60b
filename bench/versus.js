'use strict'
// Before and after: this build (dist/) against another build of ours, on the same scenarios, in one
// interleaved run, so a change can be shown not to slow anything down.
//
//   git worktree add /tmp/before <commit> && (cd /tmp/before && npm ci && npm run build)
//   node bench/versus.js --before /tmp/before/dist [--rounds 5] [--duration 3] [--scenario read,write] [--cookie after]
//
// Each (build, scenario) is its own bench/server.js child (BENCH_OURS_DIST picks the build), with a
// bare server as the baseline; rounds rotate the order. Prints, per scenario, the median µs/request
// over the baseline and the server CPU µs/request of each build, and after ÷ before for both.
const { fork } = require('node:child_process')
const path = require('node:path')
const autocannon = require('autocannon')
const { SCENARIOS } = require('./scenarios.js')

function parseArgs (argv) {
  const opts = { before: undefined, after: path.join(__dirname, '..', 'dist'), rounds: 5, duration: 3, scenarios: Object.keys(SCENARIOS), connections: 10, cookie: 'same' }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=')
    const value = () => inline ?? argv[++i]
    if (flag === '--before') opts.before = path.resolve(value())
    else if (flag === '--after') opts.after = path.resolve(value())
    else if (flag === '--rounds') opts.rounds = Number(value())
    else if (flag === '--duration') opts.duration = Number(value())
    else if (flag === '--connections') opts.connections = Number(value())
    else if (flag === '--scenario' || flag === '--scenarios') opts.scenarios = value().split(',')
    else if (flag === '--cookie') opts.cookie = value()
    else throw new Error(`bench/versus.js: unknown option ${flag}`)
  }
  if (opts.before === undefined) throw new Error('bench/versus.js: give --before <a build folder of ours, e.g. /tmp/before/dist>')
  if (opts.cookie !== 'same' && opts.cookie !== 'after') throw new Error('bench/versus.js: --cookie is "same" (the default) or "after"')
  for (const name of opts.scenarios) if (SCENARIOS[name] === undefined) throw new Error(`bench/versus.js: no scenario "${name}"`)
  return opts
}

/** A server child: `lib` ('ours' or 'none') on `scenario`, with `dist` as our build. */
function start (lib, scenario, dist) {
  const child = fork(path.join(__dirname, 'server.js'), [lib, scenario], {
    env: { ...process.env, BENCH_OURS_DIST: dist ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc']
  })
  let nextId = 0
  const waiting = new Map()
  const ready = new Promise((resolve, reject) => {
    child.on('message', (msg) => {
      if (msg.type === 'ready') resolve(msg)
      else if (msg.type === 'unsupported') reject(new Error(`${lib} ${scenario}: unsupported (${msg.reason})`))
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

async function load (server, port, cookie, seconds, connections) {
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
  const opts = parseArgs(process.argv.slice(2))
  console.log(`bench/versus.js: after = ${opts.after}, before = ${opts.before}; ${opts.rounds} rounds × ${opts.duration} s`)
  const rows = []
  for (const scenario of opts.scenarios) {
    const servers = { after: start('ours', scenario, opts.after), before: start('ours', scenario, opts.before), baseline: start('none', scenario) }
    const ready = {}
    for (const [label, server] of Object.entries(servers)) ready[label] = await server.ready
    // Both builds must write the same cookie for the scenario's request, or they measure different
    // paths; unless the change is to the cookie itself (--cookie after): then both are sent the
    // after build's, which the before build must read as a session too.
    if (ready.after.cookie !== ready.before.cookie && !SCENARIOS[scenario].encrypted) {
      if (opts.cookie !== 'after') {
        throw new Error(`${scenario}: the builds wrote different cookies (give --cookie after if that is the change):\n  after:  ${ready.after.cookie}\n  before: ${ready.before.cookie}`)
      }
      console.log(`${scenario}: the builds write different cookies; both are sent the after build's:\n  after:  ${ready.after.cookie}\n  before: ${ready.before.cookie}`)
    }
    const cookie = ready.after.cookie
    const samples = { after: [], before: [], baseline: [] }
    const order = ['baseline', 'after', 'before']
    for (const label of order) await load(servers[label], ready[label].port, cookie, 1, opts.connections) // warm-up
    for (let round = 0; round < opts.rounds; round++) {
      const rotated = order.slice(round % 3).concat(order.slice(0, round % 3))
      for (const label of rotated) samples[label].push(await load(servers[label], ready[label].port, cookie, opts.duration, opts.connections))
    }
    for (const server of Object.values(servers)) server.stop()
    const base = 1e6 / median(samples.baseline.map((s) => s.rps))
    const us = (label) => 1e6 / median(samples[label].map((s) => s.rps)) - base
    const cpu = (label) => median(samples[label].map((s) => s.cpu)) - median(samples.baseline.map((s) => s.cpu))
    const row = { scenario, afterUs: us('after'), beforeUs: us('before'), afterCpu: cpu('after'), beforeCpu: cpu('before') }
    row.ratio = row.afterUs / row.beforeUs
    row.cpuRatio = row.afterCpu / row.beforeCpu
    rows.push(row)
    console.log(`${scenario.padEnd(20)} µs/req after ${row.afterUs.toFixed(1).padStart(6)} before ${row.beforeUs.toFixed(1).padStart(6)}  ${row.ratio.toFixed(2)}×   ` +
      `server CPU µs/req after ${row.afterCpu.toFixed(1).padStart(6)} before ${row.beforeCpu.toFixed(1).padStart(6)}  ${row.cpuRatio.toFixed(2)}×`)
  }
  console.log('\n| scenario | after µs/req | before µs/req | after ÷ before | after CPU µs | before CPU µs | CPU after ÷ before |')
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    console.log(`| ${r.scenario} | ${r.afterUs.toFixed(1)} | ${r.beforeUs.toFixed(1)} | ${r.ratio.toFixed(2)}× | ${r.afterCpu.toFixed(1)} | ${r.beforeCpu.toFixed(1)} | ${r.cpuRatio.toFixed(2)}× |`)
  }
}

main().catch((err) => { console.error(err.stack || String(err)); process.exit(1) })
