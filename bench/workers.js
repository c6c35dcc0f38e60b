'use strict'
// Shared by bench/bundle.js and bench/workerd.js: dist/ built, and a Worker bundled from source text
// as wrangler bundles one (esbuild, ES module, the workerd/worker/browser `exports` conditions, no
// Node built-ins unless nodejs_compat), with signed-cookie-session resolved through its own exports.
const { spawnSync } = require('node:child_process')
const fs = require('node:fs')
const path = require('node:path')
const esbuild = require('esbuild')

const ROOT = path.resolve(__dirname, '..')
const CONDITIONS = Object.freeze(['workerd', 'worker', 'browser'])

function newestMtime (dir) {
  let newest = 0
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name)
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(file) : fs.statSync(file).mtimeMs)
  }
  return newest
}

/** Runs `npm run build` when dist/ is missing or older than src/. */
function ensureBuilt () {
  const entry = path.join(ROOT, 'dist', 'fetch.js')
  if (fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= newestMtime(path.join(ROOT, 'src'))) return
  console.log('bench: dist/ is missing or older than src/: npm run build')
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (result.status !== 0 || !fs.existsSync(entry)) throw new Error('npm run build failed')
}

/** One line per esbuild error: `Could not resolve "node:util" (dist/core/session.js:8)`. */
function describeErrors (errors) {
  return errors.map((e) => e.location ? `${e.text} (${e.location.file}:${e.location.line})` : e.text)
}

/**
 * Bundles `source` (an ES module, resolved from the repository root) for workerd. `nodeBuiltins`:
 * leave Node's modules to the runtime, as a Worker with nodejs_compat does. Resolves to the code;
 * rejects with an Error whose `reasons` lists esbuild's errors.
 */
async function bundleWorker (source, { minify = false, nodeBuiltins = false } = {}) {
  try {
    const result = await esbuild.build({
      stdin: { contents: source, resolveDir: ROOT, sourcefile: 'worker.js', loader: 'js' },
      bundle: true,
      write: false,
      format: 'esm',
      platform: nodeBuiltins ? 'node' : 'browser',
      conditions: [...CONDITIONS],
      minify,
      logLevel: 'silent'
    })
    return result.outputFiles[0].text
  } catch (err) {
    if (!Array.isArray(err.errors)) throw err
    const reasons = describeErrors(err.errors)
    throw Object.assign(new Error(`does not bundle for workerd (conditions ${CONDITIONS.join(', ')}): ${reasons.join('; ')}`), { reasons })
  }
}

module.exports = { ROOT, CONDITIONS, ensureBuilt, bundleWorker }
