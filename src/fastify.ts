// The `signed-cookie-session/fastify` entry.
export { fastifySession } from './adapters/fastify.js'
export type { FastifyErrorHandler, FastifySession, FastifySessionOptions } from './adapters/fastify.js'
