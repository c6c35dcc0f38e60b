// Node's entry: `node node.js <port>`, the app behind @hono/node-server's Request/Response bridge.
import { serve } from '@hono/node-server'
import app from './app.js'

serve({ hostname: '127.0.0.1', port: Number(process.argv[2]), fetch: app.fetch })
