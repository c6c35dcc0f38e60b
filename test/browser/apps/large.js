'use strict'
// A chunked session in a real browser: GET /write?bytes=N stores N random bytes (base64, so it does
// not compress away), GET /read reports what came back and in how many cookies.
const { randomBytes } = require('node:crypto')
const express = require('express')
const cookieSession = require('signed-cookie-session')

const app = express()
app.use(cookieSession({ keys: process.env.SESSION_KEYS.split(','), chunked: true, maxTotalSize: 12_000, sameSite: 'lax' }))
app.get('/write', (req, res) => {
  req.session.blob = randomBytes(Number(req.query.bytes)).toString('base64')
  res.json({ length: req.session.blob.length, chunks: req.session.encodedChunks })
})
app.get('/read', (req, res) => {
  res.json({ isNew: req.session.isNew, length: (req.session.blob || '').length, cookie: req.headers.cookie || '' })
})

const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => {
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
