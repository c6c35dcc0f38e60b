// The name of every option the factories accept: what the unknown-option check knows. The options'
// descriptions are in table.ts, which only the documentation and its tests read (so that the
// texts stay out of the code an app bundles); a test holds the two lists to each other.

export const OPTION_NAMES: readonly string[] = Object.freeze([
  'name',
  'keys',
  'secret',
  'maxAge',
  'expires',
  'path',
  'domain',
  'sameSite',
  'secure',
  'httpOnly',
  'partitioned',
  'priority',
  'signed',
  'overwrite',
  'maxSize',
  'compress',
  'chunked',
  'maxTotalSize',
  'onError',
  'store',
  'storeKind',
  'storeTimeout',
  'userKey',
  'trustProxy',
  'cacheHeaders',
  'ironSession',
  'encrypt',
  'encryptionKeys',
  'acceptSigned',
  'absoluteTimeout',
  'idleTimeout',
  'rolling',
  'renew',
  'validate',
  'beforeSave',
  'cookie',
  'key',
  'resave',
  'saveUninitialized',
  'unset',
  'proxy',
  'genid',
  'cookieFormat'
])

/** Names accepted besides the table's: cookie-session's lower-case `maxage`. */
export const ALIASES: Readonly<Record<string, string>> = Object.freeze({ maxage: 'maxAge' })

/**
 * The Koa adapter's own names (koa-session's options, and those whose meaning on Koa is
 * koa-session's), which it takes besides OPTION_NAMES: table.ts's Koa table.
 */
export const KOA_OPTION_NAMES: readonly string[] = Object.freeze([
  'key',
  'maxAge',
  'renew',
  'autoCommit',
  'valid',
  'beforeSave',
  'encode',
  'decode',
  'genid',
  'prefix',
  'externalKey',
  'ContextStore'
])
