// A round-robin reverse proxy in front of the fleet, like a load balancer: a backend can be taken
// out of rotation, and `remove` resolves once the requests it was serving have finished.
import http from 'node:http'
import type { AddressInfo } from 'node:net'

interface Backend { port: number, agent: http.Agent, active: number, drained?: () => void }

export class RoundRobinProxy {
  private readonly backends: Backend[] = []
  private next = 0
  private readonly server = http.createServer((req, res) => this.forward(req, res))
  port = 0

  async listen (): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as AddressInfo).port
  }

  add (port: number): void {
    this.backends.push({ port, agent: new http.Agent({ keepAlive: true }), active: 0 })
  }

  /** Takes the backend out of rotation; resolves when it has no request in flight. */
  async remove (port: number): Promise<void> {
    const index = this.backends.findIndex((backend) => backend.port === port)
    if (index === -1) throw new Error(`no backend on port ${port}`)
    const [backend] = this.backends.splice(index, 1) as [Backend]
    if (backend.active > 0) await new Promise<void>((resolve) => { backend.drained = resolve })
    backend.agent.destroy()
  }

  close (): Promise<void> {
    for (const backend of this.backends) backend.agent.destroy()
    this.server.closeAllConnections()
    return new Promise((resolve) => this.server.close(() => resolve()))
  }

  private forward (req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.backends.length === 0) {
      res.writeHead(503).end()
      return
    }
    const backend = this.backends[this.next++ % this.backends.length]!
    backend.active++
    let finished = false
    const done = (): void => {
      if (finished) return
      finished = true
      if (--backend.active === 0) backend.drained?.()
    }
    const upstream = http.request({
      host: '127.0.0.1', port: backend.port, agent: backend.agent, method: req.method, path: req.url, headers: req.headers
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
      answer.once('end', done)
    })
    upstream.once('error', () => {
      done()
      if (!res.headersSent) res.writeHead(502)
      res.end()
    })
    req.pipe(upstream)
  }
}
