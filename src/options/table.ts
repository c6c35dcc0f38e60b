// Every option the factories accept, in one table: its name, its default and its description as
// the docs show them (Markdown). It is the one description of each option: the options tables of
// README.md and docs/ are generated from it (`npm run docs`), and tests hold the JSDoc of the options types and
// the list of names the code checks (names.ts) to it. The value rules live in cookie.ts and
// settings.ts. Only the documentation and the tests import this file.

export interface OptionInfo {
  readonly name: string
  /** The default, in Markdown (`—` for none required, words such as 'none' for no value). */
  readonly default: string
  /** What it does, in Markdown; the JSDoc says the same in plain text. */
  readonly doc: string
  /**
   * Which table lists it: the options of every factory (README.md), the security options
   * (docs/security.md), the Koa adapter's (docs/koa.md: koa-session's options, and names whose
   * meaning on Koa is koa-session's), or express-session's (docs/from-express-session.md: store
   * mode's options in express-session's words).
   */
  readonly table: 'options' | 'security' | 'koa' | 'express-session'
}

const row = (table: OptionInfo['table']) => (name: string, defaultText: string, doc: string): OptionInfo =>
  Object.freeze({ name, default: defaultText, doc, table })
const option = row('options')
const security = row('security')
const koa = row('koa')
const express = row('express-session')

