'use strict'
// express-session's module shape over signed-cookie-session's store mode, so that express-session's
// own test/session.js runs unchanged against it: put this file in place of index.js in a checkout
// of expressjs/session (see CONTRIBUTING.md). Only the shape is mapped: session(options) is
// cookieSession(options) with express-session's default store (a MemoryStore, since without a store
// this library keeps the session in the cookie); Store, MemoryStore, Session and Cookie are the
// checkout's own classes, passed through.
const cookieSession = require('signed-cookie-session')
const Cookie = require('./session/cookie')
const MemoryStore = require('./session/memory')
const Session = require('./session/session')
const Store = require('./session/store')

function session (options) {
  return cookieSession({ store: new MemoryStore(), ...options })
}

module.exports = Object.assign(session, { Store, MemoryStore, Session, Cookie })
