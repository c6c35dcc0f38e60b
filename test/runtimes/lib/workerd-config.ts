// The capnp configuration `workerd serve` reads: one Worker (an ES module), its compatibility date
// and flags, text bindings (what a Worker's secrets and plain vars are), on an http socket.

export interface WorkerdConfig {
  /** The bundled module, a file beside the config. */
  module: string
  compatibilityDate: string
  compatibilityFlags?: string[]
  /** Name to value; the Worker sees them on `env`. */
  bindings?: Record<string, string>
  port: number
}

/** A capnp text literal: its escapes are JSON's for printable ASCII, which is all this suite writes. */
function text (value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`not printable ASCII: ${JSON.stringify(value)}`)
  return JSON.stringify(value)
}

export function workerdConfig (config: WorkerdConfig): string {
  const bindings = Object.entries(config.bindings ?? {}).map(([name, value]) => `(name = ${text(name)}, text = ${text(value)})`)
  const flags = (config.compatibilityFlags ?? []).map(text)
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [(name = "main", worker = .worker)],
  sockets = [(name = "http", address = ${text(`127.0.0.1:${config.port}`)}, http = (), service = "main")]
);

const worker :Workerd.Worker = (
  modules = [(name = ${text(config.module)}, esModule = embed ${text(config.module)})],
  compatibilityDate = ${text(config.compatibilityDate)},
  compatibilityFlags = [${flags.join(', ')}],
  bindings = [${bindings.join(', ')}]
);
`
}
