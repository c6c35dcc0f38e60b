'use strict'
// One benchmark server: `node bench/server.js <ours|theirs|floor|none> <scenario>`.
//
// Listens on 127.0.0.1:0. Under bench/run.js (forked, with IPC) it reports
// { type: 'ready', port, cookie } and answers { cmd: 'cpu' } with its CPU usage; { cmd: 'exit' }
// ends it cleanly (so `node --cpu-prof` can write its profile). Run by hand it prints the port and
// the Cookie header to send, e.g. to profile one case:
//   node --cpu-prof --cpu-prof-dir=bench/profiles bench/server.js ours read
// `cookie` is produced by the library under test itself, through a throwaway request to a
// separate setup server in this process. `floor` is bench/floor.js, the least any middleware on
// cookies + keygrip + on-headers does; it has no counterpart for the encrypted and large scenarios.
const http = require('node:http')
const path = require('node:path')
const { KEYS, NAME, SMALL, BIG, SCENARIOS } = require('./scenarios.js')

const [lib, scenarioName] = process.argv.slice(2)
const scenario = SCENARIOS[scenarioName]
if (!['ours', 'theirs', 'floor', 'none'].includes(lib) || scenario === undefined) {
  console.error(`usage: node bench/server.js <ours|theirs|floor|none> <${Object.keys(SCENARIOS).join('|')}>`)
  process.exit(2)
}
if (lib === 'floor' && (scenario.encrypted || scenario.large)) {
  console.error(`bench/server.js: floor has no counterpart for "${scenarioName}" (encrypt, compress and chunked are ours only)`)
  process.exit(2)
}

/** Our build: dist/, or another build's folder (BENCH_OURS_DIST; bench/versus.js compares two builds). */
const OURS = process.env.BENCH_OURS_DIST ? path.resolve(process.env.BENCH_OURS_DIST) : path.join(__dirname, '..', 'dist')

function factory () {
  if (lib === 'ours') return require(path.join(OURS, 'index.js'))
  if (lib === 'theirs') return require('cookie-session')
  if (lib === 'floor') return require('./floor.js').floorSession
  return undefined
}

function options (keys) {
  const opts = { name: NAME, keys }
  if (scenario.encrypted) opts.encrypt = true
  if (scenario.framework === 'koa') opts.maxAge = 86_400_000
  if (scenario.large) Object.assign(opts, scenario.large)
  return opts
}

const koaRoutes = {
  none: (ctx) => { ctx.body = 'ok' },
  read: (ctx) => { ctx.body = ctx.session.user === undefined ? 'none' : String(ctx.session.user) },
  write: (ctx) => { ctx.session.n = ++counter; ctx.body = 'ok' },
  new: (ctx) => { ctx.session.user = 'x'; ctx.body = 'ok' }
}

/** A Koa app with the library under test (or none, for the baseline) and `route`. */
function koaApp (keys, route) {
  const Koa = require('koa')
  const app = new Koa()
  app.keys = [...keys]
  if (lib === 'ours') app.use(require(path.join(OURS, 'koa.js')).koaSession(options(keys), app))
  // koa-session signed with app.keys, under the same cookie name, with maxAge a day given outright:
  // left to its default it keeps the day inside the value but sends a new session's cookie without
  // Expires (a browser-session cookie), so it would skip formatting two dates that ours writes.
  if (lib === 'theirs') app.use(require('koa-session').createSession({ key: NAME, maxAge: 86_400_000 }, app))
  if (lib === 'floor') app.use(require('./floor.js').floorKoaSession(options(keys), app))
  app.use(route)
  return app
}

/** The Cookie header after the Koa app wrote `data` with `keys`. */
function produceKoaCookie (keys, data) {
  return produceWith(koaApp(keys, (ctx) => { Object.assign(ctx.session, data); ctx.body = '' }).callback())
}

function send (res, body) {
  res.statusCode = 200
  res.end(body)
}

let counter = 0
const routes = {
  none: (req, res) => send(res, 'ok'),
  read: (req, res) => {
    const user = req.session.user
    send(res, user === undefined ? 'none' : String(user))
  },
  write: (req, res) => {
    req.session.n = ++counter
    send(res, 'ok')
  },
  new: (req, res) => {
    req.session.user = 'x'
    send(res, 'ok')
  }
}

