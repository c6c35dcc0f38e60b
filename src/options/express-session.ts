// express-session's options, with the meaning they have there: `cookie: {...}` (or a function of the
// request), `key`, `resave`, `saveUninitialized`, `unset`, `proxy` and `genid`, and `cookieFormat`,
// which says whose id cookie store mode writes. They take effect with `store` (store mode is what
// express-session is); without one the whole session is in the cookie, where most of them mean
// nothing: `cookie`, `genid` and `cookieFormat` are refused there with what to do instead, the
// others warned about and ignored, as any unknown option is.
//
// Options given in express-session's words make the middleware speak express-session (its
// "style"): its cookie (`connect.sid`, `s:<id>.<signature>`), its defaults (resave and
// saveUninitialized true, unset 'keep'), a session on every request. An app with only this
// library's words keeps this library's defaults.
import { escapeControls, SessionOptionError } from '../errors.js'
import type { Platform } from '../platform/types.js'
import { fail, flag } from './check.js'

/** Whose id cookie store mode writes. */
export type CookieFormat = 'express-session' | 'signed-cookie-session'

/** express-session's `cookie` option: the id cookie's settings, as its `Cookie` takes them. */
export interface ExpressCookieOptions {
  /** Milliseconds the cookie (and the session's record) lives; `null`: a browser-session cookie. */
  maxAge?: number | null | undefined
  /** When the cookie expires (express-session advises `maxAge` instead); `null` or `false`: none. */
  expires?: Date | null | false | undefined
  path?: string | undefined
  domain?: string | undefined
  httpOnly?: boolean | undefined
  /** `'auto'`: Secure on HTTPS (this library's default). */
  secure?: boolean | 'auto' | undefined
  /** `'auto'`: `'none'` on HTTPS, else `'lax'`. */
  sameSite?: boolean | 'lax' | 'strict' | 'none' | 'auto' | undefined
  priority?: 'low' | 'medium' | 'high' | undefined
  partitioned?: boolean | undefined
}

/** express-session's options, as this library takes them (with `store`). `Req` is the adapter's request. */
export interface ExpressSessionOptions<Req> {
  /**
   * With `store`: express-session's cookie settings (`maxAge`, `expires`, `path`, `domain`, `httpOnly`, `secure` with `'auto'`, `sameSite` with `'auto'`, `priority`, `partitioned`), or a function `(req) => settings` called for each request. As in express-session, a session keeps its own lifetime in its record (`originalMaxAge`) and `req.session.cookie` changes it for one session. Without `store`, refused: give the settings as options of their own.
   * @default none
   */
  cookie?: ExpressCookieOptions | ((req: Req) => ExpressCookieOptions) | undefined
  /**
   * express-session's (and koa-session's) other name for `name`.
   * @default none
   */
  key?: string | undefined
  /**
   * With `store`: write a session that did not change back to the store at the end of each request that loaded it (as express-session does; the write never brings back a session another request has destroyed).
   * @default true with express-session's options, else false
   */
  resave?: boolean | undefined
  /**
   * With `store`: store a new session, and send its cookie, even when nothing was put in it.
   * @default true with express-session's options, else false
   */
  saveUninitialized?: boolean | undefined
  /**
   * With `store`: what `req.session = null` (or `delete req.session`) does: `'keep'` leaves the stored session as it was, `'destroy'` deletes it.
   * @default 'keep' with express-session's options, else 'destroy'
   */
  unset?: 'keep' | 'destroy' | undefined
  /**
   * With `store`: `true` believes `X-Forwarded-Proto` (as `trustProxy`); `false` counts only a TLS connection to this server, ignoring Express's `trust proxy` and `req.secure`.
   * @default the framework's setting
   */
  proxy?: boolean | undefined
  /**
   * With `store`: `(req) => string`, the id of a new session (a non-empty string, unique).
   * @default 256 random bits
   */
  genid?: ((req: Req) => string) | undefined
  /**
   * With `store`: the id cookie's format. `'express-session'`: `s:<id>.<signature>` (HMAC-SHA256 with `secret`), which express-session reads too; `'signed-cookie-session'`: the id and `<name>.sig`, as a session cookie is signed (and `encrypt` can seal it). Either way a cookie in the other format is read, and written in this one when it is next sent.
   * @default 'express-session' with express-session's options, else 'signed-cookie-session'
   */
  cookieFormat?: CookieFormat | undefined
}

