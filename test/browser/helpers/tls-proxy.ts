// A TLS-terminating reverse proxy, as in front of most deployed apps: HTTPS from the browser, plain
// HTTP to the app with `X-Forwarded-Proto: https`. Its certificate is self-signed (made by openssl
// in a temp folder), so browser contexts that use it set `ignoreHTTPSErrors`.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import http from 'node:http'
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Proxy { port: number, close: () => Promise<void> }

function selfSigned (host: string): { key: Buffer, cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'scs-tls-'))
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', `/CN=${host}`, '-addext', `subjectAltName=DNS:${host}`,
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')
    ], { stdio: 'pipe' })
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Listens on a free loopback port and forwards every request to the app on `appPort`. */
export async function tlsProxy (appPort: number, host = 'site.test'): Promise<Proxy> {
  const server = https.createServer(selfSigned(host), (req, res) => {
    const upstream = http.request({
      host: '127.0.0.1',
      port: appPort,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, 'x-forwarded-proto': 'https' }
    }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => { res.writeHead(502).end() })
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) })
  }
}
