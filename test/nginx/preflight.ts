// Before the nginx tests: say plainly that they cannot run without nginx, and how to install it.
import { which } from '../helpers/servers.js'
import { INSTALL_COMMAND } from './nginx.js'

export default function preflight (): void {
  if (which('nginx') !== undefined) return
  console.error(`\nThe nginx tests cannot run: nginx is not installed (Debian package nginx).\nInstall it (as root), then run npm run test:nginx again:\n  ${INSTALL_COMMAND}\n`)
  const err = new Error('nginx missing (see above)')
  err.stack = err.message // the message above says it all; no stack trace
  throw err
}
