// The adapter for the Fetch API (Request/Response): Hono, Next.js route handlers, Bun, Deno,
// Cloudflare-style handlers. Read the session from a Request, then commit it onto the Response.
import { SessionContext } from '../core/context.js'
import type { Session } from '../core/session.js'
import type { StoreLike } from '../options/store.js'
import { SessionOptionError, type SessionWriteFailure } from '../errors.js'
import { settingsFrom, type BaseOptions, type SessionOptions, type Settings } from '../options/settings.js'
import { report } from '../report.js'
import type { Key, KeygripLike } from '../wire/signer.js'
import { claim, claimKey, isHttps } from './shared.js'

/** Options of `fetchSession(options)`: those of `cookieSession`, with the hooks and onError taking the Request. */
export type FetchSessionOptions = BaseOptions<Request, [request: Request]>

/** Called when the session cookie cannot be written; the response goes out without it. */
export type FetchErrorHandler = (err: SessionWriteFailure, request: Request) => void

/** One request's session. */
export interface FetchSession {
  /** The session; set to `null` to destroy it, or to an object to replace it. */
  get session (): Session | null
  set session (value: object | null | undefined)
  /** This request's cookie options: a copy of the middleware's, changeable per response. */
  sessionOptions: SessionOptions
  /**
   * Adds the Set-Cookie headers this session needs to `response` (or to a `Headers`) and returns it.
   * A Response whose headers are immutable (e.g. `Response.redirect()`) is copied first: use the
   * returned one. Failures go to `onError`; the response is returned without the cookie.
   */
  commit<T extends Response | Headers> (target: T): T
}

/** One request's session in store mode: as FetchSession, but `commit` first writes the store. */
export interface FetchStoreSession extends Omit<FetchSession, 'commit'> {
  /** Writes a changed session to the store, then adds the cookie; rejects with a `SessionStoreError` when the store fails. */
  commit<T extends Response | Headers> (target: T): Promise<T>
}

/** What `fetchSession(options)` returns: `sessions(request)`, or `await sessions.load(request)`. */
export interface FetchSessions {
  (request: Request): FetchSession
  /** The same session, as a promise (the entry point store mode needs). */
  load (request: Request): Promise<FetchSession>
}

/** What `fetchSession({ store, ... })` returns: loading from a store is asynchronous, so only `load`. */
export interface FetchStoreSessions {
  load (request: Request): Promise<FetchStoreSession>
}

class FetchSessionContext extends SessionContext implements FetchSession {
  private readonly fetchRequest: Request
  /** The lines the last commit added. */
  private added: readonly string[] = []

  constructor (settings: Settings, request: Request) {
    // The `cookies` module reads a node:http request's headers.cookie; a Request is given that shape.
    super(settings, request, { headers: { cookie: request.headers.get('cookie') ?? undefined } })
    this.fetchRequest = request
  }

  protected isSecure (): boolean {
    return isHttps(this.fetchRequest.url.startsWith('https:'), this.settings, this.fetchRequest.headers.get('x-forwarded-proto'))
  }

  reportError (err: unknown): void {
    report(this.settings.onError, err, this.fetchRequest)
  }

  /** Bound, so `const { session, commit } = sessions(request)` works. */
  readonly commit = <T extends Response | Headers>(target: T): T => this.stored === undefined
    ? this.commitTo(target)
    : this.stored.save(true).then(() => this.commitTo(target)) as unknown as T

  /** Store mode: the load of this request's session, done once. */
  loading: Promise<void> | undefined

  private commitTo<T extends Response | Headers> (target: T): T {
    // Duck-typed, so a Headers or Response from another realm (a test runner, an edge runtime) works.
    const headers: Headers = typeof (target as Headers).append === 'function' ? target as Headers : (target as Response).headers
    // A second commit replaces what the first one added instead of adding it again.
    const earlier = new Set(this.added)
    const previous = setCookiesOf(headers).filter((line) => !earlier.has(line))
    let merged
    try {
      merged = this.setCookies(previous)
    } catch (err) {
      this.reportError(err)
      return target
    }
    if (merged === undefined) return target
    const kept = new Set(previous)
    this.added = merged.filter((line) => !kept.has(line))
    try {
      setAll(headers, merged)
      return target
    } catch {
      // Immutable headers (Response.redirect(), a fetch() response): answer with a copy.
      const copy = new Response((target as Response).body, target as Response)
      setAll(copy.headers, merged)
      return copy as T
    }
  }
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
 * Creates a session reader for Fetch-API handlers: `const sessions = fetchSession({ keys })`, then
 * per request `const s = sessions(request)`, use `s.session`, and `return s.commit(response)`.
 * Same options as `cookieSession`; throws a `TypeError` naming any invalid option.
 */
export function fetchSession (options: FetchSessionOptions & { store: StoreLike }): FetchStoreSessions
export function fetchSession (options?: FetchSessionOptions | readonly Key[] | KeygripLike): FetchSessions
export function fetchSession (options?: FetchSessionOptions | readonly Key[] | KeygripLike): FetchSessions | FetchStoreSessions {
  const settings = settingsFrom(options as never)
  // One request has one session: a second call for the same Request returns the first one's.
  const sessions = new WeakMap<Request, FetchSessionContext>()
  const owner = Symbol('signed-cookie-session fetch')
  const kClaim = claimKey(settings.name)
  const contextOf = (request: Request): FetchSessionContext => {
    let context = sessions.get(request)
    if (context === undefined) {
      claim(request, kClaim, owner, settings.name)
      sessions.set(request, context = new FetchSessionContext(settings, request))
    }
    return context
  }
  const read = (request: Request): FetchSession => {
    if (settings.store !== undefined) {
      throw new SessionOptionError('with option "store" the session is loaded asynchronously: use "await sessions.load(request)"')
    }
    return contextOf(request)
  }
  return Object.assign(read, {
    async load (request: Request): Promise<FetchSession> {
      const context = contextOf(request)
      context.loading ??= context.stored?.load()
      await context.loading
      return context
    }
  })
}
