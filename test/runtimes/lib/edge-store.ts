// Store mode on workerd, as a Worker deployed with its storage bindings: apps/edge-store.js bundled
// as wrangler bundles it (the Fetch entry through its `workerd` condition, `cloudflare:workers`
// left to the runtime), served by one workerd process, without nodejs_compat, with
// - KV_SESSIONS, a Workers KV namespace binding: workerd's own KV client, speaking KV's HTTP
//   protocol to a second Worker in the same process (apps/kv-service.js), which keeps the keys in
//   a Durable Object's storage;
// - DO_SESSIONS, a Durable Object namespace (apps/edge-store.js's SessionStore);
// both with workerd's in-memory Durable Object storage, gone when the process stops.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundle } from './bundle.js'
import { appsDir, binary, packageLink } from './paths.js'
import { freePort, launch, type Running } from './process.js'
import { COMPATIBILITY_DATE, WORKERD_CONDITIONS } from './runtimes.js'

/** A capnp text literal (printable ASCII only, which is all this file writes). */
function text (value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`not printable ASCII: ${JSON.stringify(value)}`)
  return JSON.stringify(value)
}

function config (port: number, key: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .app), (name = "kv", worker = .kv)],
  sockets = [(name = "http", address = ${text(`127.0.0.1:${port}`)}, http = (), service = "main")]
);

const app :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = ${text(COMPATIBILITY_DATE)},
  compatibilityFlags = [],
  bindings = [
    (name = "SESSION_KEY", text = ${text(key)}),
    (name = "KV_SESSIONS", kvNamespace = "kv"),
    (name = "DO_SESSIONS", durableObjectNamespace = "SessionStore")
  ],
  durableObjectNamespaces = [(className = "SessionStore", uniqueKey = "signed-cookie-session-suite-sessions")],
  durableObjectStorage = (inMemory = void)
);

const kv :Workerd.Worker = (
  modules = [(name = "kv-service.js", esModule = embed "kv-service.js")],
  compatibilityDate = ${text(COMPATIBILITY_DATE)},
  bindings = [(name = "NAMESPACE", durableObjectNamespace = "Namespace")],
  durableObjectNamespaces = [(className = "Namespace", uniqueKey = "signed-cookie-session-suite-kv")],
  durableObjectStorage = (inMemory = void)
);
`
}

/** apps/store-sample.js (docs/fetch.md's store-mode Worker) as its wrangler.toml deploys it. */
function sampleConfig (port: number, keys: string): string {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .sample)],
  sockets = [(name = "http", address = ${text(`127.0.0.1:${port}`)}, http = (), service = "main")]
);

const sample :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = ${text(COMPATIBILITY_DATE)},
  compatibilityFlags = [],
  bindings = [(name = "SESSION_KEYS", text = ${text(keys)}), (name = "SESSIONS", durableObjectNamespace = "Sessions")],
  durableObjectNamespaces = [(className = "Sessions", uniqueKey = "signed-cookie-session-suite-sample", enableSql = true)],
  durableObjectStorage = (inMemory = void)
);
`
}

export interface EdgeStore extends Running {
  /** The bundled Worker, for checks on what it contains. */
  bundleFile: string
}

/** Bundles `app` (of apps/) and starts workerd on the config `write` gives, in a fresh temporary folder removed when it stops. */
async function startWorker (app: string, write: (dir: string, port: number) => Promise<void>): Promise<EdgeStore> {
  packageLink()
  const dir = await mkdtemp(join(tmpdir(), 'scs-edge-store-'))
  try {
    const port = await freePort()
    const bundleFile = join(dir, 'worker.js')
    await bundle({ entry: join(appsDir, app), outfile: bundleFile, format: 'esm', conditions: WORKERD_CONDITIONS, external: ['cloudflare:*'] })
    await write(dir, port)
    const running = await launch(`workerd (${app})`, { file: binary('workerd'), args: ['serve', '--verbose', 'config.capnp'] }, dir, port)
    return { ...running, bundleFile, stop: async () => { await running.stop(); await rm(dir, { recursive: true, force: true }) } }
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }
}

/** The store app (apps/edge-store.js) with its KV and Durable Object bindings. */
export function startEdgeStore (key: string): Promise<EdgeStore> {
  return startWorker('edge-store.js', async (dir, port) => {
    await copyFile(join(appsDir, 'kv-service.js'), join(dir, 'kv-service.js'))
    await writeFile(join(dir, 'config.capnp'), config(port, key))
  })
}

/** docs/fetch.md's store-mode Worker (apps/store-sample.js), SESSION_KEYS as its secret. */
export function startStoreSample (keys: string): Promise<EdgeStore> {
  return startWorker('store-sample.js', async (dir, port) => {
    await writeFile(join(dir, 'config.capnp'), sampleConfig(port, keys))
  })
}