/** The checked form: what store mode and the adapters do with express-session's options. */
export interface ExpressSessionSettings {
  /** The options are express-session's: its defaults apply, and every request has a session. */
  readonly style: boolean
  readonly cookieFormat: CookieFormat
  readonly resave: boolean
  readonly saveUninitialized: boolean
  readonly unset: 'keep' | 'destroy'
  readonly proxy: boolean | undefined
  readonly genid: ((req: unknown) => unknown) | undefined
  /** `cookie` given as a function: this request's cookie settings. */
  readonly cookieOf: ((req: unknown) => unknown) | undefined
  /** `sameSite: 'auto'`: `'none'` on HTTPS, else `'lax'`. */
  readonly sameSiteAuto: boolean
  /** The express-session cookie read besides this library's own name (`connect.sid`), when they differ. */
  readonly foreignName: string | undefined
}

/** What cookie mode (and a store without express-session's options) has: none of it. */
export const NO_EXPRESS_SESSION: ExpressSessionSettings = Object.freeze({
  style: false,
  cookieFormat: 'signed-cookie-session',
  resave: false,
  saveUninitialized: false,
  unset: 'destroy',
  proxy: undefined,
  genid: undefined,
  cookieOf: undefined,
  sameSiteAuto: false,
  foreignName: undefined
})

/** express-session's default cookie name. */
export const EXPRESS_SESSION_NAME = 'connect.sid'

/** The names that make the options express-session's. */
const STYLE_NAMES = ['cookie', 'key', 'resave', 'saveUninitialized', 'unset', 'proxy', 'genid'] as const

/** The keys of express-session's `cookie` option, and ours they become. */
const COOKIE_KEYS = ['maxAge', 'expires', 'path', 'domain', 'httpOnly', 'secure', 'sameSite', 'priority', 'partitioned'] as const

/** Our options that the `cookie` option also sets: given both ways they would disagree. */
const COOKIE_CLASHES = [...COOKIE_KEYS, 'maxage'] as const

const warnedDefaults = new Set<string>()

/** One warning per process for an express-session default the app relies on, as express-session's deprecation. */
function warnDefault (platform: Platform, option: string, text: string): void {
  if (warnedDefaults.has(option)) return
  warnedDefaults.add(option)
  platform.warn(`option "${option}" not given: ${text} (This warning is shown once per process.)`, 'ERR_SESSION_EXPRESS_DEFAULT')
}

type Options = Record<string, unknown>

/**
 * express-session's `cookie: {...}` as this library's cookie options (`secure: 'auto'` is the
 * default here; `sameSite: 'auto'` is resolved per request), and whether sameSite is 'auto'.
 * `where` names the option in messages ("cookie", or the function's result).
 */
export function cookieSettings (cookie: unknown, where: string, platform: Platform | undefined): { options: Options, sameSiteAuto: boolean } {
  if (cookie === null || typeof cookie !== 'object' || Array.isArray(cookie)) {
    fail(where, 'an object of cookie settings (maxAge, secure, sameSite, ...) or a function (req) => settings', cookie)
  }
  const given = cookie as Options
  const options: Options = {}
  let sameSiteAuto = false
  // express-session: when both are set, the one defined last wins.
  const keys = Object.keys(given)
  const last = keys.filter((key) => (key === 'maxAge' || key === 'expires') && given[key] !== undefined && given[key] !== null && given[key] !== false).pop()
  for (const key of keys) {
    const value = given[key]
    if (value === undefined) continue
    if (!(COOKIE_KEYS as readonly string[]).includes(key)) {
      const message = `option "${where}.${key}" is not one of express-session's cookie settings (${COOKIE_KEYS.join(', ')}) and is ignored`
      if (platform === undefined) throw new SessionOptionError(message)
      platform.warn(escapeControls(message), 'ERR_SESSION_UNKNOWN_OPTION')
      continue
    }
    if ((key === 'maxAge' || key === 'expires') && last !== undefined && key !== last) continue
    if (key === 'expires' && value === false) continue
    if (key === 'secure' && value === 'auto') continue
    if (key === 'sameSite' && value === 'auto') {
      sameSiteAuto = true
      continue
    }
    options[key] = value
  }
  return { options, sameSiteAuto }
}

/** Whether the options use any of express-session's own names (`adapterNames` are the adapter's, such as Koa's `key`). */
function speaksExpressSession (options: Options, adapterNames: ReadonlySet<string>): boolean {
  return STYLE_NAMES.some((name) => options[name] !== undefined && !adapterNames.has(name)) || options.cookieFormat === 'express-session'
}

/**
 * express-session's options in `options`: checked, and turned into this library's options (the
 * returned copy, with `cookie` spread into the cookie options and `key` as `name`) and the
 * settings store mode needs. Throws `SessionOptionError`.
 */
