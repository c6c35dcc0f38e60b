'use strict'
// Compression ratios of compress: true on realistic sessions: `node bench/compression.js` (builds
// nothing: run `npm run build` first). Compares the cookie value cookie-session writes (base64 of
// the JSON) with ours under compress: true ("." + base64url of raw DEFLATE). Random parts come from a seeded generator, so the figures are reproducible.
const path = require('node:path')
const { createHash } = require('node:crypto')
const { encode } = require(path.join(__dirname, '..', 'dist', 'wire', 'codec.js'))
const { compress } = require(path.join(__dirname, '..', 'dist', 'wire', 'compression.js'))

let seed = 0
/** `n` deterministic pseudo-random bytes (SHA-256 in counter mode), standing in for secrets and ids. */
function bytes (n) {
  const out = []
  while (out.length < n) out.push(...createHash('sha256').update(String(seed++)).digest())
  return Buffer.from(out.slice(0, n))
}
const b64url = (n) => bytes(n).toString('base64url')
const jwt = (claims) => [{ alg: 'RS256', typ: 'JWT', kid: b64url(12) }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.' + b64url(256)

const SESSIONS = {
  'user profile': {
    user: { id: 'usr_' + b64url(12), email: 'alice.martin@example.com', name: 'Alice Martin', locale: 'en-GB', timezone: 'Europe/London' },
    roles: ['admin', 'editor', 'billing-viewer'],
    permissions: ['posts:read', 'posts:write', 'posts:delete', 'users:read', 'users:invite', 'billing:read', 'reports:read', 'reports:export'],
    prefs: { theme: 'dark', density: 'compact', emailDigest: 'weekly', notifications: { mentions: true, replies: true, marketing: false } },
    recent: ['/dashboard', '/posts/1842/edit', '/reports/2026-10', '/users?page=2', '/settings/billing'],
    csrf: b64url(32),
    createdAt: '2026-11-24T08:15:02.113Z'
  },
  'OAuth token set': {
    provider: 'example-idp',
    accessToken: jwt({ iss: 'https://login.example.com/', sub: 'auth0|' + b64url(16), aud: ['https://api.example.com', 'https://example.eu.auth0.com/userinfo'], iat: 1764000000, exp: 1764086400, scope: 'openid profile email offline_access read:orders write:orders' }),
    idToken: jwt({ iss: 'https://login.example.com/', sub: 'auth0|' + b64url(16), aud: b64url(24), iat: 1764000000, exp: 1764036000, name: 'Alice Martin', email: 'alice.martin@example.com', email_verified: true, nonce: b64url(16) }),
    refreshToken: b64url(48),
    expiresAt: 1764086400,
    tokenType: 'Bearer'
  },
  'shopping cart': {
    cartId: 'cart_' + b64url(9),
    currency: 'EUR',
    items: Array.from({ length: 25 }, (_, i) => ({
      sku: `SKU-${48210 + i * 7}`,
      title: ['Organic cotton T-shirt', 'Merino wool socks', 'Linen shirt', 'Canvas tote bag', 'Leather belt'][i % 5] + ` (${['S', 'M', 'L', 'XL'][i % 4]})`,
      qty: (i % 3) + 1,
      unitPrice: Math.round((9.9 + i * 3.37) * 100) / 100,
      addedAt: 1764000000 + i * 97
    })),
    coupon: 'WINTER-15',
    shipping: { method: 'standard', country: 'FR', postcode: '69003' }
  }
}

console.log('| session | JSON bytes | cookie-session value | compress: true value | ratio |')
console.log('| --- | ---: | ---: | ---: | ---: |')
for (const [name, data] of Object.entries(SESSIONS)) {
  const json = JSON.stringify(data)
  const plain = encode(json).length
  const packed = compress(json, Infinity).length
  console.log(`| ${name} | ${Buffer.byteLength(json)} | ${plain} | ${packed} | ${(packed / plain).toFixed(2)} |`)
}
