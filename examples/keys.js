'use strict'
// Signing keys for the examples, from SESSION_KEYS (comma-separated, newest first): keys[0] signs
// new cookies and every key verifies, so a new key can be put in front and the old one dropped once
// its cookies have expired. Without SESSION_KEYS: a random development key, and a loud warning.
const crypto = require('node:crypto')
const path = require('node:path')

module.exports = function sessionKeys () {
  const keys = (process.env.SESSION_KEYS || '').split(',').map((key) => key.trim()).filter(Boolean)
  if (keys.length > 0) return keys
  console.warn([
    '',
    '  !!! WARNING: SESSION_KEYS is not set; using a random DEVELOPMENT key. !!!',
    '  Sessions will not survive a restart (or be shared between processes).',
    '  For production, set SESSION_KEYS to one or more comma-separated secrets, newest first:',
    `    SESSION_KEYS="$(openssl rand -base64 32)" node ${path.relative(process.cwd(), process.argv[1])}`,
    ''
  ].join('\n'))
  return [crypto.randomBytes(32).toString('base64')]
}
