// One Express app for every store test, whatever session middleware it runs: express-session (the
// reference) or ours in store mode. Routes read, write, destroy and regenerate the session.
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'

/** The session's data, without express-session's `cookie` (ours shows only data anyway). */
export function dataOf (session: object | null | undefined): Record<string, unknown> | null {
  if (session == null) return null
  return Object.fromEntries(Object.entries(session).filter(([key]) => key !== 'cookie'))
}

/** What a store failure (or any error passed to next) answers: 500 with the error's name, code and message. */
export const errorJson: ErrorRequestHandler = (err, _req, res, _next) => {
  res.status(500).json({ name: err.name, code: err.code ?? null, message: err.message })
}

export function sessionApp (middleware: RequestHandler): express.Express {
  const app = express()
  app.use(express.json({ limit: '1mb' }))
  app.use(middleware)
  app.get('/session', (req: any, res) => { res.json(dataOf(req.session)) })
  app.post('/session', (req: any, res) => {
    Object.assign(req.session, req.body)
    res.json(dataOf(req.session))
  })
  app.post('/destroy', (req: any, res, next) => {
    req.session.destroy((err?: Error) => err ? next(err) : res.json('destroyed'))
  })
  app.post('/regenerate', (req: any, res, next) => {
    req.session.regenerate((err?: Error) => err ? next(err) : res.json('regenerated'))
  })
  app.use(errorJson)
  return app
}
