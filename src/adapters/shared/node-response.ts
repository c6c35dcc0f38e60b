// Writing a session's cookies onto a node:http response (the Node and Koa adapters), with failures
// reported to the app instead of thrown into the framework, and the caching headers they call for.
import type { ServerResponse } from 'node:http'
import type { RequestSession } from '../../core/request.js'
import { SessionWriteError } from '../../errors.js'
import { guardCaches, routeName, type ResponseHeaders } from './cache-headers.js'

/** The Set-Cookie lines a node:http response holds so far. */
function setCookiesOf (res: ServerResponse): string[] {
  const previous = res.getHeader('Set-Cookie')
  return previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)]
}

/** A node:http response's headers as the cache-header rules read them (a list joined, as it goes out). */
function headersOf (res: ServerResponse): ResponseHeaders {
  return {
    get (name) {
      const value = res.getHeader(name)
      return value === undefined ? undefined : Array.isArray(value) ? value.join(', ') : String(value)
    },
    set (name, value) { res.setHeader(name, value) }
  }
}

/**
 * Adds the session's cookies to a node:http response (merged with the lines it has), or reports
 * why they cannot be (to `onError`); the response then goes out as it is. Then the caching headers
 * (cache-headers.ts), unless the headers have gone out already (a flushed stream, Koa's
 * `ctx.respond = false`): then nothing can be added.
 */
export function commitTo (context: RequestSession, res: ServerResponse): void {
  let setsCookie = false
  try {
    const lines = context.setCookiesNow(setCookiesOf(res))
    if (lines !== undefined) {
      if (res.headersSent) {
        throw new SessionWriteError('the response headers were already sent (ctx.respond = false, or a flushed stream)')
      }
      res.setHeader('Set-Cookie', lines)
      setsCookie = true
    }
  } catch (err) {
    context.reportError(err)
  }
  // Express's router rewrites req.url under a mount path; originalUrl is the whole path.
  const req = res.req as typeof res.req & { originalUrl?: string } | undefined
  if (!res.headersSent) guardCaches(context, headersOf(res), setsCookie, () => routeName(req?.method, req?.originalUrl ?? req?.url ?? '/'))
}
