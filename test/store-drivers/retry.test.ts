// The atomic drivers' bounded retry (src/store/retry.ts) and their client calls' timeout
// (settle.ts's within): pure logic, tested here; the drivers themselves run against real servers
// in test/stores/drivers.test.ts.
import { describe, expect, it } from 'vitest'
import { SessionStoreConflictError, SessionStoreError } from '../../src/errors.js'
import { storeAnswer } from '../../src/store/errors.js'
import { withRetries, type Attempt } from '../../src/store/retry.js'
import { within } from '../../src/store/settle.js'

describe('withRetries', () => {
  it('answers the first attempt that is not a conflict', async () => {
    const outcomes: Attempt[] = ['conflict', 'conflict', 'ok']
    let calls = 0
    expect(await withRetries(5, async () => outcomes[calls++]!)).toBe('ok')
    expect(calls).toBe(3)
    expect(await withRetries(5, async () => 'gone')).toBe('gone')
  })

  it('gives up after the bounded attempts with a SessionStoreConflictError that is a SessionStoreError', async () => {
    let calls = 0
    const err = await withRetries(4, async () => { calls++; return 'conflict' }).catch((error: unknown) => error)
    expect(calls).toBe(4)
    expect(err).toBeInstanceOf(SessionStoreConflictError)
    expect(err).toBeInstanceOf(SessionStoreError)
    expect(err).toMatchObject({ code: 'ERR_SESSION_STORE_CONFLICT', operation: 'set', attempts: 4, name: 'SessionStoreConflictError' })
  })

  it('keeps trying while it keeps losing, for at most its budget of time', async () => {
    let calls = 0
    const started = Date.now()
    const err = await withRetries(Infinity, async () => { calls++; return 'conflict' }, 60).catch((error: unknown) => error)
    expect(err).toBeInstanceOf(SessionStoreConflictError)
    expect(Date.now() - started).toBeLessThan(60 + 50 + 100)
    expect(calls).toBeGreaterThan(1)
    expect(err).toMatchObject({ attempts: calls })
  })

  it('lets an attempt\'s own failure through at once', async () => {
    const failure = storeAnswer('get', 'nonsense')
    let calls = 0
    await expect(withRetries(5, async () => { calls++; throw failure })).rejects.toBe(failure)
    expect(calls).toBe(1)
  })
})

describe('within (a client command bounded like a store call)', () => {
  it('resolves with the command\'s value', async () => {
    expect(await within('get', 1000, async () => 'value')).toBe('value')
  })

  it('fails a command that never settles after the timeout, naming the operation', async () => {
    const err = await within('set', 40, () => new Promise(() => {})).catch((error: unknown) => error)
    expect(err).toMatchObject({ code: 'ERR_SESSION_STORE', operation: 'set', message: 'session store set timed out after 40 ms' })
  })

  it('fails a rejected command with the client\'s error as cause and only its class and code in the message', async () => {
    const original = Object.assign(new Error('READONLY You can\'t write against a read only replica. redis://:pw@10.0.0.5'), { code: 'READONLY' })
    const err = await within('set', 1000, async () => { throw original }).catch((error: unknown) => error) as SessionStoreError
    expect(err.message).toBe('session store set failed (Error, code READONLY)')
    expect(err.cause).toBe(original)
  })

  it('an answer no store gives is a SessionStoreError that says what came back', () => {
    expect(storeAnswer('get', 'a session that is not an object')).toMatchObject({
      code: 'ERR_SESSION_STORE', operation: 'get', message: 'session store get answered a session that is not an object'
    })
  })
})
