// Bounded retry of an optimistic write: read, merge, write only if the record is still what was
// read. Losing that race means another request wrote in between (so the requests as a whole make
// progress); trying again merges onto what it wrote, which is always safe. So a write keeps trying
// while it keeps losing, bounded by time (the store timeout, as every store call is) and by a count
// of attempts, with a random pause that grows each time, so that requests that collided spread out
// instead of colliding again in lockstep.
import { SessionStoreConflictError } from '../errors.js'

/** One attempt's outcome: done, no record, or the record changed between the read and the write. */
export type Attempt = 'ok' | 'gone' | 'conflict'

/** The longest pause between two attempts, in ms. */
const MAX_PAUSE = 50

/**
 * Runs `attempt` until it is not a conflict, at most `attempts` times and, once `budget` ms have
 * passed, no more; then SessionStoreConflictError.
 */
export async function withRetries (attempts: number, attempt: () => Promise<Attempt>, budget = Infinity): Promise<'ok' | 'gone'> {
  const deadline = Date.now() + budget
  for (let done = 1; ; done++) {
    const outcome = await attempt()
    if (outcome !== 'conflict') return outcome
    if (done >= attempts || Date.now() >= deadline) throw new SessionStoreConflictError(done)
    await pause(Math.random() * Math.min(2 ** done, MAX_PAUSE))
  }
}

async function pause (ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms))
}
