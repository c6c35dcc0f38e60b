'use strict'
// HTTP benchmark: signed-cookie-session (ours) against cookie-session 2.1.1 (theirs) on plain
// node:http, with the floor (bench/floor.js) beside them. Each (library, scenario) server runs in
// its own child process (bench/server.js); autocannon drives them from this process, interleaved
// round by round. See bench/README.md.
//
//   node bench/run.js [--rounds 5] [--duration 3] [--warmup 1] [--quick] [--scenario read,write]
//                     [--micro] [--cpu-prof] [--no-build] [--connections 10]
const { fork, spawnSync } = require('node:child_process')
const fs = require('node:fs')
const http = require('node:http')
const os = require('node:os')
const path = require('node:path')
const autocannon = require('autocannon')
const Keygrip = require('keygrip')
const { KEYS, NAME, SCENARIOS, ENCRYPTED_TARGET } = require('./scenarios.js')
const { summarise, format: formatProfile } = require('./profile.js')

const ROOT = path.resolve(__dirname, '..')
const BENCH = __dirname

// ---------------------------------------------------------------------------------------------
// Options

const DEFAULTS = Object.freeze({ rounds: 5, duration: 3, warmup: 1, warmupEach: 0, connections: 10 })

function parseArgs (argv) {
  const opts = { ...DEFAULTS, scenarios: null, micro: false, cpuProf: false, build: true, quick: false, noise: 'read' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i]
      if (v === undefined) die(`${arg} needs a value`)
      return v
    }
    const number = () => {
      const n = Number(value())
      if (!(n > 0)) die(`${arg} needs a positive number`)
      return n
    }
    const flag = arg.split('=')[0]
    switch (flag) {
      case '--rounds': opts.rounds = Math.round(number()); break
      case '--duration': opts.duration = number(); break
      case '--warmup': opts.warmup = number(); break
      case '--warmup-each': opts.warmupEach = Number(value()); break
      case '--connections': opts.connections = Math.round(number()); break
      case '--scenario': case '--scenarios':
        opts.scenarios = (opts.scenarios || []).concat(value().split(',').filter(Boolean)); break
      case '--noise': opts.noise = value(); break
      case '--quick': opts.quick = true; break
      case '--micro': opts.micro = true; break
      case '--cpu-prof': opts.cpuProf = true; break
      case '--no-build': opts.build = false; break
      case '--help': case '-h':
        console.log(fs.readFileSync(path.join(BENCH, 'README.md'), 'utf8'))
        process.exit(0)
        break
      default: die(`unknown argument ${arg} (see bench/README.md)`)
    }
  }
  if (opts.quick) {
    opts.rounds = 1
    opts.duration = 1
    opts.warmup = Math.min(opts.warmup, 0.5)
  }
  for (const name of opts.scenarios || []) {
    if (!SCENARIOS[name]) die(`unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`)
  }
  return opts
}

function die (message) {
  console.error(`\nbench: ${message}\n`)
  for (const server of servers) server.kill()
  process.exit(1)
}

// ---------------------------------------------------------------------------------------------
// Build

function newestMtime (dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : fs.statSync(file).mtimeMs)
  }
  return newest
}

function build (opts) {
  const entry = path.join(ROOT, 'dist', 'index.js')
  const stale = !fs.existsSync(entry) || fs.statSync(entry).mtimeMs < newestMtime(path.join(ROOT, 'src'))
  if (!stale) return
  if (!opts.build) return console.warn('bench: dist/ is missing or older than src/ (--no-build given, using it anyway)')
  console.log('bench: dist/ is missing or older than src/: npm run build')
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0 || !fs.existsSync(entry)) die('npm run build failed')
}

function gitState () {
  const git = (...args) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() || ''
  const dirty = git('status', '--porcelain', '--', 'src').length > 0
  return `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ' (src/ has uncommitted changes)' : ''}`
}

// ---------------------------------------------------------------------------------------------
// Server children

