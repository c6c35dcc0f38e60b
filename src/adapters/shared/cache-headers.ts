// What keeps a shared cache (a CDN, nginx's proxy_cache, Varnish) from handing one user's session
// to another, decided as the response's headers go out, the same way in every adapter:
// - `Vary: Cookie` on each response whose request read or wrote the session: its content may depend
//   on the cookie, so a cache may only reuse it for a request with the same Cookie header;
// - `Cache-Control: private` on each response that sets or clears the session cookie: a stored copy
//   would give the next visitor this user's Set-Cookie, and with it the session.
// The app's own headers are merged, never replaced: where the app explicitly allowed shared caching
// (`public`, `s-maxage`, ...) its header is kept and the mistake reported, once per route.
// Web-standard only (no `node:` import), so the Fetch adapter can use it on every runtime.
import type { RequestSession } from '../../core/request.js'
import { SessionCacheableError } from '../../errors.js'

/** One response's headers, whatever the framework keeps them in. */
export interface ResponseHeaders {
  /** The header's value (several values joined with `, `), or undefined when it is not set. */
  get (name: string): string | undefined
  set (name: string, value: string): void
}

/** What the response's headers must become: undefined where a header stays as it is. */
export interface CachePlan {
  readonly vary: string | undefined
  readonly cacheControl: string | undefined
  /** The app's header (`Name: value`) that lets shared caches store a response setting the cookie. */
  readonly shareable: string | undefined
}

/**
 * The members of a comma-separated header list, trimmed, empty ones dropped. A comma inside a quoted
 * string (`no-cache="Set-Cookie, Vary"`) does not split.
 */
export function listMembers (value: string): string[] {
  const members: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]
    if (c === '"') quoted = !quoted
    else if (c === '\\' && quoted) i++
    else if (c === ',' && !quoted) {
      members.push(value.slice(start, i))
      start = i + 1
    }
  }
  members.push(value.slice(start))
  return members.map((member) => member.trim()).filter((member) => member !== '')
}

/**
 * The Vary value for a response that depends on the cookie: the app's with `Cookie` added, or
 * undefined when it already says so. `*` already varies on everything (and adding to it would be
 * invalid); `cookie` in any case is the same header.
 */
export function varyWithCookie (vary: string | undefined): string | undefined {
  const members = vary === undefined ? [] : listMembers(vary)
  if (members.some((member) => member === '*' || member.toLowerCase() === 'cookie')) return undefined
  return [...members, 'Cookie'].join(', ')
}

/** A Cache-Control directive's name, lower-cased, and whether it has an argument (`private="Set-Cookie"`). */
function directive (member: string): { name: string, argument: boolean } {
  const eq = member.indexOf('=')
  return { name: (eq === -1 ? member : member.slice(0, eq)).trim().toLowerCase(), argument: eq !== -1 }
}

/** Directives that already keep shared caches from storing the response. */
function keepsPrivate (members: readonly string[]): boolean {
  return members.some((member) => {
    const { name, argument } = directive(member)
    return name === 'no-store' || (name === 'private' && !argument)
  })
}

/**
 * Directives with which the app allowed shared caches to store the response: `public`, `s-maxage`
 * (for shared caches only), and `private="..."`, which keeps only the named headers private: the
 * body, this user's page, may still be stored and served to others.
 */
function allowsShared (members: readonly string[]): boolean {
  return members.some((member) => {
    const { name, argument } = directive(member)
    return name === 'public' || name === 's-maxage' || (name === 'private' && argument)
  })
}

/**
 * Headers that tell CDNs alone how to cache, overriding Cache-Control there: CDN-Cache-Control
 * (RFC 9213) and Surrogate-Control (Fastly, Akamai, Varnish). Any directive but `no-store` or
 * `private` lets the CDN store the response.
 */
const TARGETED = ['CDN-Cache-Control', 'Surrogate-Control'] as const

/**
 * What the caching headers of a response whose request read or wrote the session must become;
 * `setsCookie`: the response sets or clears the session cookie.
 */
export function cachePlan (get: (name: string) => string | undefined, setsCookie: boolean): CachePlan {
  const vary = varyWithCookie(get('Vary'))
  if (!setsCookie) return { vary, cacheControl: undefined, shareable: undefined }
  let shareable: string | undefined
  for (const name of TARGETED) {
    const value = get(name)
    if (value !== undefined && !keepsPrivate(listMembers(value))) shareable ??= `${name}: ${value}`
  }
  const given = get('Cache-Control')
  const members = given === undefined ? [] : listMembers(given)
  if (keepsPrivate(members)) return { vary, cacheControl: undefined, shareable }
  if (allowsShared(members)) return { vary, cacheControl: undefined, shareable: shareable ?? `Cache-Control: ${given as string}` }
  // `private` first, then the app's directives (`max-age=60` becomes `private, max-age=60`): the
  // browser's own cache still follows them.
  return { vary, cacheControl: ['private', ...members].join(', '), shareable }
}

/** The longest path a report quotes: enough to know the route, not a log line's worth of URL. */
const MAX_PATH = 200

/** `GET /account`: the method and path a report names (no query string: it may carry tokens). */
export function routeName (method: string | undefined, target: string): string {
  let path = target
  const end = path.search(/[?#]/)
  if (end !== -1) path = path.slice(0, end)
  if (path.length > MAX_PATH) path = path.slice(0, MAX_PATH) + '...'
  return `${method ?? 'GET'} ${path}`
}

/**
 * How many routes each middleware remembers having reported: every route of an app, but not every
 * `/users/<id>` of a crawl, which would grow without end (later routes are then not reported).
 */
const MAX_ROUTES = 100

/** Per middleware (its settings): the routes already reported. */
const reported = new WeakMap<object, Set<string>>()

/** Whether `route` is reported now: the first time for this middleware, while it remembers routes. */
function firstReport (settings: object, route: string): boolean {
  let routes = reported.get(settings)
  if (routes === undefined) reported.set(settings, routes = new Set())
  if (routes.has(route) || routes.size >= MAX_ROUTES) return false
  routes.add(route)
  return true
}

/**
 * Sets the caching headers this request's session calls for on `headers` (unless the `cacheHeaders`
 * option is off), and reports an app header that lets shared caches store a response that sets the
 * cookie. Call it where the adapter commits the cookies, while the headers can still change;
 * `setsCookie`: the session's cookies were just added to the response; `route`: its method and path.
 */
export function guardCaches (context: RequestSession, headers: ResponseHeaders, setsCookie: boolean, route: () => string): void {
  const { settings } = context
  if (!settings.cacheHeaders || !context.accessed) return
  const plan = cachePlan((name) => headers.get(name), setsCookie)
  if (plan.vary !== undefined) headers.set('Vary', plan.vary)
  if (plan.cacheControl !== undefined) headers.set('Cache-Control', plan.cacheControl)
  if (plan.shareable === undefined) return
  const name = route()
  if (firstReport(settings, name)) context.reportError(new SessionCacheableError(name, settings.name, plan.shareable))
}
