// A cookie jar for fetch(): keeps what Set-Cookie lines store, drops what they expire.
export class CookieJar {
  private readonly cookies = new Map<string, string>()

  /** Stores the response's cookies; returns its Set-Cookie lines. */
  update (res: Response): string[] {
    const lines = res.headers.getSetCookie()
    for (const line of lines) {
      const pair = line.split(';', 1)[0] ?? ''
      const name = pair.slice(0, pair.indexOf('='))
      const expires = /; expires=([^;]+)/i.exec(line)?.[1]
      if (expires !== undefined && Date.parse(expires) <= Date.now()) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(name.length + 1))
    }
    return lines
  }

  get (name: string): string | undefined {
    return this.cookies.get(name)
  }

  set (name: string, value: string): void {
    this.cookies.set(name, value)
  }

  /** The Cookie request header. */
  header (): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }
}
