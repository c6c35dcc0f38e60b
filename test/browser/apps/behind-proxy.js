'use strict'
// A node:http app meant to run behind a TLS-terminating proxy: with TRUST_PROXY=1 it believes the
// proxy's X-Forwarded-Proto. It counts views and shows what it received.
const http = require('node:http')
const cookieSession = require('signed-cookie-session')

const session = cookieSession({
  keys: [process.env.SESSION_KEYS],
  maxAge: 24 * 60 * 60 * 1000,
  trustProxy: process.env.TRUST_PROXY === '1',
  onError: (err) => console.error(`session not saved: ${err.code}`)
})

const server = http.createServer((req, res) => {
  if (req.url !== '/') return res.writeHead(404).end() // e.g. the browser's /favicon.ico
  session(req, res, () => {
    req.session.views = (req.session.views || 0) + 1
    res.setHeader('Content-Type', 'application/json')
    res.end(JSON.stringify({ views: req.session.views, cookie: req.headers.cookie ?? null }))
  })
})
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
