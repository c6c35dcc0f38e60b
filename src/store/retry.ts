// Bounded retry of an optimistic write: read, merge, write only if the record is still what was
// read. Losing that race means another request wrote in between; trying again merges onto what it
// wrote. A short random pause between attempts keeps two requests that collided from colliding again
// in lockstep.
import { SessionStoreConflictError } from '../errors.js'

/** One attempt's outcome: done, no record, or the record changed between the read and the write. */
export type Attempt = 'ok' | 'gone' | 'conflict'

/** Runs `attempt` until it is not a conflict, at most `attempts` times; then SessionStoreConflictError. */
export async function withRetries (attempts: number, attempt: () => Promise<Attempt>): Promise<'ok' | 'gone'> {
  for (let done = 0; done < attempts; done++) {
    if (done > 0) await pause(Math.random() * 2 * done)
    const outcome = await attempt()
    if (outcome !== 'conflict') return outcome
  }
  throw new SessionStoreConflictError(attempts)
}

async function pause (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}
