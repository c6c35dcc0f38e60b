import http from 'node:http'
import flash from 'connect-flash'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import express5 from 'express'
import express4 from 'express4'
import { cookieSession } from '../src/index.js'
import { cookieFrom, setCookieOf } from './helpers/apps.js'

const users: Record<string, { id: string, name: string }> = { ann: { id: 'ann', name: 'Ann' } }
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64')

function authenticator () {
  const auth = new passport.Passport()
  auth.use(new LocalStrategy((username, password, done) => {
    done(null, password === 'secret' ? users[username] ?? false : false)
  }))
  auth.serializeUser((user, done) => done(null, (user as { id: string }).id))
  auth.deserializeUser((id: string, done) => done(null, users[id] ?? false))
  return auth
}

function app (express: typeof express5, keepSessionInfo = false) {
  const auth = authenticator()
  const app = express()
  app.use(express.urlencoded({ extended: false }))
  app.use(cookieSession({ keys: ['k'] }))
  app.use(auth.session())
  app.use(flash())
  app.post('/cart', (req, res) => { req.session!.cart = ['tea']; res.json(null) })
  app.post('/login', auth.authenticate('local', { keepSessionInfo }), (req, res) => { res.json(req.user) })
  app.get('/me', (req, res) => { res.json({ user: req.user ?? null, cart: req.session!.cart ?? null }) })
  app.post('/logout', (req, res, next) => { req.logout((err) => err ? next(err) : res.json('bye')) })
  app.post('/flash', (req, res) => { req.flash('info', 'saved'); res.json(null) })
  app.get('/flash', (req, res) => { res.json(req.flash('info')) })
  return http.createServer(app)
}

describe.each([['Express 5', express5], ['Express 4', express4 as unknown as typeof express5]])('passport 0.7 on %s', (_, express) => {
  it('logs in, sees the user on the next request, logs out, and the session is gone', async () => {
    const server = app(express)
    const login = await request(server).post('/login').type('form').send({ username: 'ann', password: 'secret' })
    expect(login.status).toBe(200)
    expect(login.body).toEqual({ id: 'ann', name: 'Ann' })
    const loggedIn = setCookieOf(login.headers)
    expect(loggedIn[0]).toBe(`session=${b64({ passport: { user: 'ann' } })}; path=/; httponly`)

    const cookie = cookieFrom(loggedIn)
    const me = await request(server).get('/me').set('Cookie', cookie)
    expect(me.body).toEqual({ user: { id: 'ann', name: 'Ann' }, cart: null })
    expect(setCookieOf(me.headers)).toEqual([])

    const logout = await request(server).post('/logout').set('Cookie', cookie)
    expect(logout.body).toBe('bye')
    expect(setCookieOf(logout.headers)[0]).toBe('session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly')
    const after = await request(server).get('/me').set('Cookie', cookieFrom(setCookieOf(logout.headers)))
    expect(after.body).toEqual({ user: null, cart: null })
  })

  it('rejects a wrong password without writing a session', async () => {
    const res = await request(app(express)).post('/login').type('form').send({ username: 'ann', password: 'nope' })
    expect(res.status).toBe(401)
    expect(setCookieOf(res.headers)).toEqual([])
  })

  it('drops what the session held before login (regenerate), unless keepSessionInfo', async () => {
    for (const keep of [false, true]) {
      const server = app(express, keep)
      const cart = cookieFrom(setCookieOf((await request(server).post('/cart')).headers))
      const login = await request(server).post('/login').set('Cookie', cart).type('form').send({ username: 'ann', password: 'secret' })
      const me = await request(server).get('/me').set('Cookie', cookieFrom(setCookieOf(login.headers)))
      expect(me.body).toEqual({ user: { id: 'ann', name: 'Ann' }, cart: keep ? ['tea'] : null })
    }
  })

  it('keeps connect-flash messages until they are read once', async () => {
    const server = app(express)
    const set = await request(server).post('/flash')
    const cookie = cookieFrom(setCookieOf(set.headers))
    const read = await request(server).get('/flash').set('Cookie', cookie)
    expect(read.body).toEqual(['saved'])
    const again = await request(server).get('/flash').set('Cookie', cookieFrom(setCookieOf(read.headers)) || cookie)
    expect(again.body).toEqual([])
  })
})
