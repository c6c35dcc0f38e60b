// The adapter for the Fetch API (Request/Response): Hono, Next.js route handlers, Bun, Deno,
// Cloudflare-style handlers. Read the session from a Request, then commit it onto the Response.
import { RequestSession } from '../core/request.js'
import type { Session } from '../core/session.js'
import type { DefaultSessionData, SessionDataConstraint, SessionInput } from '../types.js'
import { SessionOptionError, type SessionWriteFailure } from '../errors.js'
import { settingsFrom, type BaseOptions, type SessionOptions, type Settings } from '../options/settings.js'
import { isKeygrip, type Key, type KeygripLike } from '../platform/types.js'
import { webPlatform } from '../platform/web.js'
import { report } from '../report.js'
import { claim, claimKey, isHttps } from './shared.js'
import { guardCaches, routeName } from './shared/cache-headers.js'

/**
 * Options of `fetchSession(options)`: those of `cookieSession`, with the hooks and onError taking the
 * Request. `Data` is the session data type the hooks see.
 */
export type FetchSessionOptions<Data extends object = DefaultSessionData> = BaseOptions<Request, [request: Request], Data>

/** Called when the session cookie cannot be written; the response goes out without it. */
export type FetchErrorHandler = (err: SessionWriteFailure, request: Request) => void

/** One request's session: what `await sessions(request)` gives; `Data` is the session data type. */
export interface FetchSession<Data extends object = DefaultSessionData> {
  /** The session; set to `null` to destroy it, or to an object to replace it. */
  get session (): Session<Data> | null
  set session (value: SessionInput<Data> | null | undefined)
  /** This request's cookie options: a copy of the middleware's, changeable per response. */
  sessionOptions: SessionOptions
  /**
   * Writes what must be written first (with `store`: the store; a failure rejects with a
   * `SessionStoreError`), then adds the Set-Cookie headers this session needs to `response` (or to
   * a `Headers`) and resolves with it. A Response whose headers are immutable (e.g.
   * `Response.redirect()`) is copied first: use the returned one. A cookie that cannot be written
   * goes to `onError`, and the response comes back without it.
   */
  commit<T extends Response | Headers> (target: T): Promise<T>
}

/**
 * What `fetchSession(options)` returns: `await sessions(request)` reads (and verifies) the
 * request's session; the same Request always gives the same session.
 */
export interface FetchSessions<Data extends object = DefaultSessionData> {
  (request: Request): Promise<FetchSession<Data>>
  /** The same as `sessions(request)`. */
  load (request: Request): Promise<FetchSession<Data>>
}

/** @deprecated Store mode has the same API now: `FetchSession`. */
export type FetchStoreSession = FetchSession
/** @deprecated Store mode has the same API now: `FetchSessions`. */
export type FetchStoreSessions = FetchSessions

/** One Request's session lifecycle; users get a FetchSessionHandle, never this. */
class FetchRequestSession extends RequestSession {
  private readonly fetchRequest: Request
  /** The lines the last commit added. */
  private added: readonly string[] = []
  /** The load of this request's session, done once. */
  private loading: Promise<void> | undefined

  constructor (settings: Settings, request: Request) {
    // The cookie jar reads a node:http-like request's headers.cookie; a Request is given that shape.
    super(settings, request, { headers: { cookie: request.headers.get('cookie') ?? undefined } })
    this.fetchRequest = request
  }

  isSecure (): boolean {
    return isHttps(this.fetchRequest.url.startsWith('https:'), this.settings, this.fetchRequest.headers.get('x-forwarded-proto'))
  }

  reportError (err: unknown): void {
    report(this.settings, err, this.fetchRequest)
  }

  /** Loads the session once (verifying the cookie waits for Web Crypto). */
  loadOnce (): Promise<void> {
    this.loading ??= Promise.resolve(this.load())
    return this.loading
  }

