// Deno's entry: `deno run --allow-net=127.0.0.1:<port> deno.js <port>`.
/* global Deno */
import app from './app.js'

Deno.serve({ hostname: '127.0.0.1', port: Number(Deno.args[0]), onListen () {} }, app.fetch)
