// The `signed-cookie-session/koa` entry.
export { koaSession } from './adapters/koa.js'
export type { KoaContextLike, KoaErrorHandler, KoaOptions, KoaSession, KoaSessionCallback, KoaSessionMiddleware, KoaSessionOptions } from './adapters/koa.js'
