// passport 0.7 on a chunked session: login regenerates the session (which must drop the chunks of
// the old one), saves a large user profile into several cookies, and logout removes them all.
import http from 'node:http'
import { randomBytes } from 'node:crypto'
import express from 'express'
import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { cookieSession } from '../src/index.js'
import { setCookieOf } from './helpers/apps.js'
import { CookieJar } from './helpers/cookie-jar.js'

/** A profile too large for one cookie: passport serialises the whole user into the session. */
const profile = { id: 'ann', name: 'Ann', claims: randomBytes(3000).toString('base64') }

function app () {
  const auth = new passport.Passport()
  auth.use(new LocalStrategy((username, password, done) => done(null, password === 'secret' ? profile : false)))
  auth.serializeUser((user, done) => done(null, user))
  auth.deserializeUser((user: object, done) => done(null, user))
  const app = express()
  app.use(express.urlencoded({ extended: false }))
  app.use(cookieSession({ keys: ['k'], chunked: true }))
  app.use(auth.session())
  app.post('/visit', (req, res) => { req.session!.pages = randomBytes(3200).toString('base64'); res.json(null) })
  app.post('/login', auth.authenticate('local'), (req, res) => { res.json({ id: (req.user as typeof profile).id, chunks: req.session!.encodedChunks }) })
  app.get('/me', (req, res) => { res.json({ user: (req.user as typeof profile | undefined)?.claims.length ?? null, pages: req.session!.pages?.length ?? null }) })
  app.post('/logout', (req, res, next) => { req.logout((err) => err ? next(err) : res.json('bye')) })
  return http.createServer(app)
}

describe('passport 0.7 on a chunked session', () => {
  it('regenerates at login, keeps a profile over two cookies, and logout leaves no cookie', async () => {
    const server = app()
    const jar = new CookieJar()
    jar.apply(setCookieOf((await request(server).post('/visit').set('Cookie', jar.header)).headers))
    expect(jar.names).toEqual(['session', 'session.1', 'session.sig'])

    const login = await request(server).post('/login').set('Cookie', jar.header).type('form').send({ username: 'ann', password: 'secret' })
    expect(login.body).toEqual({ id: 'ann', chunks: 2 })
    jar.apply(setCookieOf(login.headers))
    expect(jar.names).toEqual(['session', 'session.1', 'session.sig'])
    // regenerate() dropped what the visit stored; the profile came through whole.
    expect((await request(server).get('/me').set('Cookie', jar.header)).body).toEqual({ user: 4000, pages: null })

    const logout = await request(server).post('/logout').set('Cookie', jar.header)
    expect(logout.body).toBe('bye')
    jar.apply(setCookieOf(logout.headers))
    expect(jar.names).toEqual([])
  })
})
