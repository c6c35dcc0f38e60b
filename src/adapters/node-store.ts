// Store mode on node:http, Connect and Express: the session is loaded before the app runs, and a
// changed session is written to the store before the response ends. The headers hook (on-headers)
// is synchronous, so, as express-session does, `res.end` is held until the store write settled;
// `res.write` streams as usual (the id cookie goes out with the headers, the record at the end).
import type { ServerResponse } from 'node:http'
import type { SessionContext } from '../core/context.js'
import type { StoreLifecycle } from '../core/store-context.js'
import { SessionOptionError } from '../errors.js'

type Next = (err?: unknown) => void

/** Something thrown by the app's own `next` chain is the app's: thrown again, outside our promise. */
function rethrow (err: unknown): void {
  process.nextTick(() => { throw err })
}

/**
 * Loads the session, then calls `next` (`next(err)` with a `SessionStoreError` when the store
 * fails); holds `res.end` until the store write that the response needs has settled.
 */
export function serveWithStore (context: SessionContext, stored: StoreLifecycle, res: ServerResponse, next: Next | undefined): void {
  if (next === undefined) {
    throw new SessionOptionError('with option "store" the middleware loads the session asynchronously: ' +
      'call it with a next callback, middleware(req, res, (err) => { ... })')
  }
  holdEnd(context, stored, res, next)
  stored.load().then(() => next(), next).catch(rethrow)
}

function holdEnd (context: SessionContext, stored: StoreLifecycle, res: ServerResponse, next: Next): void {
  const end = res.end as (...args: unknown[]) => ServerResponse
  let saving: 'no' | 'yes' | 'done' = 'no'
  res.end = function held (this: ServerResponse, ...args: unknown[]): ServerResponse {
    if (saving === 'done' || !context.accessed) return end.apply(this, args)
    // A second end() while the write is under way changes nothing, as on an ended response.
    if (saving === 'yes') return this
    saving = 'yes'
    stored.save(true).then(() => {
      saving = 'done'
      end.apply(res, args)
    }, (err: unknown) => {
      saving = 'done'
      if (res.headersSent) {
        // Too late for an error response: the app hears of it, the response ends as the app sent it.
        context.reportError(err)
        end.apply(res, args)
      } else {
        // The app's error handling answers instead (express-session does the same).
        next(err)
      }
    }).catch(rethrow)
    return this
  } as ServerResponse['end']
}
