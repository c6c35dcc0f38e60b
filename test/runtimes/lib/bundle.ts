// Bundles an app as a runtime's own tooling would: esbuild, resolving packages through their
// `exports` with that runtime's conditions, and Node's built-in modules left unresolved (a Worker
// without nodejs_compat, or an Edge Function, has none), so importing one fails here as it does
// when deploying.
import { build, type Message } from 'esbuild'

export interface BundleOptions {
  entry: string
  outfile: string
  /** `esm` for a Worker module, `iife` for a script (edge-runtime evaluates one). */
  format: 'esm' | 'iife'
  /** The `exports` conditions, first-listed first, besides `import`/`require` and `default`. */
  conditions: string[]
  /** Extra folders searched for packages, like NODE_PATH. */
  nodePaths?: string[]
  /** Imports the runtime provides, left as they are (wrangler leaves `cloudflare:*` to workerd). */
  external?: string[]
  minify?: boolean
}

function describe (message: Message): string {
  const where = message.location ? `${message.location.file}:${message.location.line}:${message.location.column}: ` : ''
  return `${where}${message.text}`
}

/** Writes the bundle; throws an Error listing every esbuild error when it cannot be made. */
export async function bundle (options: BundleOptions): Promise<void> {
  try {
    await build({
      entryPoints: [options.entry],
      outfile: options.outfile,
      bundle: true,
      format: options.format,
      platform: 'browser',
      conditions: options.conditions,
      nodePaths: options.nodePaths ?? [],
      external: options.external ?? [],
      minify: options.minify ?? false,
      logLevel: 'silent'
    })
  } catch (err) {
    const errors = (err as { errors?: Message[] }).errors
    if (errors === undefined) throw err
    throw new Error(`esbuild could not bundle ${options.entry} with conditions ${options.conditions.join(', ')}:\n` +
      errors.map(describe).join('\n'))
  }
}
