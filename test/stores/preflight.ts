// Before any store test: say plainly which tests cannot run without the servers, and how to install them.
import { readdirSync } from 'node:fs'
import { INSTALL_COMMAND, missingBinaries } from '../helpers/servers.js'

export default function preflight (): void {
  const missing = missingBinaries()
  if (missing.length === 0) return
  const files = readdirSync(new URL('.', import.meta.url)).filter((file) => file.endsWith('.test.ts'))
  const commands = missing.map(({ command, pkg }) => `${command} (Debian package ${pkg})`).join(', ')
  const message = [
    `The store tests cannot run: ${commands} not installed.`,
    ...files.map((file) => `  cannot run: test/stores/${file}`),
    `Install the servers (as root), then run npm run test:stores again:\n  ${INSTALL_COMMAND}`
  ].join('\n')
  console.error(`\n${message}\n`)
  const err = new Error('store test servers missing (see above)')
  err.stack = err.message // the message above says it all; no stack trace
  throw err
}
