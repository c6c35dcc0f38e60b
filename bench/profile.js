'use strict'
// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time, and
// self time per source file. `node bench/profile.js <file.cpuprofile> [top=20]`.
const fs = require('node:fs')
const path = require('node:path')

const ROOT = path.resolve(__dirname, '..')

function shortUrl (url) {
  if (!url) return '(native)'
  let file = url.replace(/^file:\/\//, '')
  if (file.startsWith(ROOT + '/')) file = file.slice(ROOT.length + 1)
  return file
}

function summarise (file, top = 20) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8'))
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const self = new Map()
  let total = 0
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] || 0
    self.set(profile.samples[i], (self.get(profile.samples[i]) || 0) + dt)
    total += dt
  }
  const functions = new Map()
  const files = new Map()
  for (const [id, us] of self) {
    const { callFrame } = byId.get(id)
    const where = shortUrl(callFrame.url)
    const key = `${callFrame.functionName || '(anonymous)'}  ${where}${callFrame.url ? ':' + (callFrame.lineNumber + 1) : ''}`
    functions.set(key, (functions.get(key) || 0) + us)
    const group = where.startsWith('node:') ? 'node: internals' : where
    files.set(group, (files.get(group) || 0) + us)
  }
  // Percentages are of the busy time: everything but (idle), which is most of a server's life
  // outside the load runs.
  const idleUs = functions.get('(idle)  (native)') || 0
  functions.delete('(idle)  (native)')
  files.set('(native)', (files.get('(native)') || 0) - idleUs)
  const rank = (map) => [...map].sort((a, b) => b[1] - a[1])
  return { file, totalMs: total / 1000, busyMs: (total - idleUs) / 1000, functions: rank(functions).slice(0, top), files: rank(files).slice(0, top) }
}

function format ({ file, totalMs, busyMs, functions, files }) {
  const pct = (us) => (100 * us / 1000 / busyMs).toFixed(1).padStart(5) + '%'
  const lines = [`${path.relative(process.cwd(), file)}: ${busyMs.toFixed(0)} ms busy of ${totalMs.toFixed(0)} ms sampled; % of busy time`,
    '  top self time:']
  for (const [name, us] of functions) lines.push(`  ${pct(us)}  ${name}`)
  lines.push('  self time by file:')
  for (const [name, us] of files) lines.push(`  ${pct(us)}  ${name}`)
  return lines.join('\n')
}

if (require.main === module) {
  const [file, top] = process.argv.slice(2)
  if (!file) {
    console.error('usage: node bench/profile.js <file.cpuprofile> [top]')
    process.exit(2)
  }
  console.log(format(summarise(file, Number(top) || 20)))
}

module.exports = { summarise, format }
