// When the session is read or written asynchronously on node:http, Connect and Express (a store):
// the app runs once the session has loaded, and the response ends once the save has settled. The
// headers hook (on-headers) is synchronous, so, as express-session does, `res.end` is held until
// the save settled; `res.write` streams as usual (the cookie goes out with the headers).
import type { ServerResponse } from 'node:http'
import type { RequestSession } from '../core/request.js'
import { SessionOptionError } from '../errors.js'

type Next = (err?: unknown) => void

/** Something thrown by the app's own `next` chain is the app's: thrown again, outside our promise. */
function rethrow (err: unknown): void {
  process.nextTick(() => { throw err })
}

/** Calls `next` once `loading` has settled (`next(err)` with its failure, a `SessionStoreError`). */
export function nextWhenLoaded (loading: Promise<void>, next: Next | undefined): void {
  if (next === undefined) {
    loading.catch(() => {})
    throw new SessionOptionError('with option "store" the middleware loads the session asynchronously: ' +
      'call it with a next callback, middleware(req, res, (err) => { ... })')
  }
  loading.then(() => next(), next).catch(rethrow)
}

/** Holds `res.end` until the save the response needs has settled; a failure goes to `next(err)` (or onError once the headers are out). */
export function endAfterSave (context: RequestSession, res: ServerResponse, next: Next | undefined): void {
  const end = res.end as (...args: unknown[]) => ServerResponse
  let saving: 'no' | 'yes' | 'done' = 'no'
  res.end = function held (this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (saving === 'done' || !context.accessed) return end.apply(this, args)
    // A second end() while the write is under way changes nothing, as on an ended response.
    if (saving === 'yes') return this
    saving = 'yes'
    Promise.resolve(context.save()).then(() => {
      saving = 'done'
      end.apply(res, args)
    }, (err: unknown) => {
      saving = 'done'
      if (res.headersSent || next === undefined) {
        // Too late for an error response: the app hears of it, the response ends as the app sent it.
        context.reportError(err)
        end.apply(res, args)
      } else {
        // The app's error handling answers instead, on a clean response (as finalhandler makes one):
        // the route's Content-Length, Location, Cache-Control, ETag or Set-Cookie would otherwise
        // go out with the error page (a wrong Content-Length derails a keep-alive connection).
        for (const name of res.getHeaderNames()) res.removeHeader(name)
        next(err)
      }
    }).catch(rethrow)
    return this
  } as ServerResponse['end']
}
