// koa-session's module shape over our Koa adapter, and nothing else: its default export (and its
// named `createSession`) is the middleware factory, called as `session(options, app)` or
// `session(app, options)`, which is how our koaSession is called too. No option is translated here:
// what a koa-session test passes reaches our adapter as it passes it. Used to run koa-session's own
// store tests against our adapter locally; none of koa-session's code is kept in this repository.
import { koaSession } from '../../src/koa.js'

export default koaSession
export { koaSession as createSession }