export const OPTIONS: readonly OptionInfo[] = Object.freeze([
  option('name', "`'session'`",
    'Cookie name (RFC 6265 token characters). The signature goes in `<name>.sig`.'),
  option('keys', '—',
    'Signing keys, newest first: `keys[0]` signs, every key verifies. Non-empty strings or Buffers, or a [Keygrip](https://www.npmjs.com/package/keygrip) instance (to choose e.g. SHA-256). Required unless `secret` is given or `signed` is `false`.'),
  option('secret', '—',
    'A single key (or, as in express-session, a list of keys, newest first), used when `keys` is not given.'),
  option('maxAge', 'none',
    'Milliseconds until the cookie expires, written as `expires`. `0` or unset: a browser-session cookie.'),
  option('expires', 'none',
    'A `Date` the cookie expires at. `maxAge` wins when both are set.'),
  option('path', "`'/'`",
    'Cookie path.'),
  option('domain', 'none',
    'Cookie domain (none: the cookie belongs to the exact host).'),
  option('sameSite', '`false`',
    "`'strict'`, `'lax'`, `'none'`, `true` (= `'strict'`) or `false` (no attribute)."),
  option('secure', '`true` on HTTPS, else `false`',
    "Only send the cookie over HTTPS. Behind a proxy, set Express's `trust proxy`."),
  option('httpOnly', '`true`',
    'Hide the cookie from client-side JavaScript.'),
  option('partitioned', '`false`',
    'Add `Partitioned` (CHIPS).'),
  option('priority', 'none',
    "`'low'`, `'medium'` or `'high'`."),
  option('signed', '`true`',
    'Sign the cookie. With `false` the client can forge the session: only for data you would accept from anyone.'),
  option('overwrite', '`true`',
    'Replace Set-Cookie headers of the same name set earlier in the response.'),
  option('maxSize', '`4093`',
    'Largest Set-Cookie string, in bytes, the session cookie may take ([size limit](https://github.com/signed-cookie-session/signed-cookie-session/blob/main/docs/large-sessions.md#the-size-limit)). `Infinity` lifts it.'),
  option('compress', '`false`',
    "Deflate the session when that makes the cookie shorter ([large sessions](https://github.com/signed-cookie-session/signed-cookie-session/blob/main/docs/large-sessions.md)). Refused with `encrypt: true` unless given as `'i-understand-compression-leaks-secrets'`."),
  option('chunked', '`false`',
    'Spread a session too large for one cookie over `<name>`, `<name>.1`, ... ([large sessions](https://github.com/signed-cookie-session/signed-cookie-session/blob/main/docs/large-sessions.md)).'),
  option('maxTotalSize', '`6144`',
    "With `chunked`: most bytes the session's Set-Cookie strings may take together (at least `maxSize`)."),
  option('onError', 'a warning',
    '`(err, req, res) => void`, called when the cookie cannot be written ([errors](https://github.com/signed-cookie-session/signed-cookie-session/blob/main/docs/errors.md)).'),
  option('store', 'none',
    'An express-session Store (express-mysql-session, connect-redis, memorystore, ...) or a koa-session store: the session lives there and the cookie holds only a signed random id ([server-side sessions](https://github.com/signed-cookie-session/signed-cookie-session/blob/main/docs/store.md)).'),
  option('storeKind', 'told by the store\'s shape',
    'With `store`: how it is called, when its shape cannot tell: `\'callback\'` (express-session\'s `get(sid, cb)`) or `\'promise\'` (koa-session\'s `get(key, maxAge, options)`).'),
  option('storeTimeout', '`5000`',
    'With `store`: milliseconds a store call may take before it fails with a `SessionStoreError`, so a store that never answers cannot hang a request.'),
  option('userKey', 'none',
    'With `store`: the session key (or dotted path) that names the user, for `req.session.destroyAll()` (log out everywhere); e.g. `\'passport.user\'`.'),
  option('trustProxy', '`false`',
    "Believe `X-Forwarded-Proto: https` from a TLS-terminating proxy when deciding `secure`. Meant for node:http, Connect and Fetch handlers; Express apps usually set Express's own `trust proxy`, Koa apps `app.proxy` (either is enough)."),
  option('cacheHeaders', '`true`',
    'Add `Vary: Cookie` to each response whose request read or wrote the session, and `Cache-Control: private` to each that sets or clears its cookie, merged with the app\'s own headers, so that shared caches (CDNs, proxies) never hand one user\'s session to another ([caches and CDNs](https://github.com/signed-cookie-session/signed-cookie-session/blob/main/docs/security.md#caches-and-cdns)). `false` leaves caching headers to the app.'),
  option('ironSession', 'none',
    "For an app moving from iron-session 8 or 9: its options, `{ cookieName, password }` (the password a string or a map of ids to passwords, as iron-session takes it). A request without a valid cookie of ours but with a valid iron-session cookie gets that session (`isNew` false); the response writes ours and expires theirs (at their `cookieOptions.path`, default `'/'`). A tampered, expired or unknown seal is a new empty session ([coming from iron-session](https://github.com/signed-cookie-session/signed-cookie-session/blob/main/docs/from-iron-session.md))."),
  security('encrypt', '`false`',
    'Encrypt the session with AES-256-GCM so the client cannot read it; one cookie, no `.sig`.'),
  security('encryptionKeys', '`keys`',
    'Secrets to derive the encryption keys from, newest first.'),
  security('acceptSigned', '`true`',
    'With `encrypt: true`: keep accepting a valid signed cookie (one signed with a key in `keys`, as before encryption was switched on) and re-issue it encrypted. Set it to `false` once every client has been re-issued, so that nothing signed with those keys (another app sharing them and the cookie name) can make a session. Refused without `encrypt`.'),
  security('absoluteTimeout', 'none',
    'Milliseconds a session may live after it was created, checked on the server. Turning it on ends sessions whose cookies were written without it.'),
  security('idleTimeout', 'none',
    'Milliseconds a session may go without its cookie being written, checked on the server. Turning it on ends sessions whose cookies were written without it.'),
  security('rolling', '`false`',
    'Re-send the cookie on every response that reads the session, so `maxAge` and `idleTimeout` slide.'),
  security('renew', '`false`',
    'Re-send the cookie when more than half of `maxAge` has passed since it was written (needs `maxAge`).'),
  security('validate', 'none',
    '`(session, req) => boolean`: return a falsy value to reject a session read from a cookie. It must be synchronous: an `async` function is refused at creation, and a returned promise fails the request (its rejection goes to `onError`).'),
  security('beforeSave', 'none',
    '`(session, req) => void`: called just before the session is written; may change it. It must be synchronous: an `async` function is refused at creation; a returned promise is reported to `onError` (what it did after its first `await` was not saved), and so is its rejection.'),
  koa('key', "`'koa.sess'`",
    "koa-session's name for the cookie name (`name` is accepted too)."),
  koa('maxAge', 'one day, on the server',
    "Milliseconds the session lives, kept by the server in the cookie's `_expire` (a replayed cookie is refused after it) and written as the cookie's `expires`; `'session'`: a browser-session cookie with no end on the server. Unset: koa-session's default, a day kept by the server (a new session's cookie has no `expires`, as koa-session's has none)."),
  koa('renew', '`false`',
    'Re-send an unchanged session once less than half of its maxAge is left before its `_expire`. With a store, as on the other adapters (it needs `maxAge`).'),
  koa('autoCommit', '`true`',
    '`false`: the session is written only when the app calls `await ctx.session.manuallyCommit()` (or `save()`).'),
  koa('valid', 'none',
    "`(ctx, session) => boolean`: return a falsy value to reject a session read from the cookie or store. Synchronous. koa-session's hook, ctx first: the other adapters' `validate(session, req)` is refused here."),
  koa('beforeSave', 'none',
    '`(ctx, session) => void`: called just before the session is written; may change it. Synchronous. ctx first, as in koa-session (the other adapters call it with `(session, req)`).'),
  koa('encode', 'base64 JSON',
    '`(data) => string`: the cookie value for the session object (which holds `_expire` and `_maxAge`); what it throws fails the request. Not with `encrypt`, `compress` or `chunked`; unused with a store.'),
  koa('decode', 'base64 JSON',
    '`(value) => object`: the session object in a cookie value. A `SyntaxError` means a new session; any other error clears the cookie and fails the request.'),
  koa('genid', '256 random bits',
    'With a store: `(ctx) => string`, a new session\'s key.'),
  koa('prefix', 'none',
    'With a store: put before each new key (not with `genid`).'),
  koa('externalKey', 'the cookie',
    'With a store: `{ get(ctx), set(ctx, key) }` carries the key instead of a cookie (a header, say).'),
  koa('ContextStore', 'none',
    'A store class made for each request, `new ContextStore(ctx)`, used as `store`.'),
  express('cookie', 'none',
    "With `store`: express-session's cookie settings (`maxAge`, `expires`, `path`, `domain`, `httpOnly`, `secure` with `'auto'`, `sameSite` with `'auto'`, `priority`, `partitioned`), or a function `(req) => settings` called for each request. As in express-session, a session keeps its own lifetime in its record (`originalMaxAge`) and `req.session.cookie` changes it for one session. Without `store`, refused: give the settings as options of their own."),
  express('key', 'none',
    "express-session's (and koa-session's) other name for `name`."),
  express('resave', "`true` with express-session's options, else `false`",
    'With `store`: write a session that did not change back to the store at the end of each request that loaded it (as express-session does; the write never brings back a session another request has destroyed).'),
  express('saveUninitialized', "`true` with express-session's options, else `false`",
    'With `store`: store a new session, and send its cookie, even when nothing was put in it.'),
  express('unset', "`'keep'` with express-session's options, else `'destroy'`",
    "With `store`: what `req.session = null` (or `delete req.session`) does: `'keep'` leaves the stored session as it was, `'destroy'` deletes it."),
  express('proxy', "the framework's setting",
    "With `store`: `true` believes `X-Forwarded-Proto` (as `trustProxy`); `false` counts only a TLS connection to this server, ignoring Express's `trust proxy` and `req.secure`."),
  express('genid', '256 random bits',
    'With `store`: `(req) => string`, the id of a new session (a non-empty string, unique).'),
  express('cookieFormat', "`'express-session'` with express-session's options, else `'signed-cookie-session'`",
    "With `store`: the id cookie's format. `'express-session'`: `s:<id>.<signature>` (HMAC-SHA256 with `secret`), which express-session reads too; `'signed-cookie-session'`: the id and `<name>.sig`, as a session cookie is signed (and `encrypt` can seal it). Either way a cookie in the other format is read, and written in this one when it is next sent.")
])

/** The Markdown table of the options in `table`, as README.md and docs/ show it. */
export function markdownTable (table: OptionInfo['table']): string {
  const lines = ['| option | default | meaning |', '| --- | --- | --- |']
  for (const info of OPTIONS) if (info.table === table) lines.push(`| \`${info.name}\` | ${info.default} | ${info.doc} |`)
  return lines.join('\n')
}

/**
 * The plain text the JSDoc of an option carries for a Markdown text: links become their words,
 * the rest (code spans included) stays as written.
 */
export function plainText (markdown: string): string {
  return markdown.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1')
}
