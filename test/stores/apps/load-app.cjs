'use strict'
// One app process of the two-process load test (test/stores/load.test.ts): Express with our
// cookieSession over connect-redis on the Redis at REDIS_PORT, loaded from the built package as
// users load it. Prints its URL once listening (test/helpers/processes.ts waits for it).
//
// Routes: POST /login starts a session; POST /set/:key sets a key; POST /slow/:key?token=T sets a
// key after the route has waited, either `delay` ms or (with `hold`) until the test posts
// /release/T; GET /arrived/T answers once the slow request T has loaded its session and is waiting;
// POST /logout ends the session (`req.session = null`); GET /session answers the session's data.
const express = require('express')
const { RedisStore } = require('connect-redis')
const { createClient } = require('redis')
const cookieSession = require('signed-cookie-session')

const VALUES = { cart: ['tea'], theme: 'dark', lang: 'en' }

/** A promise per token, made by whichever side asks first. */
function deferreds () {
  const map = new Map()
  return (token) => {
    let entry = map.get(token)
    if (entry === undefined) {
      let resolve
      const promise = new Promise((_resolve) => { resolve = _resolve })
      entry = { promise, resolve }
      map.set(token, entry)
      // Forget it once both sides have used it.
      promise.then(() => setTimeout(() => map.delete(token), 60_000).unref())
    }
    return entry
  }
}

async function main () {
  const client = createClient({ socket: { host: '127.0.0.1', port: Number(process.env.REDIS_PORT) } })
  client.on('error', (err) => { console.error(`redis: ${err.message}`) })
  await client.connect()
  const arrived = deferreds()
  const released = deferreds()

  const app = express()
  // Coordination, outside the session middleware: they load no session.
  app.get('/arrived/:token', async (req, res) => { await arrived(req.params.token).promise; res.json(null) })
  app.post('/release/:token', (req, res) => { released(req.params.token).resolve(); res.json(null) })

  app.use(cookieSession({ keys: ['load-test-key-of-at-least-32-bytes'], store: new RedisStore({ client }), maxAge: 3_600_000 }))
  app.post('/login', (req, res) => { req.session.user = req.query.user; res.json(null) })
  app.post('/set/:key', (req, res) => { req.session[req.params.key] = VALUES[req.params.key]; res.json(null) })
  app.post('/slow/:key', async (req, res) => {
    const had = req.session.user ?? null
    const token = req.query.token
    arrived(token).resolve()
    if (req.query.hold !== undefined) await released(token).promise
    else await new Promise((resolve) => setTimeout(resolve, Number(req.query.delay)))
    req.session[req.params.key] = VALUES[req.params.key]
    res.json(had)
  })
  app.post('/logout', (req, res) => { req.session = null; res.json(null) })
  app.get('/session', (req, res) => { res.json({ ...req.session }) })
  app.use((err, req, res, next) => { res.status(500).json({ name: err.name, code: err.code ?? null, message: err.message }) })

  const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
    console.log(`Listening on http://localhost:${server.address().port}/`)
  })
  process.on('SIGTERM', () => { server.close(); client.destroy(); process.exit(0) })
}

main().catch((err) => { console.error(err); process.exit(1) })
