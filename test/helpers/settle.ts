// Small helpers tests share: watching for unhandled rejections, and letting the
// promise callbacks that run after a response (a rejected hook's report) settle.
import { afterEach } from 'vitest'

/** Resolves after pending promise callbacks and timers of this tick have run. */
export async function settle (ms = 20): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}

/** The unhandled rejections seen while a test runs (the list is emptied after each test). */
export function watchUnhandledRejections (): unknown[] {
  const seen: unknown[] = []
  const listener = (reason: unknown) => { seen.push(reason) }
  process.on('unhandledRejection', listener)
  afterEach(() => { seen.length = 0 })
  return seen
}