const servers = []

class Server {
  constructor (lib, scenario, opts, label = lib) {
    this.lib = lib
    this.scenario = scenario
    this.label = label
    const execArgv = opts.cpuProf
      ? ['--cpu-prof', '--cpu-prof-dir', path.join(BENCH, 'profiles'), '--cpu-prof-name', `${label}-${scenario}-${Date.now()}.cpuprofile`]
      : []
    this.child = fork(path.join(BENCH, 'server.js'), [lib, scenario], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })))
    this.waiting = new Map()
    this.nextId = 0
    // Listen from the start: the child may report before anyone asks.
    this.readyPromise = new Promise((resolve, reject) => {
      const onMessage = (msg) => {
        if (msg.type !== 'ready' && msg.type !== 'unsupported') return
        this.child.off('message', onMessage)
        if (msg.type === 'ready') Object.assign(this, { port: msg.port, cookie: msg.cookie })
        resolve(msg)
      }
      this.child.on('message', onMessage)
      this.exited.then(({ code, signal }) => reject(new Error(`server ${label} ${scenario} exited (${signal || code}) before it was ready`)))
    })
    this.readyPromise.catch(() => {})
    this.child.on('message', (msg) => {
      if (msg.type === 'cpu' && this.waiting.has(msg.id)) {
        this.waiting.get(msg.id)(msg)
        this.waiting.delete(msg.id)
      }
    })
    servers.push(this)
  }

  /** Resolves with { type: 'ready', port, cookie } or { type: 'unsupported', reason }. */
  ready () {
    return this.readyPromise
  }

  /** Server CPU time used so far, in µs. */
  cpu () {
    return new Promise((resolve) => {
      const id = this.nextId++
      this.waiting.set(id, (msg) => resolve(msg.usage.user + msg.usage.system))
      this.child.send({ cmd: 'cpu', id })
    })
  }

  async stop () {
    if (this.child.connected) this.child.send({ cmd: 'exit' })
    const timer = setTimeout(() => this.kill(), 5000)
    await this.exited
    clearTimeout(timer)
  }

  kill () {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL')
  }
}

// ---------------------------------------------------------------------------------------------
// Response checks: each server must answer the scenario's request correctly before it is measured.

function request (port, cookie) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: '/', agent: false, headers: cookie ? { cookie } : {} }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => { body += chunk })
      res.on('end', () => resolve({ status: res.statusCode, body, setCookie: res.headers['set-cookie'] || [] }))
    })
    req.on('error', reject)
    req.end()
  })
}

function cookieValue (lines, name) {
  for (const line of lines) {
    const pair = line.split(';')[0]
    const eq = pair.indexOf('=')
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1)
  }
  return undefined
}