/** The Cookie header a browser would send back after the library wrote `data` (signed with `keys`). */
function produceCookie (cookieSession, keys, data) {
  if (scenario.framework === 'koa') return produceKoaCookie(keys, data)
  const mw = cookieSession(options(keys))
  return produceWith((req, res) => mw(req, res, () => {
    Object.assign(req.session, data)
    res.end()
  }))
}

/** Runs one request against a throwaway server with `handler` and returns the cookies it set. */
function produceWith (handler) {
  const setup = http.createServer(handler)
  return new Promise((resolve, reject) => {
    setup.listen(0, '127.0.0.1', () => {
      http.get({ host: '127.0.0.1', port: setup.address().port, path: '/', agent: false }, (res) => {
        res.resume()
        res.on('end', () => {
          setup.close()
          const lines = res.headers['set-cookie'] || []
          if (lines.length === 0) return reject(new Error(`${lib}: the setup request got no Set-Cookie`))
          resolve(lines.map((line) => line.split(';')[0]).join('; '))
        })
      }).on('error', reject)
    })
  })
}

/** Our cookie for an encrypted scenario must not be readable base64 JSON (else encryption is off). */
function isPlaintext (cookie) {
  const match = /(?:^|; )session=([^;]*)/.exec(cookie)
  if (!match) return false
  try {
    const data = JSON.parse(Buffer.from(match[1], 'base64').toString('utf8'))
    return data !== null && typeof data === 'object' && data.user === SMALL.user
  } catch {
    return false
  }
}

async function scenarioCookie (cookieSession) {
  switch (scenario.cookie) {
    case null: return ''
    case 'valid': return produceCookie(cookieSession, KEYS, SMALL)
    case 'big': return produceCookie(cookieSession, KEYS, BIG)
    case 'old': return produceCookie(cookieSession, [KEYS[1]], SMALL)
    case 'tampered': {
      const cookie = await produceCookie(cookieSession, KEYS, SMALL)
      // Change one character of the signature: same length and alphabet, so the full check runs.
      return cookie.replace(/(session\.sig=)(.)/, (m, pre, c) => pre + (c === 'A' ? 'B' : 'A'))
    }
    default: throw new Error('unknown cookie kind ' + scenario.cookie)
  }
}

function report (message) {
  if (process.send) process.send(message)
  else console.log(JSON.stringify(message))
}

function unsupported (reason) {
  report({ type: 'unsupported', reason })
  if (process.connected) process.disconnect()
}

async function main () {
  const cookieSession = factory()
  let handler
  let cookie = ''
  if (scenario.framework === 'koa') {
    cookie = lib === 'none' ? '' : await scenarioCookie(cookieSession)
    handler = koaApp(KEYS, koaRoutes[lib === 'none' ? 'none' : scenario.route]).callback()
    if (lib === 'none') {
      const body = scenario.body
      handler = koaApp(KEYS, (ctx) => { ctx.body = body }).callback()
    }
  } else if (cookieSession === undefined) {
    const body = scenario.body
    handler = (req, res) => send(res, body)
  } else {
    let mw
    try {
      mw = cookieSession(options(KEYS))
      cookie = await scenarioCookie(cookieSession)
    } catch (err) {
      if (!scenario.encrypted && !scenario.large) throw err
      return unsupported(String(err && err.message))
    }
    if (scenario.large?.chunked && !cookie.includes(NAME + '.2=')) {
      return unsupported(`option chunked: true did not spread the session over 3 cookies (Cookie: ${cookie.slice(0, 80)}...)`)
    }
    if (scenario.encrypted && isPlaintext(cookie)) {
      return unsupported('option encrypt: true is ignored (the cookie is plain base64 JSON)')
    }
    const route = routes[scenario.route]
    handler = (req, res) => mw(req, res, () => route(req, res))
  }

  const server = http.createServer(handler)
  server.keepAliveTimeout = 60_000
  server.listen(0, '127.0.0.1', () => {
    report({ type: 'ready', port: server.address().port, cookie, pid: process.pid })
  })

  const exit = () => {
    server.close(() => process.exit(0))
    server.closeAllConnections()
  }
  process.on('SIGTERM', exit)
  process.on('SIGINT', exit)
  process.on('disconnect', exit)
  process.on('message', (msg) => {
    if (msg.cmd === 'cpu') process.send({ type: 'cpu', id: msg.id, usage: process.cpuUsage(), rss: process.memoryUsage.rss() })
    else if (msg.cmd === 'exit') exit()
  })
}

main().catch((err) => {
  console.error(`bench/server.js ${lib} ${scenarioName}:`, err)
  process.exit(1)
})
