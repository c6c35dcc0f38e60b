#!/usr/bin/env node
// npx signed-cookie-session <command>: keygen and inspect. Exit codes are listed in help.ts.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { UsageError } from './args.js'
import { safeText } from './escape.js'
import { INSPECT_HELP, KEYGEN_HELP, MAIN_HELP } from './help.js'
import { inspectCommand } from './inspect-command.js'
import { keygen } from './keygen.js'

interface Outcome {
  readonly stdout: string
  readonly stderr?: string
  readonly code: number
}

const wantsHelp = (args: readonly string[]): boolean => args.includes('--help') || args.includes('-h')

async function run (args: readonly string[]): Promise<Outcome> {
  const [command, ...rest] = args
  switch (command) {
    case undefined:
      return { stdout: '', stderr: MAIN_HELP, code: 1 }
    case '-h': case '--help': case 'help':
      return { stdout: MAIN_HELP, code: 0 }
    case '-v': case '--version':
      return { stdout: version() + '\n', code: 0 }
    case 'keygen':
      return wantsHelp(rest) ? { stdout: KEYGEN_HELP, code: 0 } : { stdout: keygen(rest), code: 0 }
    case 'inspect':
      return wantsHelp(rest) ? { stdout: INSPECT_HELP, code: 0 } : await inspectCommand(rest, process.env, process.stdin)
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`)
  }
}

function version (): string {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string }
  return version
}

run(process.argv.slice(2)).then(({ stdout, stderr, code }) => {
  process.stdout.write(stdout)
  if (stderr !== undefined) process.stderr.write(stderr)
  process.exitCode = code
}, (err: unknown) => {
  if (!(err instanceof UsageError)) throw err
  process.stderr.write(`signed-cookie-session: ${safeText(err.message)}\nTry "signed-cookie-session --help".\n`)
  process.exitCode = 1
})
