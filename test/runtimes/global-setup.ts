// Starts every runtime once, all at the same time (each is its own process), before the test files
// run, and stops them after. A runtime that cannot start is reported to the tests as its error, so
// each of its tests fails with the reason (the bundler's errors, or the process's output).
import type { TestProject } from 'vitest/node'
import { RUNTIMES } from './lib/runtimes.js'
import { start, type Started } from './lib/start.js'
import type { RuntimeName } from './lib/names.js'

/** What a test learns of one runtime: where it listens and where its output goes, or why it is not running. */
export type RuntimeState = { url: string, logFile: string, version: string } | { error: string, version: string }

declare module 'vitest' {
  export interface ProvidedContext {
    runtimes: Record<RuntimeName, RuntimeState>
  }
}

export default async function setup (project: TestProject): Promise<() => Promise<void>> {
  const started: Started[] = []
  const states = await Promise.all(RUNTIMES.map(async (runtime): Promise<[RuntimeName, RuntimeState]> => {
    let version = 'not installed'
    try {
      version = runtime.version()
    } catch {}
    try {
      const running = await start(runtime)
      started.push(running)
      return [runtime.name, { url: running.url, logFile: running.logFile, version }]
    } catch (err) {
      return [runtime.name, { error: err instanceof Error ? err.message : String(err), version }]
    }
  }))
  console.log('\nRuntimes:\n' + states.map(([name, state]) =>
    `  ${name} ${state.version}: ${'url' in state ? `listening on ${state.url}` : `NOT RUNNING: ${state.error.split('\n')[0]}`}`).join('\n'))
  project.provide('runtimes', Object.fromEntries(states) as Record<RuntimeName, RuntimeState>)
  return async () => {
    await Promise.all(started.map((running) => running.stop()))
  }
}
