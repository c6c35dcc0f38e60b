// Bun's entry: `bun bun.js <port>`.
/* global Bun */
import app from './app.js'

Bun.serve({ hostname: '127.0.0.1', port: Number(Bun.argv[2]), fetch: app.fetch })