  /** Writes what must be written first (a store), then adds the cookies and caching headers to `target`. */
  async commit<T extends Response | Headers> (target: T): Promise<T> {
    await this.save()
    // Duck-typed, so a Headers or Response from another realm (a test runner, an edge runtime) works.
    const headers: Headers = typeof (target as Headers).append === 'function' ? target as Headers : (target as Response).headers
    // A second commit replaces what the first one added instead of adding it again.
    const earlier = new Set(this.added)
    const previous = setCookiesOf(headers).filter((line) => !earlier.has(line))
    let merged: string[] | undefined
    try {
      merged = await this.setCookies(previous)
    } catch (err) {
      this.reportError(err)
    }
    if (merged !== undefined) {
      const kept = new Set(previous)
      this.added = merged.filter((line) => !kept.has(line))
    }
    // The caching headers are decided on what the target holds, and written with the cookies below
    // (the target's headers may be immutable).
    const writes: Array<[string, string]> = []
    guardCaches(this, { get: (name) => headers.get(name) ?? undefined, set: (name, value) => { writes.push([name, value]) } },
      merged !== undefined, () => routeName(this.fetchRequest.method, new URL(this.fetchRequest.url).pathname))
    if (merged === undefined && writes.length === 0) return target
    const write = (into: Headers): void => {
      if (merged !== undefined) setAll(into, merged)
      for (const [name, value] of writes) into.set(name, value)
    }
    try {
      write(headers)
      return target
    } catch {
      // Immutable headers (Response.redirect(), a fetch() response): answer with a copy.
      const copy = new Response((target as Response).body, target as Response)
      write(copy.headers)
      return copy as T
    }
  }
}

/** What a user holds for one request: the session, its options and commit, nothing of the machinery. */
class FetchSessionHandle implements FetchSession {
  readonly #context: FetchRequestSession

  constructor (context: FetchRequestSession) {
    this.#context = context
  }

  get session (): Session | null {
    return this.#context.session
  }

  set session (value: object | null | undefined) {
    this.#context.session = value
  }

  get sessionOptions (): SessionOptions {
    return this.#context.sessionOptions
  }

  set sessionOptions (value: SessionOptions) {
    this.#context.sessionOptions = value
  }

  /** Bound, so `const { session, commit } = await sessions(request)` works. */
  readonly commit = async <T extends Response | Headers>(target: T): Promise<T> => await this.#context.commit(target)
}

function setCookiesOf (headers: Headers): string[] {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie()
  const joined = headers.get('set-cookie') // runtimes without getSetCookie (Node < 18.14) join them
  return joined === null ? [] : [joined]
}

function setAll (headers: Headers, setCookies: readonly string[]): void {
  headers.delete('set-cookie')
  for (const line of setCookies) headers.append('set-cookie', line)
}

/**
 * Creates a session reader for Fetch-API handlers, on every runtime (Cloudflare Workers, Vercel's
 * Edge runtime, Deno, Bun, Node): `const sessions = fetchSession({ keys })`, then per request
 * `const s = await sessions(request)`, use `s.session`, and `return await s.commit(response)`. Same
 * options as `cookieSession`, with the keys as a list (a Keygrip instance is Node's); throws a
 * `TypeError` naming any invalid option. `Data` is the session data type (the declared
 * `SessionData` by default): `fetchSession<{ userId: string }>({ keys })`.
 * @example
 * const sessions = fetchSession({ keys: [env.SESSION_KEY] })
 * const s = await sessions(request)
 * s.session.views = (s.session.views ?? 0) + 1
 * return await s.commit(new Response(`${s.session.views} views`))
 */
export function fetchSession<Data extends SessionDataConstraint<Data> = DefaultSessionData> (options?: FetchSessionOptions<Data> | readonly Key[]): FetchSessions<Data> {
  const given = options as { keys?: unknown } | KeygripLike | undefined
  if (isKeygrip(given) || isKeygrip((given as { keys?: unknown } | undefined)?.keys)) {
    throw new SessionOptionError('option "keys" is a Keygrip instance, which works only on Node (it signs with node:crypto): ' +
      'give the list of keys itself, newest first, e.g. keys: [process.env.SESSION_KEY]')
  }
  const settings = settingsFrom(options as never, webPlatform)
  // One request has one session: a second call for the same Request returns the first one's.
  const sessions = new WeakMap<Request, FetchSessionHandle>()
  const contexts = new WeakMap<FetchSessionHandle, FetchRequestSession>()
  const owner = Symbol('signed-cookie-session fetch')
  const kClaim = claimKey(settings.name)
  const load = async (request: Request): Promise<FetchSession> => {
    let handle = sessions.get(request)
    if (handle === undefined) {
      claim(request, kClaim, owner, settings.name)
      const context = new FetchRequestSession(settings, request)
      handle = new FetchSessionHandle(context)
      sessions.set(request, handle)
      contexts.set(handle, context)
    }
    await (contexts.get(handle) as FetchRequestSession).loadOnce()
    return handle
  }
  // One implementation for every data type: the data type is the caller's promise, not checked here.
  return Object.assign(load, { load }) as unknown as FetchSessions<Data>
}
