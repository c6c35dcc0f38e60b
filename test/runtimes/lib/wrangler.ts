// The few wrangler.toml keys workerd needs to run a Worker as wrangler would deploy it. A line
// reader, not a TOML parser: enough for the flat keys an example's wrangler.toml sets.
import { readFileSync } from 'node:fs'

export interface WranglerConfig {
  main: string
  compatibilityDate: string
  compatibilityFlags: string[]
}

export function readWranglerToml (file: string): WranglerConfig {
  const text = readFileSync(file, 'utf8')
  const value = (key: string): string | undefined => new RegExp(`^${key}\\s*=\\s*(.+?)\\s*$`, 'm').exec(text)?.[1]
  const string = (key: string): string => {
    const raw = value(key)
    if (raw === undefined || !/^"[^"]*"$/.test(raw)) throw new Error(`${file}: no ${key} = "..." line`)
    return raw.slice(1, -1)
  }
  const flags = value('compatibility_flags')
  return {
    main: string('main'),
    compatibilityDate: string('compatibility_date'),
    compatibilityFlags: flags === undefined ? [] : [...flags.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '')
  }
}
