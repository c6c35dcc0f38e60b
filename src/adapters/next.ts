// The adapter for a framework's cookie store: Next.js (Server Actions, route handlers, server
// components and proxy.ts, through `await cookies()` or proxyCookies), and SvelteKit's and Astro's
// `cookies`, which have the same get and set. Portable: the Web platform, so it runs on Next's
// Node and Edge runtimes alike. Values are written in base64url (no padding), which the stores'
// percent-encoding leaves as it is, so the Fetch entry, the Node adapters and cookie-session read
// what it writes.
import { RequestSession } from '../core/request.js'
import type { SessionState } from '../core/session.js'
import { SessionOptionError, type SessionWriteFailure } from '../errors.js'
import { settingsFrom, type BaseOptions, type Settings } from '../options/settings.js'
import { after, type MaybePromise } from '../platform/maybe.js'
import { isKeygrip, type CookieSource, type Jar } from '../platform/types.js'
import { webPlatform } from '../platform/web.js'
import { report } from '../report.js'
import { StoreJar, writeThrough, type CookieStoreLike } from './next-cookie-store.js'
import { nextSessionApi, type NextHost, type NextSession } from './next-session.js'

/** Options of `getSession(cookies, options)`: those of `cookieSession`, with the hooks and onError taking the cookie store. */
export type NextSessionOptions = BaseOptions<CookieStoreLike, [cookies: CookieStoreLike]>

/** Called when a failure is reported rather than thrown (a `validate` hook that returned a promise). */
export type NextErrorHandler = (err: SessionWriteFailure, cookies: CookieStoreLike) => void

/** Nothing is read from a Cookie header: the cookie store is the request's cookies. */
const NO_HEADER: CookieSource = Object.freeze({ headers: Object.freeze({}) })

const NEXT_SESSION_API = nextSessionApi((state) => state.host as unknown as NextRequestSession)

/** One getSession call's session lifecycle. */
class NextRequestSession extends RequestSession implements NextHost {
  protected override readonly adapterApi = NEXT_SESSION_API
  private readonly store: CookieStoreLike

  constructor (settings: Settings, store: CookieStoreLike) {
    super(settings, store, NO_HEADER)
    this.store = store
  }

  protected override createJar (): Jar {
    return new StoreJar(this.store, this.settings.platform.createJar(NO_HEADER, this.settings.signer))
  }

  /**
   * A cookie store tells nothing of the connection, so it is taken to be HTTPS: the cookie is
   * Secure unless the options say `secure: false` (as iron-session's are; browsers keep Secure
   * cookies from http://localhost too).
   */
  isSecure (): boolean {
    return true
  }

  reportError (err: unknown): void {
    report(this.settings, err, this.store)
  }

  /** session.save(): the store's record first (the store option), then the cookies, even if unchanged. */
  async commit (): Promise<void> {
    this.touch()
    await this.save()
    await this.writeNow()
  }

  /** session.destroy(): the cookies are cleared at once; the promise waits for a store's record to go. */
  end (state: SessionState): Promise<void> {
    const dropped = Promise.resolve(this.destroy())
    // The object the app holds is emptied, as iron-session's destroy() empties it.
    for (const key of Object.keys(state.proxy)) delete state.proxy[key]
    try {
      return Promise.all([dropped, this.writeNow()]).then(() => undefined)
    } catch (err) {
      dropped.catch(() => {})
      throw err
    }
  }

  /** The cookies this session needs, set through the store (synchronously when nothing is signed). */
  private writeNow (): MaybePromise<void> {
    return after(this.cookieWrites(), (planned) => planned === undefined ? undefined : writeThrough(this.store, this.settings.signer, planned, this.jar))
  }
}

/** The checked settings of each options object, made at its first getSession (so `next build` needs no keys). */
const checked = new WeakMap<object, Settings>()

function settingsOf (options: NextSessionOptions): Settings {
  let settings = checked.get(options)
  if (settings !== undefined) return settings
  if (isKeygrip(options) || isKeygrip(options?.keys)) {
    throw new SessionOptionError('option "keys" is a Keygrip instance, which works only on Node (it signs with node:crypto): ' +
      'give the list of keys itself, newest first, e.g. keys: process.env.SESSION_KEYS?.split(\',\')')
  }
  settings = settingsFrom(options as never, webPlatform, undefined, { urlSafe: true })
  checked.set(options, settings)
  return settings
}

/**
 * The session of the request whose cookies `cookies` holds: in Next.js, `await cookies()` from
 * `next/headers` in a Server Action, a route handler or a server component, or
 * `proxyCookies(request, response)` in proxy.ts; SvelteKit's `cookies` and Astro's `Astro.cookies`
 * work as they are. Same options as `cookieSession`, checked at the first call with each options
 * object (so a build without the keys succeeds; the first request then fails naming `keys`).
 * `await session.save()` writes the cookies, `session.destroy()` clears them; where the store cannot
 * set cookies (a server component), both throw a `SessionWriteError`. A cookie store tells nothing of
 * the connection, so `secure` defaults to `true` (`secure: false` for plain HTTP).
 * @example
 * // app/actions.ts
 * 'use server'
 * import { cookies } from 'next/headers'
 * import { getSession } from 'signed-cookie-session/next'
 *
 * const sessionOptions = { keys: process.env.SESSION_KEYS?.split(','), maxAge: 24 * 60 * 60 * 1000 }
 *
 * export async function logIn (form: FormData) {
 *   const session = await getSession(await cookies(), sessionOptions)
 *   session.user = String(form.get('name'))
 *   await session.save()
 * }
 */
export async function getSession (cookies: CookieStoreLike, options: NextSessionOptions): Promise<NextSession> {
  if (typeof cookies?.get !== 'function' || typeof cookies.set !== 'function') {
    throw new TypeError('getSession(cookies, options): cookies must be a cookie store with get() and set(): in Next.js, `await cookies()` ' +
      '(from next/headers), or proxyCookies(request, response) in proxy.ts')
  }
  const context = new NextRequestSession(settingsOf(options), cookies)
  await context.load()
  return context.session as NextSession
}