async function check (server, name, cookie) {
  const spec = SCENARIOS[name]
  const expectCookie = server.lib !== 'none' && spec.setCookie
  // A baseline server is shared by the scenarios that send the same Cookie length; it answers the
  // body of the scenario it was started for.
  const body = server.lib === 'none' ? SCENARIOS[server.scenario].body : spec.body
  const problems = []
  const responses = [await request(server.port, cookie), await request(server.port, cookie)]
  for (const res of responses) {
    if (res.status !== 200) problems.push(`status ${res.status}, expected 200`)
    if (res.body !== body) problems.push(`body ${JSON.stringify(res.body)}, expected ${JSON.stringify(body)}`)
    if (expectCookie !== (res.setCookie.length > 0)) {
      problems.push(expectCookie ? 'no Set-Cookie, expected one' : `unexpected Set-Cookie: ${res.setCookie.join(' | ')}`)
    }
  }
  const [first, second] = responses
  const value = cookieValue(first.setCookie, NAME)
  const sig = cookieValue(first.setCookie, NAME + '.sig')
  const signedWithKey0 = value !== undefined && sig !== undefined && new Keygrip([KEYS[0]]).verify(NAME + '=' + value, sig)
  if (server.lib !== 'none' && problems.length === 0) {
    if (spec.encrypted || spec.large) {
      if (spec.setCookie && value === cookieValue(second.setCookie, NAME)) problems.push('the same cookie was written twice; the route must write a fresh value')
    } else if (name === 'tampered') {
      if (sig !== '' || !first.setCookie.some((line) => line.startsWith(NAME + '.sig=;') && /expires=Thu, 01 Jan 1970/.test(line))) {
        problems.push(`expected ${NAME}.sig to be cleared, got ${first.setCookie.join(' | ')}`)
      }
    } else if (name === 'rotation' || name === 'koa-rotation') {
      // cookie-session and koa-session re-send only the .sig; ours re-sends both. Either way: signed with keys[0].
      const sent = cookieValue(cookie.split('; '), NAME)
      if ((value !== undefined && value !== sent) || sig === undefined || !new Keygrip([KEYS[0]]).verify(NAME + '=' + sent, sig)) {
        problems.push(`expected the session re-signed with keys[0], got ${first.setCookie.join(' | ')}`)
      }
    } else if (spec.setCookie) {
      if (!signedWithKey0) problems.push(`Set-Cookie is not a session signed with keys[0]: ${first.setCookie.join(' | ')}`)
      if (name === 'write' && value === cookieValue(second.setCookie, NAME)) problems.push('the same cookie was written twice; the route must write a fresh value')
    }
  }
  if (problems.length > 0) {
    die(`check failed: ${server.label} on scenario "${name}" (Cookie: ${cookie || 'none'}):\n  ` +
      [...new Set(problems)].join('\n  ') + '\nThe benchmark would measure the wrong path; nothing was measured.')
  }
}

// ---------------------------------------------------------------------------------------------
// Measuring

