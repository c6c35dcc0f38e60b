'use strict'
// Log in and out with passport 0.7 and passport-local on a cookie session, no shims needed:
// node examples/passport.js, then open the printed URL (user "ann", password "secret").
const express = require('express')
const passport = require('passport')
const { Strategy: LocalStrategy } = require('passport-local')
const cookieSession = require('signed-cookie-session')
const sessionKeys = require('./keys')

// A stand-in user table; a real app checks a password hash.
const users = { ann: { id: 'ann', name: 'Ann', password: 'secret' } }

passport.use(new LocalStrategy((username, password, done) => {
  const user = users[username]
  done(null, user && user.password === password ? user : false)
}))
// Only the id goes into the cookie; the user is looked up on each request.
passport.serializeUser((user, done) => done(null, user.id))
passport.deserializeUser((id, done) => done(null, users[id] || false))

const app = express()
app.use(express.urlencoded({ extended: false }))
app.use(cookieSession({ keys: sessionKeys(), maxAge: 7 * 24 * 60 * 60 * 1000, sameSite: 'lax' }))
app.use(passport.session())

const page = (body) => `<!doctype html><meta charset="utf-8"><title>passport example</title>${body}`

app.get('/', (req, res) => {
  if (!req.user) return res.redirect('/login')
  res.send(page(`<p>Hello, ${req.user.name}.</p><form method="post" action="/logout"><button>Log out</button></form>`))
})

app.get('/login', (req, res) => {
  res.send(page(`<form method="post" action="/login">
    <input name="username" placeholder="user (ann)"> <input name="password" type="password" placeholder="password (secret)">
    <button>Log in</button></form>`))
})

// passport regenerates the session at login (against session fixation) and saves it before redirecting.
app.post('/login', passport.authenticate('local', { successRedirect: '/', failureRedirect: '/login' }))

app.post('/logout', (req, res, next) => {
  req.logout((err) => err ? next(err) : res.redirect('/login'))
})

const server = app.listen(Number(process.env.PORT || 3000), (err) => {
  if (err) throw err
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
