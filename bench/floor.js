'use strict'
// The floor: the least a session middleware built on `cookies`, `keygrip` and `on-headers` can do
// and still answer every scenario correctly (bench/README.md). Not a library: no validation, no
// options but name, keys (and maxAge on Koa), no size limit, no replacing or destroying the
// session, no error handling. bench/server.js runs it as the fourth library, `floor`.
//
// Per request it does only what cannot be skipped: the first access reads the two cookies through
// `cookies`, verifies one HMAC per key tried and decodes base64 JSON; a write encodes and sets both
// cookies through `cookies` with Keygrip. Change detection compares JSON.stringify(session) with
// the JSON the session was read from: a write route stringifies anyway, so only routes that read
// pay for it (a dirty flag would need a Proxy or setters per field, both dearer and not generic).
const { createHmac, createSecretKey, timingSafeEqual } = require('node:crypto')
const Cookies = require('cookies')
const Keygrip = require('keygrip')
const onHeaders = require('on-headers')

const UNSIGNED = Object.freeze({ signed: false })

/** The keys imported once; an HMAC keyed by a KeyObject skips converting the key per request. */
function importKeys (keys) {
  return keys.map((key) => createSecretKey(Buffer.from(key, 'utf8')))
}

/** Index of the key that made `sig` for `data`: one HMAC per key tried, compared in constant time; -1 for none. */
function keyIndex (keyObjects, data, sig) {
  const given = Buffer.from(sig, 'utf8')
  for (let i = 0; i < keyObjects.length; i++) {
    const expected = Buffer.from(createHmac('sha1', keyObjects[i]).update(data).digest('base64url'), 'utf8')
    if (given.length === expected.length && timingSafeEqual(given, expected)) return i
  }
  return -1
}

/** One request's session, made on its first access. */
class State {
  constructor (cookies) {
    this.cookies = cookies
    this.session = undefined
    /** The cookie value as received, when its .sig verified. */
    this.value = undefined
    /** The JSON the session was read from ('{}' for a new session). */
    this.json = '{}'
    /** The key that verified the .sig: 0 the current one (or no cookie), > 0 an older one, -1 none (tampered). */
    this.index = 0
  }
}

/** Reads and verifies the session cookie into a new State. */
function load (cookies, name, keyObjects) {
  const state = new State(cookies)
  const value = cookies.get(name, UNSIGNED)
  const sig = value === undefined ? undefined : cookies.get(name + '.sig', UNSIGNED)
  if (sig !== undefined) {
    state.index = keyIndex(keyObjects, name + '=' + value, sig)
    if (state.index >= 0) {
      state.value = value
      state.json = Buffer.from(value, 'base64').toString('utf8')
      state.session = JSON.parse(state.json)
      return state
    }
  }
  state.session = {}
  return state
}

/** Sets what the response needs: the changed session, a re-signed one (older key) or a cleared .sig. */
function commit (state, name, setOptions, clearOptions) {
  const json = JSON.stringify(state.session)
  if (json !== state.json) {
    state.cookies.set(name, Buffer.from(json, 'utf8').toString('base64'), setOptions)
  } else if (state.index > 0) {
    state.cookies.set(name, state.value, setOptions)
  } else if (state.index < 0) {
    state.cookies.set(name + '.sig', '', clearOptions)
  }
}

/** node:http / Connect / Express: `mw(req, res, next)`, with `req.session` loaded on first access. */
function floorSession (options) {
  const name = options.name
  const keyObjects = importKeys(options.keys)
  // Signs as our library does: Keygrip over the KeyObjects, base64url (cookie-session's very .sig).
  const cookiesOptions = { keys: new Keygrip(keyObjects, 'sha1', 'base64url') }
  const setOptions = { signed: true }
  const kRes = Symbol('floor res')
  const kState = Symbol('floor state')

  function beforeHeaders () {
    commit(this[kState], name, setOptions, UNSIGNED)
  }

  // One descriptor for every request; the getter finds the request's state through `this`.
  const descriptor = {
    configurable: true,
    enumerable: true,
    get () {
      let state = this[kState]
      if (state === undefined) {
        const res = this[kRes]
        state = load(new Cookies(this, res, cookiesOptions), name, keyObjects)
        this[kState] = state
        res[kState] = state
        // Hooked on first access: a route that never touches the session costs no on-headers.
        onHeaders(res, beforeHeaders)
      }
      return state.session
    }
  }

  return function floor (req, res, next) {
    req[kRes] = res
    Object.defineProperty(req, 'session', descriptor)
    next()
  }
}

/**
 * Koa: `app.use(floorKoaSession(options, app))`; `ctx.session` lives on app.context, set once. Its
 * own Cookies over ctx.req/ctx.res with the prebuilt Keygrip, as our adapter does: ctx.cookies would
 * build a Keygrip from app.keys (string keys) on every request, which is not the least one can do.
 */
function floorKoaSession (options, app) {
  const name = options.name
  const keyObjects = importKeys(options.keys)
  const keys = new Keygrip(keyObjects, 'sha1', 'base64url')
  const setOptions = { signed: true, maxAge: options.maxAge }
  const kState = Symbol('floor koa state')

  Object.defineProperty(app.context, 'session', {
    configurable: true,
    enumerable: true,
    get () {
      let state = this[kState]
      if (state === undefined) {
        state = load(new Cookies(this.req, this.res, { keys, secure: this.secure }), name, keyObjects)
        this[kState] = state
      }
      return state.session
    }
  })

  return async function floorKoa (ctx, next) {
    await next()
    const state = ctx[kState]
    if (state !== undefined) commit(state, name, setOptions, UNSIGNED)
  }
}

module.exports = { floorSession, floorKoaSession }
