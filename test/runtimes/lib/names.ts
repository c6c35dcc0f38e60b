// The runtimes the suite starts, by the names its tests and reports use.
export const RUNTIME_NAMES = ['workerd', 'edge-runtime', 'deno', 'bun', 'node'] as const
export type RuntimeName = typeof RUNTIME_NAMES[number]
