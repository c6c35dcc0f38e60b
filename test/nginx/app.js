'use strict'
// The Express app behind nginx in test/nginx/, in the spirit of examples/counter.js. Every page is
// marked `Cache-Control: public, max-age=60`, as an app behind a CDN might mark them all.
// CACHE_HEADERS=false starts it with `cacheHeaders: false`. Reports go to stderr, one line each.
const express = require('express')
const cookieSession = require('signed-cookie-session')

const app = express()

app.use(cookieSession({
  keys: ['nginx-suite-signing-key-of-32-bytes-or-more'],
  maxAge: 24 * 60 * 60 * 1000,
  sameSite: 'lax',
  cacheHeaders: process.env.CACHE_HEADERS !== 'false',
  onError (err) {
    console.error(`${err.code}: ${err.message}`)
  }
}))

app.use((req, res, next) => {
  res.set('Cache-Control', 'public, max-age=60')
  next()
})

app.get('/login', (req, res) => {
  req.session.user = String(req.query.user)
  req.session.views = 0
  res.type('text').send(`logged in as ${req.session.user}\n`)
})

// The counter: writes the session on every request.
app.get('/', (req, res) => {
  req.session.views = (req.session.views || 0) + 1
  res.type('text').send(`${req.session.user || 'nobody'}: ${req.session.views} views\n`)
})

// Reads the session only: the page differs per user, the cookie stays the same.
app.get('/me', (req, res) => {
  res.type('text').send(`signed in as ${req.session.user || 'nobody'}\n`)
})

// Never touches the session: the same page for everyone.
app.get('/about', (req, res) => {
  res.type('text').send('a page that does not use the session\n')
})

// Under /cdn/, nginx stores even responses that set cookies, as a CDN rule that caches everything
// would. This page leaves caching to the defaults: a lifetime, but neither public nor private.
app.get('/cdn/welcome', (req, res) => {
  res.set('Cache-Control', 'max-age=60')
  req.session.visitor = req.session.visitor || Math.random().toString(36).slice(2)
  res.type('text').send(`welcome, visitor ${req.session.visitor}\n`)
})

const server = app.listen(Number(process.env.PORT || 0), '127.0.0.1', () => {
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
