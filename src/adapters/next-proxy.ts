// proxy.ts (Next 16; middleware.ts before it) runs before the page renders, with a NextRequest
// and the NextResponse it returns. What it sets on that response's cookies, Next also hands to
// the cookies() of the same request's render (the x-middleware-set-cookie header), so a session
// saved in proxy.ts is the one the page's getSession reads, and the browser gets the same cookies.
import type { CookieStoreLike, CookieStoreOptions } from './next-cookie-store.js'

/** What proxyCookies needs of a NextRequest: its cookies, read by name. */
export interface ProxyRequestLike {
  readonly cookies: { get (name: string): { readonly value: string } | undefined }
}

/** What proxyCookies needs of the NextResponse proxy.ts returns: its cookies, read and set. */
export interface ProxyResponseLike {
  readonly cookies: {
    get (name: string): { readonly value: string } | undefined
    set (name: string, value: string, options: CookieStoreOptions): unknown
  }
}

/**
 * The cookie store of a proxy.ts call, for `getSession`: it reads the cookies `response` has set
 * (a session saved earlier in this proxy), else the request's, and sets cookies on `response`.
 * Return that response (e.g. `NextResponse.next()`): the page rendered for this request then reads
 * what was saved, and the browser stores it.
 * @example
 * export async function proxy (request: NextRequest) {
 *   const response = NextResponse.next()
 *   const session = await getSession(proxyCookies(request, response), sessionOptions)
 *   session.visits = (session.visits ?? 0) + 1
 *   await session.save()
 *   return response
 * }
 */
export function proxyCookies (request: ProxyRequestLike, response: ProxyResponseLike): CookieStoreLike {
  return {
    get: (name) => response.cookies.get(name) ?? request.cookies.get(name),
    set: (name, value, options) => response.cookies.set(name, value, options)
  }
}
