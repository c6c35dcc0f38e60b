// Writing a session's cookies onto a node:http response (the Node and Koa adapters), with failures
// reported to the app instead of thrown into the framework.
import type { ServerResponse } from 'node:http'
import type { RequestSession } from '../../core/request.js'
import { SessionWriteError } from '../../errors.js'

/** The Set-Cookie lines a node:http response holds so far. */
function setCookiesOf (res: ServerResponse): string[] {
  const previous = res.getHeader('Set-Cookie')
  return previous === undefined ? [] : Array.isArray(previous) ? previous : [String(previous)]
}

/**
 * Adds the session's cookies to a node:http response (merged with the lines it has); throws the
 * `SessionError` that keeps them from being written.
 */
export function writeTo (context: RequestSession, res: ServerResponse): void {
  const lines = context.setCookiesNow(setCookiesOf(res))
  if (lines === undefined) return
  if (res.headersSent) {
    throw new SessionWriteError('the response headers were already sent (ctx.respond = false, or a flushed stream)')
  }
  res.setHeader('Set-Cookie', lines)
}

/**
 * Adds the session's cookies to a node:http response (merged with the lines it has), or reports
 * why they cannot be (to `onError`); the response then goes out as it is.
 */
export function commitTo (context: RequestSession, res: ServerResponse): void {
  try {
    writeTo(context, res)
  } catch (err) {
    context.reportError(err)
  }
}
