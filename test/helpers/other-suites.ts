// A note at the start of `npm test`: which suites it leaves to their own commands (real servers and
// browsers), and, where this machine lacks what one needs, the command that installs it.
import { existsSync } from 'node:fs'
import { INSTALL_COMMAND, missingBinaries, which } from './servers.js'

export default function otherSuites (): void {
  const stores = missingBinaries().length === 0
    ? 'npm run test:stores (real MariaDB and Redis; installed here)'
    : `npm run test:stores: NOT RUNNABLE HERE, the servers are missing; install them with: ${INSTALL_COMMAND}`
  const nginx = which('nginx') !== undefined
    ? 'npm run test:nginx (nginx; installed here)'
    : 'npm run test:nginx: NOT RUNNABLE HERE, nginx is missing; install it with: .ci/apt-install nginx:nginx'
  const chromium = existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')
    ? 'npm run test:browser (Chromium; installed here)'
    : 'npm run test:browser: NOT RUNNABLE HERE, Chromium is missing; install it with: .ci/apt-install chromium:chromium'
  console.log([
    '',
    'npm test runs the self-contained suites. These run on their own (CI runs them all, from .ci/suites/):',
    `  - store mode on real servers: ${stores}`,
    `  - real browser: ${chromium}`,
    `  - the caching headers behind a real shared cache: ${nginx}`,
    '  - Next.js example: npm ci --prefix examples/next && npm run test:next',
    '  - key rollout across processes: npm run test:rollout',
    '  - express-session\'s own test/session.js (git, npm\'s registry, openssl): npm run test:express-session',
    '  - the Fetch entry on workerd, edge-runtime, Deno, Bun and Node: npm ci --prefix test/runtimes && npm run test:runtimes',
    ''
  ].join('\n'))
}
