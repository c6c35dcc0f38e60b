// A runtime as the tests see it: a function sending a request to its app, which fails with the
// reason the runtime is not running (bundler errors, or its output) when it could not start.
import { inject } from 'vitest'
import { getFrom, type Reply } from './http.js'
import type { RuntimeName } from './names.js'

export type Send = (path: string, cookie?: string) => Promise<Reply>

export function target (name: RuntimeName): Send {
  return async (path, cookie) => {
    const state = inject('runtimes')[name]
    if ('error' in state) throw new Error(`${name} ${state.version} is not running: ${state.error}`)
    return await getFrom(name, state.url, state.logFile, path, cookie)
  }
}
