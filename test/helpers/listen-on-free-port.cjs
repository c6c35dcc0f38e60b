// Preloaded (`node --require`) into each README sample that test/readme-samples.test.ts runs: a
// sample's `app.listen(3000)` listens on a free loopback port instead, and the test learns which
// through the IPC channel. Every server in Node (Express, Koa, @hono/node-server) is an http.Server.
'use strict'
const http = require('node:http')
const net = require('node:net')

const servers = new Set()

http.Server.prototype.listen = function listen (...args) {
  const callback = args.find((arg) => typeof arg === 'function')
  servers.add(this)
  this.once('listening', () => process.send({ port: this.address().port }))
  return net.Server.prototype.listen.call(this, ...(callback ? [0, '127.0.0.1', callback] : [0, '127.0.0.1']))
}

// The test ends a sample by closing its servers, not with a signal: the process exits once whatever
// the sample still had to do after its response (an error it logs, say) is done.
process.on('message', (message) => {
  if (message !== 'close') return
  for (const server of servers) server.close().closeAllConnections()
  process.disconnect()
})
// A sample that starts no server ends when its code has run, not when the test hangs up.
process.channel?.unref()
