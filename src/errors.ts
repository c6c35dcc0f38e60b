/**
 * Base class of every error this library reports. Switch on `code`, which is stable across versions.
 */
export class SessionError extends Error {
  /** Stable machine-readable identifier, e.g. `ERR_SESSION_TOO_LARGE`. */
  readonly code: string

  constructor (code: string, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
  }
}

/**
 * The encoded session cookie would exceed the size limit (`maxSize`, 4093 bytes by default),
 * so it was not sent; the browser keeps the previous cookie.
 */
export class SessionTooLargeError extends SessionError {
  declare readonly code: 'ERR_SESSION_TOO_LARGE'
  /** Bytes the Set-Cookie string would have taken. */
  readonly size: number
  /** The limit in force for that response. */
  readonly limit: number

  constructor (name: string, size: number, limit: number) {
    super('ERR_SESSION_TOO_LARGE',
      `session cookie "${name}" would be ${size} bytes, over the limit of ${limit}; ` +
      'it was not sent and the previous cookie stays valid. Store less in the session ' +
      '(e.g. an id, with the data in a database), or raise "maxSize" if every browser you support allows it')
    this.size = size
    this.limit = limit
  }
}

/** The session could not be encoded as JSON (a BigInt, a circular reference, a throwing toJSON). */
export class SessionSerializeError extends SessionError {
  declare readonly code: 'ERR_SESSION_SERIALIZE'

  constructor (cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause)
    super('ERR_SESSION_SERIALIZE',
      `session could not be encoded as JSON (${reason}); it was not sent and the previous cookie stays valid`,
      { cause })
  }
}

/**
 * A cookie with `secure: true` was to be sent over a plain-http connection. Behind a TLS-terminating
 * proxy, trust it (Express: `app.set('trust proxy', 1)`; Koa: `app.proxy = true`; else `trustProxy`).
 */
export class InsecureConnectionError extends SessionError {
  declare readonly code: 'ERR_SESSION_INSECURE'

  constructor (name: string) {
    // The first sentence is the text `cookies` throws, kept so existing checks still match.
    super('ERR_SESSION_INSECURE',
      `Cannot send secure cookie over unencrypted connection: session cookie "${name}" was not sent. ` +
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

/** An option given to `cookieSession(...)`, or set on `req.sessionOptions`, is invalid. */
export class SessionOptionError extends TypeError {
  readonly code = 'ERR_SESSION_OPTION'

  constructor (message: string) {
    super(message)
    this.name = 'SessionOptionError'
  }
}

/** What `onError` and the `save()` callback can receive; `switch (err.code)` narrows it. */
export type SessionWriteFailure =
  | SessionTooLargeError
  | SessionSerializeError
  | InsecureConnectionError
  | SessionOptionError
  | SessionWriteError