export function expressSessionOptions (options: Options, platform: Platform, adapterNames: ReadonlySet<string>): { options: Options, settings: ExpressSessionSettings } {
  const store = options.store !== undefined && options.store !== null
  if (!store) return { options: withoutStoreOnly(options, platform, adapterNames), settings: NO_EXPRESS_SESSION }
  const style = speaksExpressSession(options, adapterNames)
  const format = options.cookieFormat ?? (style ? 'express-session' : 'signed-cookie-session')
  if (format !== 'express-session' && format !== 'signed-cookie-session') fail('cookieFormat', '"express-session" or "signed-cookie-session"', format)
  const flat: Options = { ...options }
  for (const name of [...STYLE_NAMES, 'cookieFormat']) if (!adapterNames.has(name)) delete flat[name]

  const { key } = options
  if (key !== undefined && !adapterNames.has('key')) {
    if (options.name !== undefined && options.name !== key) {
      throw new SessionOptionError('options "key" (express-session\'s other name for "name") and "name" disagree: give one of them')
    }
    flat.name = key
  }
  flat.name ??= format === 'express-session' ? EXPRESS_SESSION_NAME : undefined

  let sameSiteAuto = false
  let cookieOf: ((req: unknown) => unknown) | undefined
  const { cookie } = options
  if (typeof cookie === 'function') {
    cookieOf = cookie as (req: unknown) => unknown
  } else if (cookie !== undefined && cookie !== null) {
    const mapped = cookieSettings(cookie, 'cookie', platform)
    for (const name of COOKIE_CLASHES) {
      if (options[name] !== undefined && Object.hasOwn(cookie, name === 'maxage' ? 'maxAge' : name)) {
        throw new SessionOptionError(`options "cookie.${name === 'maxage' ? 'maxAge' : name}" and "${name}" both given: give it once (in "cookie", as express-session takes it, or as an option of its own)`)
      }
    }
    Object.assign(flat, mapped.options)
    sameSiteAuto = mapped.sameSiteAuto
  }

  const { genid } = options
  if (genid !== undefined && typeof genid !== 'function') fail('genid', 'a function (req) => string that makes a new session id', genid)
  const proxy = flag(options.proxy, 'proxy', undefined)
  if (proxy === true) {
    if (options.trustProxy === false) throw new SessionOptionError('options "proxy: true" and "trustProxy: false" disagree: give one of them')
    flat.trustProxy = true
  }
  const unset = options.unset ?? (style ? 'keep' : 'destroy')
  if (unset !== 'keep' && unset !== 'destroy') fail('unset', '"destroy" or "keep"', unset)
  const resave = flag(options.resave, 'resave', style)
  const saveUninitialized = flag(options.saveUninitialized, 'saveUninitialized', style)
  if (style && options.resave === undefined) {
    warnDefault(platform, 'resave', 'as in express-session, an unchanged session is written back to the store at the end of every request ' +
      'that loaded it; give "resave: false" to write only sessions that changed')
  }
  if (style && options.saveUninitialized === undefined) {
    warnDefault(platform, 'saveUninitialized', 'as in express-session, every new visitor gets a stored session and a cookie; ' +
      'give "saveUninitialized: false" to store a session only once something is put in it')
  }
  const settings: ExpressSessionSettings = Object.freeze({
    style,
    cookieFormat: format,
    resave,
    saveUninitialized,
    unset,
    proxy,
    genid: genid as ((req: unknown) => unknown) | undefined,
    cookieOf,
    sameSiteAuto,
    // Users coming from express-session hold its cookie under its name: read it while ours is another.
    foreignName: format === 'signed-cookie-session' && options.name === undefined && (key === undefined || adapterNames.has('key')) ? EXPRESS_SESSION_NAME : undefined
  })
  return { options: flat, settings }
}

/** Without `store`: express-session's options that cannot mean anything are refused, the rest warned about. */
function withoutStoreOnly (options: Options, platform: Platform, adapterNames: ReadonlySet<string>): Options {
  const refuse = (name: string, why: string): never => { throw new SessionOptionError(`option "${name}" is not supported: ${why}`) }
  if (options.cookie !== undefined) {
    refuse('cookie', 'express-session\'s "cookie: {...}" is used with "store"; without one the whole session is in the cookie: ' +
      'give its settings (maxAge, sameSite, secure, ...) as options of their own')
  }
  if (options.genid !== undefined) {
    refuse('genid', 'without "store" there is no session id to make (the whole session is in the cookie); genid is used with "store"')
  }
  if (options.cookieFormat !== undefined) throw new SessionOptionError('option "cookieFormat" is only used with "store"')
  const flat = { ...options }
  for (const name of ['key', 'resave', 'saveUninitialized', 'unset', 'proxy']) {
    if (options[name] === undefined || adapterNames.has(name)) continue
    delete flat[name]
    platform.warn(`option "${name}" is express-session's and is used only with "store"; without one the whole session is in the cookie, ` +
      'and it is ignored', 'ERR_SESSION_UNKNOWN_OPTION')
  }
  return flat
}
