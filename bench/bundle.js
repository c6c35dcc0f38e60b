'use strict'
// Bundle size of the Fetch entry in a Worker: the smallest app (a signed session, no options),
// and apps using encryption, compression and a store, bundled as wrangler does (bench/workers.js)
// and minified; bytes and gzip bytes (what Cloudflare's size limit counts). Beside them, the same
// app with Node's built-ins left to the runtime (a Worker with nodejs_compat), so a build that
// does not bundle for plain workerd still has a number. Prints a table, writes bundle.json.
//
//   node bench/bundle.js [--no-build]
const fs = require('node:fs')
const path = require('node:path')
const zlib = require('node:zlib')
const esbuild = require('esbuild')
const { CONDITIONS, ensureBuilt, bundleWorker } = require('./workers.js')

/** A Worker reading and writing one session through `fetchSession(${options})`. */
const app = (options, setup = '') => `
import { fetchSession } from 'signed-cookie-session/fetch'
${setup}
const sessions = fetchSession(${options})
export default {
  async fetch (request) {
    const scope = await sessions.load(request)
    scope.session.views = (scope.session.views ?? 0) + 1
    return await scope.commit(new Response('ok'))
  }
}
`

const APPS = [
  ['signed (no options)', app("{ keys: ['k'] }")],
  ['encrypt: true', app("{ keys: ['k'], encrypt: true }")],
  ['compress: true', app("{ keys: ['k'], compress: true }")],
  ['store (an in-memory one)', app('{ keys: [\'k\'], store }', `const records = new Map()
const store = {
  get (sid, callback) { callback(null, records.get(sid)) },
  set (sid, session, callback) { records.set(sid, session); callback?.() },
  destroy (sid, callback) { records.delete(sid); callback?.() }
}`)]
]

async function measure (source, nodeBuiltins) {
  try {
    const code = await bundleWorker(source, { minify: true, nodeBuiltins })
    return { bytes: Buffer.byteLength(code), gzip: zlib.gzipSync(code).length }
  } catch (err) {
    return { error: err.message, reasons: err.reasons ?? [err.message] }
  }
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`
const cell = (r) => r.error === undefined ? `${kb(r.bytes)} / ${kb(r.gzip)}` : 'does not bundle'

async function main () {
  if (!process.argv.includes('--no-build')) ensureBuilt()
  const results = []
  for (const [name, source] of APPS) {
    results.push({ app: name, workers: await measure(source, false), nodejsCompat: await measure(source, true) })
  }
  console.log(`Fetch entry in a Worker, minified / gzip (esbuild ${esbuild.version}, conditions ${CONDITIONS.join(', ')}):\n`)
  console.log('| app | workerd, Web APIs only | nodejs_compat (Node built-ins left out) |')
  console.log('| --- | ---: | ---: |')
  for (const r of results) console.log(`| ${r.app} | ${cell(r.workers)} | ${cell(r.nodejsCompat)} |`)
  const failed = results.filter((r) => r.workers.error !== undefined)
  if (failed.length > 0) {
    console.log(`\nNot bundled for workerd without nodejs_compat (${failed.map((r) => r.app).join(', ')}): esbuild says`)
    for (const reason of new Set(failed.flatMap((r) => r.workers.reasons))) console.log(`  ${reason}`)
  }
  const file = path.join(__dirname, 'bundle.json')
  fs.writeFileSync(file, JSON.stringify({ date: new Date().toISOString(), esbuild: esbuild.version, conditions: CONDITIONS, results }, null, 2) + '\n')
  console.log(`\nbench: wrote ${path.relative(process.cwd(), file)}`)
}

main().catch((err) => {
  console.error(err)
  process.exitCode = 1
})
