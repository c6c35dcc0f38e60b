// A browser's cookie store in miniature: Set-Cookie lines in (an expired one deletes), the Cookie
// header out, in the order the cookies were first set. Enough to see stray chunk cookies.
export class CookieJar {
  readonly cookies = new Map<string, string>()

  apply (setCookie: readonly string[]): this {
    for (const line of setCookie) {
      const pair = line.split(';')[0] as string
      const name = pair.slice(0, pair.indexOf('='))
      if (line.includes('expires=Thu, 01 Jan 1970')) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(name.length + 1))
    }
    return this
  }

  get header (): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  get names (): string[] {
    return [...this.cookies.keys()].sort()
  }
}
