// The `signed-cookie-session/fastify` entry as an ES module: the same objects as the CommonJS entry.
export { fastifySession } from './fastify.js'
export type { FastifyErrorHandler, FastifySession, FastifySessionOptions } from './fastify.js'
