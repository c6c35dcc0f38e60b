// Real HTTP for the store tests: apps listen on a random loopback port, and a Browser keeps the
// cookies a browser would (one jar for every port of 127.0.0.1, as browsers do for a host).
import http, { type RequestListener } from 'node:http'

export interface Listening {
  url: string
  close (): Promise<void>
}

/** Serves `handler` on 127.0.0.1 at a port the kernel picks. */
export async function listen (handler: RequestListener): Promise<Listening> {
  const server = http.createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return {
    url: `http://127.0.0.1:${port}`,
    async close () {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  }
}

export interface Answer {
  status: number
  body: any
  setCookie: string[]
}

export class Browser {
  readonly cookies = new Map<string, string>()

  /** A second browser holding a copy of this one's cookies (a stolen or shared cookie). */
  copy (): Browser {
    const other = new Browser()
    for (const [name, value] of this.cookies) other.cookies.set(name, value)
    return other
  }

  get cookieHeader (): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  }

  async request (url: string, method = 'GET', body?: unknown): Promise<Answer> {
    const headers: Record<string, string> = {}
    if (this.cookies.size > 0) headers.cookie = this.cookieHeader
    if (body !== undefined) headers['content-type'] = 'application/json'
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: 'manual' })
    const setCookie = res.headers.getSetCookie()
    for (const line of setCookie) this.store(line)
    const text = await res.text()
    return { status: res.status, body: text === '' ? null : parseOr(text), setCookie }
  }

  get (url: string): Promise<Answer> { return this.request(url) }
  post (url: string, body?: unknown): Promise<Answer> { return this.request(url, 'POST', body) }

  private store (line: string): void {
    const pair = line.split(';')[0] ?? ''
    const eq = pair.indexOf('=')
    const name = pair.slice(0, eq).trim()
    const attributes = line.toLowerCase()
    if (/expires=thu, 01 jan 1970/.test(attributes) || /max-age=0(;|$)/.test(attributes)) this.cookies.delete(name)
    else this.cookies.set(name, pair.slice(eq + 1).trim())
  }
}

function parseOr (text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
