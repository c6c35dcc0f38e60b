'use strict'
// The counter of examples/counter.js plus a read-only route, on this library or (LIBRARY=cookie-session)
// on cookie-session 2.1.1: GET / counts a view, GET /peek only reads the count.
const express = require('express')
const cookieSession = require(process.env.LIBRARY || 'signed-cookie-session')

const app = express()
app.use(cookieSession({ keys: process.env.SESSION_KEYS.split(','), maxAge: 24 * 60 * 60 * 1000, sameSite: 'lax' }))
app.get('/', (req, res) => {
  req.session.views = (req.session.views || 0) + 1
  res.type('text').send(`${req.session.views} views\n`)
})
app.get('/peek', (req, res) => {
  res.type('text').send(`${req.session.views || 0} views\n`)
})

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
