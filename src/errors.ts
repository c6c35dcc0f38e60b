/**
 * `text` with every character that could forge or break a log line escaped: C0 controls (CR, LF,
 * ...), DEL, the C1 controls (U+0080-U+009F, among them NEL and CSI), the Unicode line and
 * paragraph separators U+2028/U+2029, and the bidirectional overrides (U+202A-U+202E,
 * U+2066-U+2069) that can make a line read differently from what it holds. Messages carry values and causes from outside; a log line
 * must stay one line and carry no terminal escape.
 */
export function escapeControls (text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    switch (c) {
      case '\n': return '\\n'
      case '\r': return '\\r'
      case '\t': return '\\t'
      default: return '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')
    }
  })
}

/**
 * The names of an error's classes, from its own up to the library's base class. The package ships
 * more than one copy of these classes (CommonJS, and the ES module build of the Fetch entry), and
 * an app may meet errors from either: `instanceof` answers by these names, so it holds across copies.
 */
const kClasses = Symbol.for('signed-cookie-session.error-classes')

function classNames (target: abstract new (...args: never[]) => unknown): string[] {
  const names: string[] = []
  for (let c: unknown = target; typeof c === 'function' && c !== Error && c !== TypeError; c = Object.getPrototypeOf(c)) {
    names.push((c as { name: string }).name)
  }
  return names
}

/** `value instanceof cls`, by prototype or by the class names the library stamped on it. */
function isInstance (cls: { name: string, prototype: unknown }, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(cls, value)) return true
  const names = (value as { [kClasses]?: unknown } | null)?.[kClasses]
  return Array.isArray(names) && names.includes(cls.name)
}

/**
 * Base class of every error this library reports. Switch on `code`, which is stable across versions.
 */
export class SessionError extends Error {
  /** Stable machine-readable identifier, e.g. `ERR_SESSION_TOO_LARGE`. */
  readonly code: string

  constructor (code: string, message: string, options?: { cause?: unknown }) {
    super(escapeControls(message), options)
    this.name = new.target.name
    this.code = code
    Object.defineProperty(this, kClasses, { value: classNames(new.target) })
  }

  static override [Symbol.hasInstance] (value: unknown): boolean {
    return isInstance(this, value)
  }
}

/**
 * The encoded session cookie would exceed the size limit (`maxSize`, 4093 bytes by default),
 * so it was not sent; the browser keeps the previous cookie.
 */
export class SessionTooLargeError extends SessionError {
  declare readonly code: 'ERR_SESSION_TOO_LARGE'
  /** Bytes the Set-Cookie string would have taken (cookies, when the limit was the number of chunks). */
  readonly size: number
  /** The limit in force for that response, in bytes (or cookies). */
  readonly limit: number

  /**
   * `kind`: what was over its limit: `maxSize`, `maxTotalSize` for the chunks of a chunked session
   * together, or `chunks` for their number (at most 32, or maxTotalSize over 512 bytes).
   */
  constructor (name: string, size: number, limit: number, kind: 'maxSize' | 'maxTotalSize' | 'chunks' = 'maxSize') {
    const raise = kind === 'chunks'
      ? 'raise "maxSize" so that it takes fewer cookies'
      : `raise "${kind}" if every browser ${kind === 'maxSize' ? '' : 'and proxy '}you support allows it`
    super('ERR_SESSION_TOO_LARGE', tooLargeText(name, size, limit, kind) + '; it was not sent and the previous cookie stays valid. ' +
      `Store less in the session (e.g. an id, with the data in a database), or ${raise}`)
    this.size = size
    this.limit = limit
  }
}

function tooLargeText (name: string, size: number, limit: number, kind: 'maxSize' | 'maxTotalSize' | 'chunks'): string {
  switch (kind) {
    case 'maxSize': return `session cookie "${name}" would be ${size} bytes, over the limit of ${limit}`
    case 'maxTotalSize': return `session cookies "${name}" would be ${size} bytes in all, over the "maxTotalSize" limit of ${limit}`
    case 'chunks': return `session cookies "${name}" would be ${size} cookies, over the most a session may take (${limit})`
  }
}

/** The session could not be encoded as JSON (a BigInt, a circular reference, a throwing toJSON). */
export class SessionSerializeError extends SessionError {
  declare readonly code: 'ERR_SESSION_SERIALIZE'

  /** `where` names the value that failed, e.g. `session.cart.total is a BigInt`. */
  constructor (cause: unknown, where?: string) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    super('ERR_SESSION_SERIALIZE',
      `session could not be encoded as JSON (${where === undefined ? reason : `${where}: ${reason}`}); ` +
      'it was not sent and the previous cookie stays valid',
      { cause })
  }
}

/**
 * A cookie with `secure: true` was to be sent over a plain-http connection. Behind a TLS-terminating
 * proxy, trust it (Express: `app.set('trust proxy', 1)`; Koa: `app.proxy = true`; else `trustProxy`).
 */
export class InsecureConnectionError extends SessionError {
  declare readonly code: 'ERR_SESSION_INSECURE'

