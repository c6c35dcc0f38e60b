'use strict'
// One store-mode benchmark server: `node bench/store-server.js <express-session|ours|ours-express|before|none> <redisPort>`.
// `ours-express` is ours given express-session's very options (its cookie, its API, a session on
// every request), as an app that only changed its require runs it.
// Plain node:http on 127.0.0.1:0; the session lives in Redis through connect-redis. Routes:
// /read answers req.session.user, /write sets req.session.n to a new counter value, /new (no
// cookie) sets req.session.user, /count answers req.session.n, /setup writes { user: 'alice', n: 0 }.
// Forked by bench/store.js, it writes 32 setup sessions and reports { type: 'ready', port, cookies } over IPC.
const http = require('node:http')
const path = require('node:path')
const { RedisStore } = require('connect-redis')
const { createClient } = require('redis')

const [lib, redisPort] = process.argv.slice(2)
const KEYS = ['bench-key-1-of-at-least-32-bytes!']
const SESSIONS = 32

function middleware (store) {
  if (lib === 'express-session') {
    const session = require('express-session')
    return session({ secret: KEYS[0], store, resave: false, saveUninitialized: false })
  }
  if (lib === 'ours') return require(path.join(__dirname, '..', 'dist', 'index.js'))({ keys: KEYS, store })
  if (lib === 'ours-express') {
    return require(path.join(__dirname, '..', 'dist', 'index.js'))({ secret: KEYS[0], store, resave: false, saveUninitialized: false })
  }
  // Another build of ours (bench/store.js --before <dist folder>).
  if (lib === 'before') return require(path.join(process.env.BENCH_BEFORE_DIST, 'index.js'))({ keys: KEYS, store })
  return undefined
}

let counter = 0
const routes = {
  '/read': (req) => req.session ? String(req.session.user) : 'alice',
  '/write': (req) => { if (req.session) req.session.n = ++counter; return 'ok' },
  '/new': (req) => { if (req.session) req.session.user = 'alice'; return 'ok' },
  '/count': (req) => String(req.session?.n),
  '/setup': (req) => { Object.assign(req.session, { user: 'alice', n: 0 }); return 'ok' }
}

function send (res, status, body) {
  res.statusCode = status
  res.end(body)
}

async function main () {
  let mw
  let client
  const prefix = `bench-${lib}:`
  if (lib !== 'none') {
    client = createClient({ socket: { host: '127.0.0.1', port: Number(redisPort) } })
    client.on('error', (err) => { console.error(`${lib}: redis: ${err.message}`) })
    await client.connect()
    mw = middleware(new RedisStore({ client, prefix }))
  }
  const server = http.createServer((req, res) => {
    const route = routes[req.url]
    if (route === undefined) return send(res, 404, 'no such route')
    if (mw === undefined) return send(res, 200, route(req))
    mw(req, res, (err) => err ? send(res, 500, String(err.message)) : send(res, 200, route(req)))
  })
  server.listen(0, '127.0.0.1', async () => {
    const { port } = server.address()
    // More sessions than the benchmark's connections (bench/store.js takes them in turn).
    const cookies = []
    if (lib !== 'none') for (let i = 0; i < SESSIONS; i++) cookies.push(await setupCookie(port))
    // A library that kept the session in the cookie would be measured doing something else.
    if (client !== undefined && (await client.keys(`${prefix}*`)).length === 0) {
      console.error(`${lib}: the setup session did not reach Redis (is store mode implemented?)`)
      process.exit(1)
    }
    process.send({ type: 'ready', port, cookies })
  })
  process.on('message', (msg) => {
    if (msg.cmd === 'exit') process.exit(0)
    // The server's own CPU time so far: per request, steadier than latency on a shared machine.
    if (msg.cmd === 'cpu') process.send({ type: 'cpu', usage: process.cpuUsage() })
  })
  process.on('disconnect', () => process.exit(0))
}

/** The Cookie header a browser would send after the library under test wrote the setup session. */
function setupCookie (port) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/setup', agent: false }, (res) => {
      res.resume()
      const lines = res.headers['set-cookie'] || []
      if (res.statusCode !== 200 || lines.length === 0) reject(new Error(`${lib}: /setup answered ${res.statusCode} without a cookie`))
      else resolve(lines.map((line) => line.split(';')[0]).join('; '))
    }).on('error', reject)
  })
}

main().catch((err) => { console.error(err); process.exit(1) })
