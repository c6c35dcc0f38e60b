// The adapter for the Fetch API (Request/Response): Hono, Next.js route handlers, Bun, Deno,
// Cloudflare-style handlers. Read the session from a Request, then commit it onto the Response.
import { SessionContext } from './context.js'
import { mergeSetCookies } from './cookie.js'
import type { SessionError, SessionOptionError } from './errors.js'
import { settingsFrom, type BaseOptions, type SessionOptions, type Settings } from './options.js'
import { report } from './report.js'
import type { Session } from './session.js'
import type { Key, KeygripLike } from './signer.js'

/** Options of `fetchSession(options)`: those of `cookieSession`, with the hooks and onError taking the Request. */
export type FetchSessionOptions = BaseOptions<Request, [request: Request]>

/** Called when the session cookie cannot be written; the response goes out without it. */
export type FetchErrorHandler = (err: SessionError | SessionOptionError, request: Request) => void

/** One request's session. */
export interface FetchSession {
  /** The session; set to `null` to destroy it, or to an object to replace it. */
  session: Session | null
  /** This request's cookie options: a copy of the middleware's, changeable per response. */
  sessionOptions: SessionOptions
  /**
   * Adds the Set-Cookie headers this session needs to `response` (or to a `Headers`) and returns it.
   * A Response whose headers are immutable (e.g. `Response.redirect()`) is copied first: use the
   * returned one. Failures go to `onError`; the response is returned without the cookie.
   */
  commit<T extends Response | Headers> (target: T): T
}

class FetchSessionContext extends SessionContext implements FetchSession {
  private readonly fetchRequest: Request

  constructor (settings: Settings, request: Request) {
    super(settings, request)
    this.fetchRequest = request
  }

  protected cookieHeader (): string | undefined {
    return this.fetchRequest.headers.get('cookie') ?? undefined
  }

  protected isSecure (): boolean {
    return this.fetchRequest.url.startsWith('https:')
  }

  /** Bound, so `const { session, commit } = sessions(request)` works. */
  readonly commit = <T extends Response | Headers>(target: T): T => this.commitTo(target)

  private commitTo<T extends Response | Headers> (target: T): T {
    let lines
    try {
      lines = this.setCookies()
    } catch (err) {
      report(this.settings.onError, err, this.fetchRequest)
      return target
    }
    if (lines.length === 0) return target
    const headers: Headers = target instanceof Headers ? target : (target as Response).headers
    const merged = mergeSetCookies(headers.getSetCookie(), lines)
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

function setAll (headers: Headers, setCookies: readonly string[]): void {
  headers.delete('set-cookie')
  for (const line of setCookies) headers.append('set-cookie', line)
}

/**
 * Creates a session reader for Fetch-API handlers: `const sessions = fetchSession({ keys })`, then
 * per request `const s = sessions(request)`, use `s.session`, and `return s.commit(response)`.
 * Same options as `cookieSession`; throws a `TypeError` naming any invalid option.
 */
export function fetchSession (options?: FetchSessionOptions | readonly Key[] | KeygripLike): (request: Request) => FetchSession {
  const settings = settingsFrom(options as never)
  return (request: Request) => new FetchSessionContext(settings, request)
}
