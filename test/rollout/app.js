'use strict'
// One of the fleet's app processes: a node:http app whose keys come from SESSION_KEYS (comma-separated,
// newest first). POST /login?user=NAME logs in; GET /check answers "in" or "out".
const http = require('node:http')
const cookieSession = require('signed-cookie-session')

const session = cookieSession({
  keys: process.env.SESSION_KEYS.split(','),
  maxAge: 60 * 60 * 1000,
  sameSite: 'lax'
})

const server = http.createServer((req, res) => {
  session(req, res, () => {
    const url = new URL(req.url, 'http://localhost')
    if (req.method === 'POST' && url.pathname === '/login') {
      req.session.user = url.searchParams.get('user')
      res.end('in')
    } else if (url.pathname === '/check') {
      // Reading the session is what re-issues a cookie signed with an older key.
      res.end(req.session.user ? 'in' : 'out')
    } else {
      res.writeHead(404).end()
    }
  })
})

// A rolling restart stops the process with SIGTERM once the proxy sends it no more requests.
process.on('SIGTERM', () => server.close(() => process.exit(0)))

server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
