'use strict'
// What each benchmark scenario sends and expects. Shared by bench/run.js (the load generator and
// the checks) and bench/server.js (the server child).

// 32 bytes and more: shorter keys are warned about, and refused with encrypt: true.
const KEYS = Object.freeze(['bench-key-1-of-at-least-32-bytes!', 'bench-key-2-of-at-least-32-bytes!'])
const NAME = 'session'

/** A small, typical session: a user id and a counter. */
const SMALL = Object.freeze({ user: 'alice', n: 0 })

/**
 * A session near the browser limit: about 2.3 KB of JSON, a 3 KB cookie value (base64), so the
 * Set-Cookie line still fits under the 4093-byte limit and our library can write it.
 */
function bigSession () {
  const data = { user: 'alice', n: 0, roles: ['admin', 'editor', 'viewer'], prefs: {} }
  for (let i = 0; i < 12; i++) data.prefs['pref' + i] = i % 3 === 0 ? true : 'value-' + i
  data.cart = []
  for (let i = 0; i < 20; i++) {
    data.cart.push({ id: 1000 + i, sku: 'SKU-' + (77770 + i), qty: (i % 4) + 1, price: 9.99 + i, title: 'Item number ' + i })
  }
  data.note = 'x'.repeat(Math.max(0, 2300 - JSON.stringify(data).length - 11))
  return data
}
const BIG = Object.freeze(bigSession())

/** Chunking options that put the BIG session (a 3 KB value) in three cookies. */
const LARGE_CHUNKED = Object.freeze({ chunked: true, maxSize: 1100 })

/**
 * cookie: which session cookie the client sends —
 *   null: none; 'valid': SMALL signed with keys[0]; 'big': BIG signed with keys[0];
 *   'old': SMALL signed with keys[1] (rotation); 'tampered': SMALL with a wrong (but well-formed) .sig.
 * route: what the handler does with req.session ('none' never touches it).
 * body: what the response body must be (the baseline server answers the same bytes).
 * setCookie: whether the response must carry Set-Cookie.
 * encrypted: runs our library with { encrypt: true } only; no cookie-session counterpart.
 * large: runs our library only, with these options (compress, chunked), on the BIG session:
 *   its cost next to read3k / write3k, the same data in one plain cookie.
 * target: largest allowed overhead ratio ours / theirs (cookie-session; koa-session for framework 'koa').
 * framework: 'koa' runs our Koa adapter against koa-session 7 on Koa (default: node:http, against
 *   cookie-session); both get maxAge: 86400000 (koa-session's default lifetime, given outright so its
 *   cookies carry Expires as ours do).
 */
const SCENARIOS = {
  untouched: { cookie: 'valid', route: 'none', body: 'ok', setCookie: false, target: 0.5, what: 'valid cookie sent, route never touches req.session' },
  read: { cookie: 'valid', route: 'read', body: 'alice', setCookie: false, target: 0.25, what: 'valid cookie, route reads req.session.user' },
  write: { cookie: 'valid', route: 'write', body: 'ok', setCookie: true, target: 0.33, what: 'valid cookie, route sets req.session.n to a new counter value' },
  new: { cookie: null, route: 'new', body: 'ok', setCookie: true, target: 0.33, what: 'no cookie, route sets req.session.user' },
  rotation: { cookie: 'old', route: 'read', body: 'alice', setCookie: true, target: 0.4, what: 'cookie signed with keys[1], route reads; re-signed with keys[0]' },
  read3k: { cookie: 'big', route: 'read', body: 'alice', setCookie: false, target: 0.5, what: '3 KB cookie (2.3 KB JSON), route reads one field' },
  write3k: { cookie: 'big', route: 'write', body: 'ok', setCookie: true, target: 0.5, what: '3 KB cookie, route sets req.session.n (the plain counterpart of the large-session rows)' },
  'compressed-read3k': { cookie: 'big', route: 'read', body: 'alice', setCookie: false, large: { compress: true }, what: 'ours with compress: true, the read3k session deflated, route reads' },
  'compressed-write3k': { cookie: 'big', route: 'write', body: 'ok', setCookie: true, large: { compress: true }, what: 'ours with compress: true, the read3k session, route writes a counter' },
  'chunked-read3k': { cookie: 'big', route: 'read', body: 'alice', setCookie: false, large: LARGE_CHUNKED, what: 'ours with chunked: true, maxSize 1100: the read3k session in 3 cookies, route reads' },
  'chunked-write3k': { cookie: 'big', route: 'write', body: 'ok', setCookie: true, large: LARGE_CHUNKED, what: 'ours with chunked: true, maxSize 1100: the read3k session in 3 cookies, route writes a counter' },
  tampered: { cookie: 'tampered', route: 'read', body: 'none', setCookie: true, target: 0.5, what: 'bad .sig, route reads; .sig is cleared' },
  'koa-read': { framework: 'koa', cookie: 'valid', route: 'read', body: 'alice', setCookie: false, target: 0.5, what: 'Koa: valid cookie, route reads ctx.session.user (against koa-session)' },
  'koa-write': { framework: 'koa', cookie: 'valid', route: 'write', body: 'ok', setCookie: true, target: 0.5, what: 'Koa: route sets ctx.session.n to a new counter value' },
  'koa-new': { framework: 'koa', cookie: null, route: 'new', body: 'ok', setCookie: true, target: 0.5, what: 'Koa: no cookie, route sets ctx.session.user' },
  'koa-rotation': { framework: 'koa', cookie: 'old', route: 'read', body: 'alice', setCookie: true, target: 0.5, what: 'Koa: cookie signed with keys[1], route reads; re-signed' },
  'encrypted-read': { cookie: 'valid', route: 'read', body: 'alice', setCookie: false, encrypted: true, what: 'ours with encrypt: true, valid cookie, route reads' },
  'encrypted-write': { cookie: 'valid', route: 'write', body: 'ok', setCookie: true, encrypted: true, what: 'ours with encrypt: true, route writes a counter' }
}

/** Target for encrypted mode: our seal+unseal throughput over iron-session's (from bench/micro.js). */
const ENCRYPTED_TARGET = 20

module.exports = { KEYS, NAME, SMALL, BIG, SCENARIOS, ENCRYPTED_TARGET }
