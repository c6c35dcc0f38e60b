// The adapter for the Fetch API (Request/Response): Hono, Next.js route handlers, Bun, Deno,
// Cloudflare-style handlers. Read the session from a Request, then commit it onto the Response.
import { RequestSession } from '../core/request.js'
import type { Session } from '../core/session.js'
import type { StoreLike } from '../options/store.js'
import { SessionOptionError, type SessionWriteFailure } from '../errors.js'
import { settingsFrom, type BaseOptions, type SessionOptions, type Settings } from '../options/settings.js'
import { nodePlatform } from '../platform/node.js'
import type { Key, KeygripLike } from '../platform/types.js'
import { report } from '../report.js'
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

/** One Request's session lifecycle; users get a FetchSessionHandle, never this. */
class FetchRequestSession extends RequestSession {
  private readonly fetchRequest: Request
  /** The lines the last commit added. */
  private added: readonly string[] = []
  /** The load of this request's session, done once ('done' when it did not have to wait). */
  private loading: Promise<void> | 'done' | undefined

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

  /** Loads the session once; undefined when that did not have to wait. */
  loadOnce (): Promise<void> | undefined {
    if (this.loading === undefined) {
      const loading = this.load()
      this.loading = loading instanceof Promise ? loading : 'done'
    }
    return this.loading === 'done' ? undefined : this.loading
  }

  /** Writes what must be written first (a store), then adds the cookies to `target`. */
  commit<T extends Response | Headers> (target: T): T | Promise<T> {
    const saving = this.save()
    return saving instanceof Promise ? saving.then(() => this.commitTo(target)) : this.commitTo(target)
  }

  private commitTo<T extends Response | Headers> (target: T): T {
    // Duck-typed, so a Headers or Response from another realm (a test runner, an edge runtime) works.
    const headers: Headers = typeof (target as Headers).append === 'function' ? target as Headers : (target as Response).headers
    // A second commit replaces what the first one added instead of adding it again.
    const earlier = new Set(this.added)
    const previous = setCookiesOf(headers).filter((line) => !earlier.has(line))
    let merged
    try {
      merged = this.setCookiesNow(previous)
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

  /** Bound, so `const { session, commit } = sessions(request)` works. */
  readonly commit = <T extends Response | Headers>(target: T): T => this.#context.commit(target) as T
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
  const settings = settingsFrom(options as never, nodePlatform)
  // One request has one session: a second call for the same Request returns the first one's.
  const sessions = new WeakMap<Request, FetchSessionHandle>()
  const contexts = new WeakMap<FetchSessionHandle, FetchRequestSession>()
  const owner = Symbol('signed-cookie-session fetch')
  const kClaim = claimKey(settings.name)
  const handleOf = (request: Request): FetchSessionHandle => {
    let handle = sessions.get(request)
    if (handle === undefined) {
      claim(request, kClaim, owner, settings.name)
      const context = new FetchRequestSession(settings, request)
      handle = new FetchSessionHandle(context)
      sessions.set(request, handle)
      contexts.set(handle, context)
    }
    return handle
  }
  const read = (request: Request): FetchSession => {
    const handle = handleOf(request)
    if ((contexts.get(handle) as FetchRequestSession).loadOnce() !== undefined) {
      throw new SessionOptionError('with option "store" the session is loaded asynchronously: use "await sessions.load(request)"')
    }
    return handle
  }
  return Object.assign(read, {
    async load (request: Request): Promise<FetchSession> {
      const handle = handleOf(request)
      await (contexts.get(handle) as FetchRequestSession).loadOnce()
      return handle
    }
  })
}
