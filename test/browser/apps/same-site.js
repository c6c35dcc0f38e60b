'use strict'
// A SameSite=Lax session and a form that posts to http://site.test:PORT/transfer. Loaded from
// http://other.test:PORT/form, the same form is a cross-site request (the CSRF case).
const express = require('express')
const cookieSession = require('signed-cookie-session')

const app = express()
app.use(cookieSession({ keys: [process.env.SESSION_KEYS], maxAge: 60 * 60 * 1000, sameSite: 'lax' }))

app.get('/login', (req, res) => {
  req.session.user = 'ann'
  res.type('text').send('logged in\n')
})
app.get('/form', (req, res) => {
  const target = `http://site.test:${server.address().port}/transfer`
  res.type('html').send(`<!doctype html><form method="post" action="${target}"><button>Send</button></form>
    <a href="${target}">Link</a>`)
})
// What the session and the Cookie header looked like to the server.
app.all('/transfer', (req, res) => {
  res.json({ method: req.method, user: req.session.user ?? null, cookie: req.headers.cookie ?? null })
})

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
