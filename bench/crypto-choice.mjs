// Which crypto the portable path (signed-cookie-session/fetch) should use, measured on Node: Web
// Crypto (native, asynchronous: every call is a promise) against @noble/hashes and @noble/ciphers
// (pure JavaScript, audited, synchronous), per session read and write. bench/workerd.js measures
// the same choice on workerd, in requests per second. Not part of npm test.
//
//   node bench/crypto-choice.mjs
import { gcm } from '@noble/ciphers/aes.js'
import { hmac } from '@noble/hashes/hmac.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { bench, do_not_optimize as keep, group, run, summary } from 'mitata'

const encoder = new TextEncoder()
const secret = encoder.encode('a bench key of thirty-two bytes!')
const aad = encoder.encode('session')
const json = JSON.stringify({ user: 'alice', roles: ['admin', 'editor'], n: 42 })
const value = Buffer.from(json).toString('base64')
const data = encoder.encode('session=' + value)
const hmacKey = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-1' }, false, ['sign'])
const aesKey = await crypto.subtle.importKey('raw', secret, 'AES-GCM', false, ['encrypt', 'decrypt'])
const iv = new Uint8Array(12).fill(1)
const sealedSubtle = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, aesKey, encoder.encode(json)))
const sealedNoble = gcm(secret, iv, aad).encrypt(encoder.encode(json))

group('HMAC-SHA1 of name=value (a signed read verifies once, a write signs once)', () => {
  summary(() => {
    bench('Web Crypto', async () => keep(await crypto.subtle.sign('HMAC', hmacKey, data)))
    bench('@noble/hashes', () => keep(hmac(sha1, secret, data)))
  })
})

group('AES-256-GCM open (an encrypted read)', () => {
  summary(() => {
    bench('Web Crypto', async () => keep(await crypto.subtle.decrypt({ name: 'AES-GCM', iv, additionalData: aad }, aesKey, sealedSubtle)))
    bench('@noble/ciphers', () => keep(gcm(secret, iv, aad).decrypt(sealedNoble)))
  })
})

group('AES-256-GCM seal (an encrypted write)', () => {
  summary(() => {
    bench('Web Crypto', async () => keep(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: crypto.getRandomValues(new Uint8Array(12)), additionalData: aad }, aesKey, encoder.encode(json))))
    bench('@noble/ciphers', () => keep(gcm(secret, crypto.getRandomValues(new Uint8Array(12)), aad).encrypt(encoder.encode(json))))
  })
})

await run()
