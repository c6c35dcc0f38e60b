// The `signed-cookie-session/koa` entry as an ES module: the same objects as the CommonJS entry.
export { koaSession } from './koa.js'
export type { KoaContextLike, KoaErrorHandler, KoaSessionMiddleware, KoaSessionOptions } from './koa.js'
