// @fastify/passport 4 with passport-local on the Fastify plugin: it is written for
// @fastify/secure-session's session (get, set, data, regenerate(fields)), which the Fastify
// session offers. Login, the user on the next request, logout, session fixation, flash messages.
import { Authenticator } from '@fastify/passport'
import { MemoryStore } from 'express-session'
import Fastify, { type FastifyInstance } from 'fastify'
import { Strategy as LocalStrategy } from 'passport-local'
import { afterEach, describe, expect, it } from 'vitest'
import { fastifySession } from '../src/fastify.js'
import { Browser } from './helpers/browser.js'

interface User { id: string, name: string }
const users: Record<string, User> = { ann: { id: 'ann', name: 'Ann' } }
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64')

const apps: FastifyInstance[] = []
afterEach(async () => { await Promise.all(apps.splice(0).map((app) => app.close())) })

/** An app with the session plugin, @fastify/passport and a local strategy, listening on a free port. */
async function app (options: { clearSessionOnLogin?: boolean, keepSessionInfo?: boolean, store?: MemoryStore } = {}): Promise<string> {
  const passport = new Authenticator({ clearSessionOnLogin: options.clearSessionOnLogin ?? true })
  passport.use('local', new LocalStrategy((username, password, done) => {
    done(null, password === 'secret' ? users[username] ?? false : false)
  }))
  passport.registerUserSerializer(async (user: User) => user.id)
  passport.registerUserDeserializer(async (id: string) => users[id] ?? null)

  const app = Fastify()
  apps.push(app)
  await app.register(fastifySession, { keys: ['k'], ...(options.store ? { store: options.store } : {}) })
  await app.register(passport.initialize())
  await app.register(passport.secureSession())
  app.post('/cart', async (request) => { request.session!.cart = ['tea']; return null })
  app.post('/login', {
    preValidation: passport.authenticate('local', { keepSessionInfo: options.keepSessionInfo ?? false, failureRedirect: '/login', failureFlash: 'Wrong name or password' })
  }, async (request) => request.user)
  app.get('/login', async (_request, reply) => reply.flash('error'))
  app.get('/me', async (request) => ({ user: request.user ?? null, cart: request.session!.cart ?? null }))
  app.post('/logout', async (request) => {
    await request.logout()
    return 'bye'
  })
  return await app.listen({ port: 0, host: '127.0.0.1' })
}

describe('@fastify/passport with passport-local', () => {
  it('logs in, sees the user on the next request, logs out, and the session is gone', async () => {
    const url = await app()
    const browser = new Browser()
    const login = await browser.post(`${url}/login`, { username: 'ann', password: 'secret' })
    expect(login.status).toBe(200)
    expect(login.body).toEqual({ id: 'ann', name: 'Ann' })
    expect(login.setCookie[0]).toBe(`session=${b64({ passport: 'ann' })}; path=/; httponly`)

    const me = await browser.get(`${url}/me`)
    expect(me.body).toEqual({ user: { id: 'ann', name: 'Ann' }, cart: null })
    expect(me.setCookie).toEqual([])

    const logout = await browser.post(`${url}/logout`)
    expect(logout.body).toBe('bye')
    expect(logout.setCookie[0]).toBe('session=; path=/; expires=Thu, 01 Jan 1970 00:00:00 GMT; httponly')
    expect((await browser.get(`${url}/me`)).body).toEqual({ user: null, cart: null })
    expect(browser.cookies.size).toBe(0)
  })

  it('clears what the session held before login (session fixation), unless keepSessionInfo', async () => {
    for (const keepSessionInfo of [false, true]) {
      const url = await app({ keepSessionInfo })
      const browser = new Browser()
      await browser.post(`${url}/cart`)
      await browser.post(`${url}/login`, { username: 'ann', password: 'secret' })
      expect((await browser.get(`${url}/me`)).body).toEqual({ user: { id: 'ann', name: 'Ann' }, cart: keepSessionInfo ? ['tea'] : null })
    }
  })

  it('keeps the session\'s data at login and logout with clearSessionOnLogin: false (through session.data())', async () => {
    const url = await app({ clearSessionOnLogin: false })
    const browser = new Browser()
    await browser.post(`${url}/cart`)
    await browser.post(`${url}/login`, { username: 'ann', password: 'secret' })
    expect((await browser.get(`${url}/me`)).body).toEqual({ user: { id: 'ann', name: 'Ann' }, cart: ['tea'] })
    await browser.post(`${url}/logout`)
    expect((await browser.get(`${url}/me`)).body).toEqual({ user: null, cart: ['tea'] })
  })

  it('redirects a failed login with a flash message, shown once', async () => {
    const url = await app()
    const browser = new Browser()
    const failed = await browser.post(`${url}/login`, { username: 'ann', password: 'wrong' })
    expect([failed.status, failed.setCookie.length]).toEqual([302, 2])
    expect((await browser.get(`${url}/login`)).body).toEqual(['Wrong name or password'])
    expect((await browser.get(`${url}/login`)).body).toEqual([])
    expect((await browser.get(`${url}/me`)).body).toEqual({ user: null, cart: null })
  })

  it('logs in and out with a store: the login gets a new id, the logout deletes the record', async () => {
    const store = new MemoryStore()
    const url = await app({ store })
    const browser = new Browser()
    await browser.post(`${url}/cart`)
    const before = browser.cookies.get('session')
    await browser.post(`${url}/login`, { username: 'ann', password: 'secret' })
    const after = browser.cookies.get('session')
    expect(after).not.toBe(before)
    // Session records only: a destroy leaves a tombstone (`<id>.gone`) behind.
    const records = () => new Promise<Record<string, unknown>>((resolve) => store.all((_, all) =>
      resolve(Object.fromEntries(Object.entries(all ?? {}).filter(([id]) => !id.endsWith('.gone'))))))
    expect(Object.keys(await records())).toEqual([after])
    expect((await browser.get(`${url}/me`)).body).toEqual({ user: { id: 'ann', name: 'Ann' }, cart: null })
    await browser.post(`${url}/logout`)
    expect(await records()).toEqual({})
    expect((await browser.get(`${url}/me`)).body).toEqual({ user: null, cart: null })
  })
})
