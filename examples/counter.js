'use strict'
// A view counter kept in a signed cookie: `npm start`, open the printed URL and reload.
// Production: SESSION_KEYS="$(openssl rand -base64 32)" PORT=8080 npm start
const crypto = require('node:crypto')
const express = require('express')
const cookieSession = require('signed-cookie-session')

// Signing keys, newest first: keys[0] signs new cookies, every key verifies, so a new key can be
// put in front and the old one dropped once its cookies have expired.
let keys = (process.env.SESSION_KEYS || '').split(',').map((key) => key.trim()).filter(Boolean)
if (keys.length === 0) {
  keys = [crypto.randomBytes(32).toString('base64')]
  console.warn([
    '',
    '  !!! WARNING: SESSION_KEYS is not set; using a random DEVELOPMENT key. !!!',
    '  Sessions will not survive a restart (or be shared between processes).',
    '  For production, set SESSION_KEYS to one or more comma-separated secrets, newest first:',
    '    SESSION_KEYS="$(openssl rand -base64 32)" npm start',
    ''
  ].join('\n'))
}

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

const server = app.listen(Number(process.env.PORT || 3000), (err) => {
  if (err) throw err
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
