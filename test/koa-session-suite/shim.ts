// koa-session's module shape over our Koa entry, for running koa-session's own tests against it:
// its default export (and its named `createSession`) become `koaSession`. Nothing else changes:
// the tests' options reach koaSession exactly as they wrote them.
import { koaSession } from '../../src/koa.js'

export { koaSession as createSession }
export default koaSession
