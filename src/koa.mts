// The `signed-cookie-session/koa` entry as an ES module: the same objects as the CommonJS entry.
export { koaSession } from './koa.js'
export type { KoaContextLike, KoaErrorHandler, KoaOptions, KoaSession, KoaSessionCallback, KoaSessionMiddleware, KoaSessionOptions } from './koa.js'
