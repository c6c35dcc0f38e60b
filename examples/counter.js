'use strict'
// A view counter kept in a signed cookie: `npm start`, open the printed URL and reload.
// Production: SESSION_KEYS="$(openssl rand -base64 32)" PORT=8080 npm start
const express = require('express')
const cookieSession = require('signed-cookie-session')
const sessionKeys = require('./keys')

const keys = sessionKeys()

const app = express()

app.use(cookieSession({
  keys,
  maxAge: 24 * 60 * 60 * 1000, // one day
  sameSite: 'lax',
  // Behind an HTTPS proxy, also set `secure: true` and `app.set('trust proxy', 1)`.
  onError (err, req) {
    // The response still goes out, without the new cookie; the browser keeps the previous one.
    console.error(`session not saved (${req.method} ${req.url}): ${err.code}: ${err.message}`)
  }
}))

app.get('/', (req, res) => {
  req.session.views = (req.session.views || 0) + 1
  res.type('text').send(`${req.session.views} views\n`)
})

app.get('/reset', (req, res) => {
  req.session = null
  res.type('text').send('session cleared\n')
})

// Over the 4093-byte cookie limit: the cookie is not sent and onError is called.
app.get('/too-big', (req, res) => {
  req.session.blob = 'x'.repeat(5000)
  res.type('text').send('tried to store 5000 bytes; see the server log\n')
})

const port = Number(process.env.PORT || 3000)
const server = app.listen(port, (err) => {
  if (err?.code === 'EADDRINUSE') {
    console.error(`port ${port} is already in use: start it on another one, e.g. PORT=${port + 1} npm start`)
    process.exit(1)
  }
  if (err) throw err
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