async function load (server, cookie, seconds, connections) {
  const cpu0 = await server.cpu()
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/`,
    connections,
    pipelining: 1,
    duration: seconds,
    headers: cookie ? { cookie } : {}
  })
  const cpu1 = await server.cpu()
  const bad = result.errors + result.timeouts + result.non2xx + result.resets
  if (bad > 0 || result.requests.total === 0) {
    die(`${server.label} on "${server.scenario}": ${result.errors} errors, ${result.timeouts} timeouts, ` +
      `${result.non2xx} non-2xx, ${result.resets} resets out of ${result.requests.total} requests`)
  }
  const elapsed = (new Date(result.finish) - new Date(result.start)) / 1000 || seconds
  return {
    rps: result.requests.total / elapsed,
    requests: result.requests.total,
    cpuUsPerRequest: (cpu1 - cpu0) / result.requests.total,
    serverCpu: (cpu1 - cpu0) / 1e6 / elapsed,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99
  }
}

function median (values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b)
  if (sorted.length === 0) return NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

// ---------------------------------------------------------------------------------------------
// Reporting

const fmt = {
  rps: (v) => Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : '—',
  us: (v) => Number.isFinite(v) ? v.toFixed(2) : '—',
  ratio: (v) => Number.isFinite(v) ? v.toFixed(2) + '×' : '—'
}

function markdown (report) {
  const { rows, noise, machine, settings, micro, notes } = report
  const out = []
  out.push('| scenario | baseline rps | ours rps | cookie-session rps | ours µs/req | cookie-session µs/req | floor µs/req | overhead ratio | floor ratio | target | result |')
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |')
  for (const r of rows) {
    out.push(`| ${r.scenario} | ${fmt.rps(r.baseline.rps)} | ${fmt.rps(r.ours.rps)} | ${fmt.rps(r.theirs?.rps)} | ${fmt.us(r.ours.overheadUs)} | ` +
      `${fmt.us(r.theirs?.overheadUs)} | ${fmt.us(r.floor?.overheadUs)} | ${fmt.ratio(r.ratio)} | ${fmt.ratio(r.floorRatio)} | ${r.targetText} | ${r.result} |`)
  }
  out.push('')
  out.push('Cross-checks: server CPU time per request (the server child\'s `process.cpuUsage()`, which does not')
  out.push('depend on how fast the load generator sharing the 2 cores keeps up), and the ratio computed within')
  out.push('each round (immune to the machine drifting between rounds):')
  out.push('')
  out.push('| scenario | baseline CPU µs/req | ours CPU µs/req over baseline | cookie-session CPU µs/req over baseline | floor CPU µs/req over baseline | CPU overhead ratio | floor CPU ratio | per-round rps ratios: median (min–max) |')
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    const rr = r.roundRatios
    const spread = rr ? `${fmt.ratio(median(rr))} (${Math.min(...rr).toFixed(2)}–${Math.max(...rr).toFixed(2)})` : '—'
    out.push(`| ${r.scenario} | ${fmt.us(r.baseline.cpuUs)} | ${fmt.us(r.ours.cpuOverheadUs)} | ${fmt.us(r.theirs?.cpuOverheadUs)} | ` +
      `${fmt.us(r.floor?.cpuOverheadUs)} | ${fmt.ratio(r.cpuRatio)} | ${fmt.ratio(r.floorCpuRatio)} | ${spread} |`)
  }
  out.push('')
  if (noise) {
    out.push(`Noise floor: cookie-session against a second cookie-session server on "${noise.scenario}", interleaved: ` +
      `overhead ratio ${fmt.ratio(noise.ratio)} (${fmt.us(noise.overheadA)} vs ${fmt.us(noise.overheadB)} µs/req; ` +
      `CPU ratio ${fmt.ratio(noise.cpuRatio)}). Ratios this far from 1.00× are noise.`)
  }
  if (micro) {
    out.push(`Encrypted mode vs iron-session (bench/micro.js, ${micro.date}): ${micro.text}`)
  }
  for (const note of notes) out.push(note)
  out.push('')
  out.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.os}; Node ${machine.node}; ${machine.date}; ` +
    `commit ${machine.commit}.`)
  out.push(`Settings: ${settings.rounds} rounds × ${settings.duration} s per run (median of rounds), ${settings.connections} connections, ` +
    `pipelining 1, ${settings.warmup} s warm-up per server; autocannon ${settings.autocannon}, cookie-session ${settings.cookieSession}.`)
  out.push('Overhead = 1e6/rps − 1e6/rps(baseline): µs of server time per request over a server without session middleware ' +
    '(same requests). Ratio = ours / cookie-session; lower is better.')
  out.push('Floor = bench/floor.js, a minimal middleware on cookies + keygrip + on-headers (no checks, no Proxy, no size limit); ' +
    'floor ratio = floor / cookie-session. "(target below floor)": the target is lower than both the floor\'s rps ratio and its ' +
    'CPU ratio in this run, so a full library on those packages is not expected to meet it on this machine. On read-only ' +
    'routes the floor serialises the session to see that nothing changed, so there it is not a lower bound.')
  return out.join('\n') + '\n'
}

function escapeXml (s) {
  return String(s).replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' }[c]))
}

