// The one place where the session's cookies are read: the platform's jar (or an adapter's), with
// every value percent-decoded before anything verifies it — the session value, its chunks, its
// `.sig`, a store's id cookie. What a framework's cookie API percent-encoded on the way out
// (wire/percent.ts) is then read as the value that was signed.
import type { MaybePromise } from '../platform/maybe.js'
import type { CookieWrite, Jar } from '../platform/types.js'
import { percentDecoded } from '../wire/percent.js'

export class DecodingJar implements Jar {
  private readonly inner: Jar

  constructor (inner: Jar) {
    this.inner = inner
  }

  get (name: string): string | undefined {
    const value = this.inner.get(name)
    return value === undefined ? undefined : percentDecoded(value)
  }

  chunkIndexes (name: string, below?: number): number[] {
    return this.inner.chunkIndexes(name, below)
  }

  setCookies (previous: readonly string[], writes: readonly CookieWrite[], secure: boolean, maxSize: number): MaybePromise<string[]> {
    return this.inner.setCookies(previous, writes, secure, maxSize)
  }

  line (write: CookieWrite, secure: boolean): string {
    return this.inner.line(write, secure)
  }
}
