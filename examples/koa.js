'use strict'
// The view counter on Koa: node examples/koa.js
const Koa = require('koa')
const { koaSession } = require('signed-cookie-session/koa')
const sessionKeys = require('./keys')

const app = new Koa()
app.keys = sessionKeys() // koaSession signs with the app's keys, as koa-session does
app.use(koaSession({ maxAge: 24 * 60 * 60 * 1000, sameSite: 'lax' }, app))
app.use((ctx) => {
  if (ctx.path === '/reset') {
    ctx.session = null
    ctx.body = 'session cleared\n'
    return
  }
  ctx.session.views = (ctx.session.views || 0) + 1
  ctx.body = `${ctx.session.views} views\n`
})

const server = app.listen(Number(process.env.PORT || 3000), () => {
  console.log(`Listening on http://localhost:${server.address().port}/`)
})