  /** `because`: what made the cookie Secure-only, when not `secure: true` (e.g. `sameSite "none"`). */
  constructor (name: string, because?: string) {
    // The first sentence is the text `cookies` throws, kept so existing checks still match.
    super('ERR_SESSION_INSECURE',
      (because === undefined
        ? `Cannot send secure cookie over unencrypted connection: session cookie "${name}" was not sent. `
        : `Cannot send session cookie "${name}" with ${because} over an unencrypted connection: browsers drop such a cookie unless it is Secure, so it was not sent. `) +
      'Behind a proxy that terminates TLS, trust it: Express app.set("trust proxy", 1), Koa app.proxy = true, ' +
      'otherwise the "trustProxy" option')
  }
}

/**
 * Anything else that stopped the cookie being written: the `beforeSave` hook threw, the headers had
 * already been sent (Koa with `ctx.respond = false`), a custom Keygrip failed. The original is `cause`.
 */
export class SessionWriteError extends SessionError {
  declare readonly code: 'ERR_SESSION_WRITE'

  constructor (message: string, cause?: unknown) {
    super('ERR_SESSION_WRITE', `session cookie not written: ${message}`, { cause })
  }

  /** Our own errors as they are; anything else wrapped, so every failure has a known `code`. */
  static from (err: unknown): SessionWriteFailure {
    if (err instanceof SessionError || err instanceof SessionOptionError) return err as SessionWriteFailure
    return new SessionWriteError(err instanceof Error ? err.message : String(err), err)
  }
}

/**
 * The session store (the `store` option) failed to load, save or delete a session. The store's own
 * error is `cause`; nothing was lost silently: the request failed, or `onError` was told.
 */
export class SessionStoreError extends SessionError {
  declare readonly code: 'ERR_SESSION_STORE' | 'ERR_SESSION_STORE_CONFLICT'
  /** What was being done: `get`, `set`, `touch` or `destroy`. */
  readonly operation: string

  constructor (operation: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    super('ERR_SESSION_STORE', `session store ${operation} failed: ${reason}`, { cause })
    this.operation = operation
  }
}

/**
 * A session update lost the race against other requests writing the same session on each of its
 * bounded attempts (the store changed between reading the record and writing it back, every time).
 * The store keeps what the other requests wrote; this request's change was not saved.
 */
export class SessionStoreConflictError extends SessionStoreError {
  declare readonly code: 'ERR_SESSION_STORE_CONFLICT'
  /** How many times the update read, merged and tried to write. */
  readonly attempts: number

  constructor (attempts: number) {
    super('set', undefined)
    // SessionStoreError words its message after a store error; this one has none of its own.
    Object.defineProperty(this, 'code', { value: 'ERR_SESSION_STORE_CONFLICT' })
    Object.defineProperty(this, 'message', {
      value: `session store set gave up after ${attempts} attempts: other requests kept changing the session between ` +
        'reading it and writing it back; this change was not saved'
    })
    this.attempts = attempts
  }
}

/**
 * A response that sets or clears the session cookie was marked storable by shared caches (CDNs,
 * reverse proxies) by the app: `Cache-Control: public` or `s-maxage`, or a `CDN-Cache-Control` or
 * `Surrogate-Control` that allows storing it. The app's header is kept and the cookie is sent; this
 * is reported once per route (method and path) so the mistake is seen before a cache serves one
 * user's cookie to another.
 */
export class SessionCacheableError extends SessionError {
  declare readonly code: 'ERR_SESSION_CACHEABLE'
  /** The request's method and path, e.g. `GET /account`. */
  readonly route: string
  /** The app's header that lets shared caches store the response, e.g. `Cache-Control: public, max-age=60`. */
  readonly header: string

  constructor (route: string, name: string, header: string) {
    super('ERR_SESSION_CACHEABLE',
      `${route} sets or clears the session cookie "${name}" on a response that shared caches may store (${header}): ` +
      'a CDN or proxy could hand this user\'s cookie and page to other visitors. On this route, mark such responses ' +
      '"Cache-Control: private" (or "no-store"), or leave the session untouched; the header was kept as the app set it (reported once per route)')
    this.route = route
    this.header = header
  }
}

/** An option given to `cookieSession(...)`, or set on `req.sessionOptions`, is invalid. */
export class SessionOptionError extends TypeError {
  readonly code = 'ERR_SESSION_OPTION'

  constructor (message: string) {
    super(escapeControls(message))
    this.name = 'SessionOptionError'
    Object.defineProperty(this, kClasses, { value: classNames(new.target) })
  }

  static override [Symbol.hasInstance] (value: unknown): boolean {
    return isInstance(this, value)
  }
}

/** What `onError` and the `save()` callback can receive; `switch (err.code)` narrows it. */
export type SessionWriteFailure =
  | SessionTooLargeError
  | SessionSerializeError
  | InsecureConnectionError
  | SessionOptionError
  | SessionWriteError
  | SessionStoreError
  | SessionCacheableError
