// A koa-session external store, written the way koa-redis is: async get(key, maxAge, { rolling, ctx }),
// set(key, sess, maxAge, { rolling, changed, ctx }) and destroy(key, { ctx }), keeping JSON with a
// TTL of maxAge milliseconds (and refusing a maxAge that is not a number, as a TTL must be one).
export class KoaStyleStore {
  private readonly records = new Map<string, { text: string, expires: number }>()
  /** Every call, with its arguments after the key (for assertions). */
  readonly calls: Array<{ method: 'get' | 'set' | 'destroy', key: string, args: unknown[] }> = []

  async get (key: string, maxAge: unknown, options: unknown): Promise<unknown> {
    this.calls.push({ method: 'get', key, args: [maxAge, options] })
    const record = this.records.get(key)
    if (record === undefined) return undefined
    if (record.expires <= Date.now()) {
      this.records.delete(key)
      return undefined
    }
    return JSON.parse(record.text)
  }

  async set (key: string, session: unknown, maxAge: unknown, options: unknown): Promise<void> {
    this.calls.push({ method: 'set', key, args: [session, maxAge, options] })
    if (typeof maxAge !== 'number') throw new TypeError(`maxAge must be a number of ms, got ${typeof maxAge}`)
    this.records.set(key, { text: JSON.stringify(session), expires: Date.now() + maxAge })
  }

  async destroy (key: string, options: unknown): Promise<void> {
    this.calls.push({ method: 'destroy', key, args: [options] })
    this.records.delete(key)
  }

  /** Milliseconds `key` has left, or undefined (for assertions). */
  ttl (key: string): number | undefined {
    const record = this.records.get(key)
    return record === undefined ? undefined : record.expires - Date.now()
  }
}
