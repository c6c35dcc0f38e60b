// The session configurations the conformance suite drives, one route prefix each (/signed/count,
// /chunked/fill?bytes=3000, ...). The Fetch app every runtime serves (app.js) and the Express
// reference the test process runs on Node are built from this one table, so both answer the same
// request with the same options and the same change to the session.

/** Fixed keys: the suite compares cookies byte for byte with Node's, so they must not vary per run. */
export const KEYS = Object.freeze({
  first: 'runtime suite key, first',
  second: 'runtime suite key, second',
  sealed: 'runtime suite key for sealed sessions'
})

export const PROFILES = Object.freeze({
  signed: { keys: [KEYS.first] },
  // The same cookie name as `signed`, so a cookie written there is an old-key cookie here.
  rotation: { keys: [KEYS.second, KEYS.first] },
  encrypted: { keys: [KEYS.sealed], encrypt: true },
  compressed: { keys: [KEYS.first], compress: true },
  // A small maxSize, so a session of a few KB spans several cookies.
  chunked: { keys: [KEYS.first], chunked: true, maxSize: 1100 }
})

export const ACTIONS = Object.freeze(['read', 'count', 'fill', 'destroy'])

/**
 * What the route `action` does to `session`; returns the session to keep, or null to destroy it.
 * read: nothing; count: `views` + 1; fill?bytes=N&kind=random|repeat: a `fill` string of N
 * characters, random (barely compresses) or repeated (compresses well); destroy: null.
 */
export function act (action, session, params) {
  switch (action) {
    case 'count':
      session.views = (session.views ?? 0) + 1
      return session
    case 'fill':
      session.fill = filler(Number(params.get('bytes')), params.get('kind'))
      return session
    case 'destroy':
      return null
    default:
      return session
  }
}

/** `length` characters: seeded pseudo-random letters and digits (the same on every runtime), or a repeated cart line. */
export function filler (length, kind) {
  if (kind === 'repeat') return 'item 42 x1; '.repeat(Math.ceil(length / 11)).slice(0, length)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  let seed = 20
  let text = ''
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648
    text += alphabet[(seed >>> 16) % alphabet.length] // the high bits: an LCG's low bits repeat quickly
  }
  return text
}
