// Keys come from environment variables only, never from arguments (which shell history and `ps`
// show). Split on "," as the README's `process.env.SESSION_KEYS.split(',')` does, with no trimming,
// so the tool verifies with exactly the keys the app has. No message ever contains a key.
import { UsageError } from './args.js'

export const DEFAULT_KEYS_ENV = 'SESSION_KEYS'

export interface EnvKeys {
  readonly keys: readonly string[] | undefined
  readonly warnings: readonly string[]
}

/**
 * The keys in environment variable `name`. An unset variable gives no keys when it was not asked
 * for by name (`required` false); an empty entry is a usage error, as the middleware refuses it.
 */
export function keysFromEnv (env: NodeJS.ProcessEnv, name: string, required: boolean): EnvKeys {
  const text = env[name]
  if (text === undefined) {
    if (required) throw new UsageError(`environment variable ${name} is not set`)
    return { keys: undefined, warnings: [] }
  }
  const keys = text.split(',')
  const warnings: string[] = []
  keys.forEach((key, i) => {
    if (key === '') throw new UsageError(`${name} entry #${i} is empty (keys are separated by ",", newest first)`)
    if (key.trim() !== key) warnings.push(`${name} entry #${i} has leading or trailing whitespace; it is used as is, as the app would`)
  })
  return { keys, warnings }
}