/** A horizontal bar chart of µs/req overhead per scenario, ours vs cookie-session. */
function svg (report) {
  const rows = report.rows
  const bar = 14
  const gap = 4
  const group = bar * 2 + gap + 14
  const left = 150
  const width = 700
  const plot = width - left - 90
  const top = 40
  const height = top + rows.length * group + 30
  const max = Math.max(1e-9, ...rows.flatMap((r) => [r.ours.overheadUs, r.theirs?.overheadUs ?? 0]).filter(Number.isFinite))
  const scale = (v) => Math.max(0, Math.min(1, (Number.isFinite(v) ? v : 0) / max)) * plot
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="${left}" y="18" font-size="14" font-weight="bold">Session middleware overhead, µs per request (lower is better)</text>`,
    `<rect x="${left}" y="26" width="10" height="10" fill="#2b7bb9"/><text x="${left + 14}" y="35">signed-cookie-session</text>`,
    `<rect x="${left + 160}" y="26" width="10" height="10" fill="#c8553d"/><text x="${left + 174}" y="35">cookie-session 2.1.1 (koa-* rows: koa-session 7)</text>`,
    `<line x1="${left + 495}" y1="25" x2="${left + 495}" y2="37" stroke="#222" stroke-width="2" stroke-dasharray="3,2"/><text x="${left + 501}" y="35">floor</text>`
  ]
  rows.forEach((r, i) => {
    const y = top + i * group + 6
    parts.push(`<text x="${left - 8}" y="${y + bar + 4}" text-anchor="end">${escapeXml(r.scenario)}</text>`)
    const bars = [['#2b7bb9', r.ours.overheadUs], ['#c8553d', r.theirs?.overheadUs]]
    bars.forEach(([color, value], j) => {
      const by = y + j * (bar + gap)
      if (value === undefined) {
        parts.push(`<text x="${left + 4}" y="${by + bar - 3}" fill="#888">no counterpart</text>`)
        return
      }
      const w = scale(value)
      parts.push(`<rect x="${left}" y="${by}" width="${w.toFixed(1)}" height="${bar}" fill="${color}"/>`)
      parts.push(`<text x="${(left + w + 4).toFixed(1)}" y="${by + bar - 3}">${fmt.us(value)}</text>`)
    })
    // The floor (bench/floor.js): a dashed mark across both bars at its µs/req.
    if (Number.isFinite(r.floor?.overheadUs)) {
      const x = (left + scale(r.floor.overheadUs)).toFixed(1)
      parts.push(`<line x1="${x}" y1="${y - 2}" x2="${x}" y2="${y + 2 * bar + gap + 2}" stroke="#222" stroke-width="2" stroke-dasharray="3,2"/>`)
    }
  })
  parts.push(`<line x1="${left}" y1="${top}" x2="${left}" y2="${height - 24}" stroke="#333"/>`)
  parts.push(`<text x="${left}" y="${height - 8}" fill="#555">${escapeXml(`Node ${report.machine.node}, ${report.machine.cores} × ${report.machine.cpu}, ${report.machine.date.slice(0, 10)}`)}</text>`)
  parts.push('</svg>')
  return parts.join('\n') + '\n'
}

function readMicro () {
  const file = path.join(BENCH, 'micro.json')
  if (!fs.existsSync(file)) return undefined
  try {
    const micro = JSON.parse(fs.readFileSync(file, 'utf8'))
    const e = micro.encryption
    if (!e || !Number.isFinite(e.ratio)) {
      return { date: micro.date, ratio: NaN, text: 'our encryption codec was not found in dist/, so not measured (n/a)' }
    }
    return {
      date: micro.date,
      ratio: e.ratio,
      text: `our seal+unseal ${fmt.rps(e.oursOpsPerSec)}/s vs iron-session ${fmt.rps(e.ironOpsPerSec)}/s = ` +
        `${e.ratio.toFixed(1)}× (target ≥ ${ENCRYPTED_TARGET}×: ${e.ratio >= ENCRYPTED_TARGET ? 'PASS' : 'FAIL'})`
    }
  } catch {
    return undefined
  }
}

// ---------------------------------------------------------------------------------------------

async function main () {
  const opts = parseArgs(process.argv.slice(2))
  build(opts)
  const selected = opts.scenarios || Object.keys(SCENARIOS)
  // Only a default run replaces the committed bench/results.*; anything else goes to bench/.tmp/.
  const partial = opts.quick || opts.scenarios !== null || opts.cpuProf || opts.noise !== 'read' ||
    Object.keys(DEFAULTS).some((key) => opts[key] !== DEFAULTS[key])
  const outDir = partial ? path.join(BENCH, '.tmp') : BENCH
  const notes = []

  // Which scenarios can run: encrypted ones only when our library really encrypts.
  const plan = []
  for (const name of selected) {
    const spec = SCENARIOS[name]
    const ours = new Server('ours', name, opts)
    const status = await ours.ready()
    if (status.type === 'unsupported') {
      await ours.stop()
      servers.splice(servers.indexOf(ours), 1)
      const note = `Skipped "${name}": our library does not support ${spec.large ? JSON.stringify(spec.large) : 'encrypt: true'} yet (${status.reason}).`
      console.log(`bench: ${note}`)
      notes.push(note)
      continue
    }
    const entry = { name, spec, ours, theirs: undefined, cookie: status.cookie }
    if (!spec.encrypted && !spec.large) {
      entry.theirs = new Server('theirs', name, opts)
      await entry.theirs.ready()
      // koa-session writes its own fields (_expire, _maxAge); it reads ours, and both get ours.
      if (spec.framework !== 'koa' && entry.theirs.cookie !== entry.cookie) {
        die(`the libraries wrote different cookies for "${name}":\n  ours:           ${entry.cookie}\n  cookie-session: ${entry.theirs.cookie}`)
      }
      // The floor: what any middleware on cookies + keygrip + on-headers costs at least.
      entry.floor = new Server('floor', name, opts)
      await entry.floor.ready()
      if (spec.framework !== 'koa' && entry.floor.cookie !== entry.cookie) {
        die(`the libraries wrote different cookies for "${name}":\n  ours:  ${entry.cookie}\n  floor: ${entry.floor.cookie}`)
      }
    }
    plan.push(entry)
  }
  if (plan.length === 0) die('no scenario to run')

  // One baseline server per Cookie header size: the baseline ignores the cookie, so requests whose
  // Cookie headers are within 16 bytes of each other cost it the same, and the scenarios sending
  // them share one baseline run per round (that keeps the default run near 14 minutes).
  const groups = new Map()
  for (const entry of plan) {
    const framework = entry.spec.framework ?? 'node'
    let key = [...groups.keys()].find((k) => k.startsWith(framework + ':') && Math.abs(Number(k.slice(framework.length + 1)) - entry.cookie.length) <= 16)
    if (key === undefined) {
      key = `${framework}:${entry.cookie.length}`
      groups.set(key, { baseline: new Server('none', entry.name, opts, 'baseline'), cookie: entry.cookie, entries: [] })
    }
    groups.get(key).entries.push(entry)
    entry.group = groups.get(key)
    entry.groupKey = key
  }
  for (const group of groups.values()) await group.baseline.ready()

  // The noise floor: a second, separately started cookie-session server on one scenario.
  const noiseEntry = plan.find((e) => e.name === opts.noise && e.theirs) || plan.find((e) => e.theirs)
  if (noiseEntry) {
    noiseEntry.theirs2 = new Server('theirs', noiseEntry.name, opts, 'theirs2')
    await noiseEntry.theirs2.ready()
  }

  // Every server must answer its scenario correctly before anything is measured.
  for (const entry of plan) {
    for (const server of [entry.group.baseline, entry.ours, entry.theirs, entry.floor, entry.theirs2]) {
      if (server) await check(server, entry.name, entry.cookie)
    }
  }
  console.log(`bench: responses checked (status, body, Set-Cookie) for ${plan.length} scenarios on ${servers.length} servers`)

  const runsPerRound = groups.size + plan.reduce((n, e) => n + 1 + (e.theirs ? 1 : 0) + (e.floor ? 1 : 0) + (e.theirs2 ? 1 : 0), 0)
  const estimate = opts.rounds * runsPerRound * (opts.duration + opts.warmupEach + 0.1) + servers.length * (opts.warmup + 0.1)
  console.log(`bench: ${plan.map((e) => e.name).join(', ')}; ${opts.rounds} rounds × ${runsPerRound} runs × ${opts.duration} s, ` +
    `${opts.connections} connections, ${opts.warmup} s warm-up on each of ${servers.length} servers`)
  console.log(`bench: estimated time ${Math.floor(estimate / 60)} min ${Math.round(estimate % 60)} s` +
    `${opts.cpuProf ? ' (CPU profiling on: the numbers are perturbed)' : ''}`)
  const started = Date.now()

  // Warm-up: each server once (JIT, connection setup), results discarded.
  for (const group of groups.values()) await load(group.baseline, group.cookie, opts.warmup, opts.connections)
  for (const entry of plan) {
    for (const server of [entry.ours, entry.theirs, entry.floor, entry.theirs2]) {
      if (server) await load(server, entry.cookie, opts.warmup, opts.connections)
    }
  }

  // Rounds: per cookie length, the baseline, then each scenario's libraries, their order rotating.
  const measure = async (server, cookie) => {
    if (opts.warmupEach > 0) await load(server, cookie, opts.warmupEach, opts.connections)
    return load(server, cookie, opts.duration, opts.connections)
  }
  const samples = new Map() // `${scenario}/${label}` or `baseline/${cookie length}` -> [run]
  const record = (key, run) => samples.set(key, [...(samples.get(key) || []), run])
  // The machine drifts by 10-20% over minutes, and what ran just before a run can matter, so the
  // order of the groups and of the scenarios in them rotates each round too.
  const rotate = (list, by) => list.map((_, i) => list[(i + by) % list.length])
  for (let round = 0; round < opts.rounds; round++) {
    for (const [key, group] of rotate([...groups], round)) {
      const base = await measure(group.baseline, group.cookie)
      record(`baseline/${key}`, base)
      for (const entry of rotate(group.entries, round)) {
        // Rotated by one each round (for two libraries: alternating), so each runs first, last, between.
        const order = rotate([entry.ours, entry.theirs, entry.floor, entry.theirs2].filter(Boolean), round)
        const line = [`round ${round + 1}/${opts.rounds} ${entry.name.padEnd(15)} baseline ${fmt.rps(base.rps).padStart(7)}`]
        for (const server of order) {
          const run = await measure(server, entry.cookie)
          record(`${entry.name}/${server.label}`, run)
          line.push(`${server.label} ${fmt.rps(run.rps).padStart(7)}`)
        }
        console.log(line.join('  '))
      }
    }
  }
  const elapsed = (Date.now() - started) / 1000

  await Promise.all(servers.map((s) => s.stop()))

  if (opts.micro) {
    console.log('\nbench: node bench/micro.js')
    const result = spawnSync(process.execPath, [path.join(BENCH, 'micro.js')], { cwd: ROOT, stdio: 'inherit' })
    if (result.status !== 0) die('bench/micro.js failed')
  }

  // Summary.
  const stat = (key) => {
    const runs = samples.get(key) || []
    return { rps: median(runs.map((r) => r.rps)), cpuUs: median(runs.map((r) => r.cpuUsPerRequest)), runs }
  }
  const micro = readMicro()
  const rows = plan.map((entry) => {
    const baseline = stat(`baseline/${entry.groupKey}`)
    const over = (s) => ({ ...s, overheadUs: 1e6 / s.rps - 1e6 / baseline.rps, cpuOverheadUs: s.cpuUs - baseline.cpuUs })
    const ours = over(stat(`${entry.name}/ours`))
    const theirs = entry.theirs ? over(stat(`${entry.name}/theirs`)) : undefined
    const floor = entry.floor ? over(stat(`${entry.name}/floor`)) : undefined
    const row = { scenario: entry.name, what: entry.spec.what, baseline, ours, theirs, floor }
    if (theirs) {
      // Each round's own ratio, from runs minutes apart at most: robust to drift between rounds.
      row.roundRatios = ours.runs.map((run, i) => {
        const base = 1e6 / baseline.runs[i].rps
        return (1e6 / run.rps - base) / (1e6 / theirs.runs[i].rps - base)
      })
      row.ratio = ours.overheadUs / theirs.overheadUs
      row.cpuRatio = ours.cpuOverheadUs / theirs.cpuOverheadUs
      row.target = entry.spec.target
      row.targetText = `≤ ${entry.spec.target}×`
      row.pass = row.ratio <= entry.spec.target
      row.result = row.pass ? 'PASS' : 'FAIL'
      if (floor) {
        row.floorRatio = floor.overheadUs / theirs.overheadUs
        row.floorCpuRatio = floor.cpuOverheadUs / theirs.cpuOverheadUs
        // Both measures must agree: one median ratio alone moves by a tenth between runs.
        row.targetBelowFloor = entry.spec.target < row.floorRatio && entry.spec.target < row.floorCpuRatio
        if (row.targetBelowFloor) row.result += ' (target below floor)'
      }
    } else if (entry.spec.large) {
      row.targetText = 'vs. read3k / write3k'
      row.result = 'n/a'
    } else {
      row.targetText = `≥ ${ENCRYPTED_TARGET}× iron-session`
      row.pass = micro && Number.isFinite(micro.ratio) ? micro.ratio >= ENCRYPTED_TARGET : undefined
      row.result = row.pass === undefined ? 'n/a (micro)' : (row.pass ? 'PASS' : 'FAIL') + ' (micro)'
    }
    return row
  })
  let noise
  if (noiseEntry) {
    const baseline = stat(`baseline/${noiseEntry.groupKey}`)
    const a = stat(`${noiseEntry.name}/theirs`)
    const b = stat(`${noiseEntry.name}/theirs2`)
    const overheadA = 1e6 / a.rps - 1e6 / baseline.rps
    const overheadB = 1e6 / b.rps - 1e6 / baseline.rps
    noise = {
      scenario: noiseEntry.name,
      overheadA,
      overheadB,
      ratio: overheadB / overheadA,
      cpuRatio: (b.cpuUs - baseline.cpuUs) / (a.cpuUs - baseline.cpuUs)
    }
  }
  const pkg = (name) => JSON.parse(fs.readFileSync(require.resolve(name + '/package.json'), 'utf8')).version
  const report = {
    rows,
    noise,
    micro,
    notes,
    machine: {
      cpu: os.cpus()[0]?.model || 'unknown CPU',
      cores: os.cpus().length,
      os: `${os.type()} ${os.release()} ${os.arch()}`,
      node: process.version,
      date: new Date().toISOString(),
      commit: gitState()
    },
    settings: {
      rounds: opts.rounds,
      duration: opts.duration,
      warmup: opts.warmup,
      connections: opts.connections,
      elapsedSeconds: Math.round(elapsed),
      autocannon: pkg('autocannon'),
      cookieSession: pkg('cookie-session'),
      partial
    }
  }

  const md = markdown(report)
  console.log('\n' + md)
  fs.mkdirSync(outDir, { recursive: true })
  fs.writeFileSync(path.join(outDir, 'results.md'), '# Benchmark results\n\n' +
    rows.map((r) => `- **${r.scenario}**: ${r.what}`).join('\n') + '\n\n' + md)
  fs.writeFileSync(path.join(outDir, 'results.json'), JSON.stringify(report, null, 2) + '\n')
  fs.writeFileSync(path.join(outDir, 'overhead.svg'), svg(report))
  console.log(`bench: wrote ${path.relative(ROOT, outDir) || '.'}/results.md, results.json, overhead.svg` +
    (partial ? ' (not a default run, so the committed bench/results.* are untouched)' : '') +
    `; measured for ${Math.round(elapsed)} s`)

  if (opts.cpuProf) {
    const dir = path.join(BENCH, 'profiles')
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).mtimeMs >= started)
    for (const file of files.sort()) console.log('\n' + formatProfile(summarise(file, 25)))
  }
}

process.on('SIGINT', () => die('interrupted'))
main().catch((err) => die(err && err.stack ? err.stack : String(err)))
