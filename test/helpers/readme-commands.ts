// The shell commands the README and the guides in docs/ show (sh blocks and inline `npm ...`,
// `npx ...`, `node ...`, `cd ...` spans), and what in them must exist: npm scripts, the package's
// bin, files, folders. Every command runs from the repository root.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { root } from './processes.js'
import { codeBlocks, documents } from './readme.js'

/** Command lines: a block's `$ ` lines when it shows a session (with output), else all of it. */
function commandsOf (block: string): string[] {
  const lines = block.replace(/\\\n\s*/g, ' ').split('\n')
  const prompted = lines.filter((line) => line.startsWith('$ ')).map((line) => line.slice(2))
  return (prompted.length > 0 ? prompted : lines).map((line) => line.replace(/(?:^|\s)#.*$/, '').trim()).filter(Boolean)
}

const inline = documents.flatMap(({ text }) => [...text.matchAll(/`((?:npm|npx|node|cd) [^`]+)`/g)].map((m) => m[1] ?? ''))
const commands = [...codeBlocks.filter((b) => b.lang === 'sh').flatMap((b) => commandsOf(b.code)), ...inline]

const packageAt = (dir: string): { scripts?: Record<string, string>, bin?: Record<string, string> } =>
  JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))

/** What one command names that does not exist, or undefined. `cwd` follows its `cd`s. */
function problemOf (words: string[], cwd: { dir: string }): string | undefined {
  const [program, first, second] = words
  const pkg = (): ReturnType<typeof packageAt> => packageAt(cwd.dir)
  if (program === 'cd') {
    cwd.dir = join(cwd.dir, first ?? '')
    return existsSync(cwd.dir) ? undefined : `no folder ${first}`
  }
  if (program === 'npm') {
    if (first === 'ci' || first === 'install' || first === 'pack') return undefined
    const script = first === 'run' ? second : first
    if (first !== 'run' && first !== 'test' && first !== 'start') return `npm ${first} is not a command the docs should need`
    return script !== undefined && pkg().scripts?.[script] !== undefined ? undefined : `no script ${script} in ${join(cwd.dir, 'package.json')}`
  }
  if (program === 'npx') {
    const bin = pkg().bin?.[first ?? '']
    return bin !== undefined && existsSync(join(cwd.dir, bin)) ? undefined : `no bin ${first} (built) in ${join(cwd.dir, 'package.json')}`
  }
  if (program === 'node') {
    const file = words.slice(1).find((word) => !word.startsWith('-'))
    return file !== undefined && existsSync(join(cwd.dir, file)) ? undefined : `no file ${file}`
  }
  return undefined // curl, grep, echo, export, ...: not ours to check
}

/** Every command in the docs that names a missing script, bin, file or folder, with what is missing. */
export function commandProblems (): string[] {
  if (commands.length === 0) return ['no commands found']
  return commands.flatMap((command) => {
    const cwd = { dir: root }
    return command.split(/&&|\|\||[|;]/).map((part) => part.trim().split(/\s+/).filter((w) => !/^\w+=/.test(w)))
      .map((words) => problemOf(words, cwd)).filter((p) => p !== undefined).map((p) => `${command}: ${p}`)
  })
}
