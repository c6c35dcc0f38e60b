// What Node writes, for the runtimes to be compared with: the same profiles and actions as the
// Fetch app (apps/profiles.js), served by Express on loopback through the built package's Express
// adapter (`cookieSession`, resolved through the package's exports like any consumer), and, for
// signed sessions, through cookie-session 2.1.1, which this library replaces.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createRequire } from 'node:module'
import express, { type Request, type Response } from 'express'
import legacySession from 'cookie-session'
import { ACTIONS, PROFILES, act } from '../apps/profiles.js'

type Package = typeof import('../../../src/index.js')

export interface Reference {
  /** Our Express adapter, every profile. */
  ours: string
  /** cookie-session 2.1.1, /signed only. */
  legacy: string
  close: () => Promise<void>
}

type Middleware = (req: Request, res: Response, next: (err?: unknown) => void) => void
type Holder = { session?: Record<string, unknown> | null }

/** An Express app answering /<profile>/<action> like apps/app.js, with `middleware(options)` per profile. */
function appWith (profiles: Record<string, object>, middleware: (options: object) => Middleware): express.Express {
  const app = express()
  for (const [name, options] of Object.entries(profiles)) {
    const router = express.Router()
    router.use(middleware(options))
    router.get('/:action', (req, res) => {
      const action = req.params.action ?? ''
      if (!ACTIONS.includes(action)) return res.status(404).end('not found\n')
      const holder = req as Holder
      const kept = act(action, holder.session ?? {}, new URL(req.originalUrl, 'http://localhost').searchParams)
      if (kept === null) holder.session = null
      res.end(JSON.stringify(kept))
    })
    app.use(`/${name}`, router)
  }
  return app
}

async function listen (app: express.Express): Promise<{ url: string, server: Server }> {
  const server = await new Promise<Server>((resolve) => { const s = app.listen(0, '127.0.0.1', () => resolve(s)) })
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server }
}

export async function startReference (): Promise<Reference> {
  const { cookieSession } = createRequire(import.meta.url)('signed-cookie-session') as Package
  const ours = await listen(appWith(PROFILES, (options) => cookieSession({
    ...options,
    onError: (err, _req, res) => { res.setHeader('x-session-error', `${err.name} ${err.code}`) }
  }) as Middleware))
  const legacy = await listen(appWith({ signed: PROFILES.signed }, (options) => legacySession(options) as Middleware))
  const close = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()))
  return {
    ours: ours.url,
    legacy: legacy.url,
    close: async () => { await Promise.all([close(ours.server), close(legacy.server)]) }
  }
}
