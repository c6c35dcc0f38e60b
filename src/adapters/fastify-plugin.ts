// What fastify-plugin does, in the three properties Fastify reads (lib/plugin-utils.js), so the
// package needs no dependency of its own for Fastify users and none at all for everyone else.
import type { FastifyPluginCallback } from 'fastify'

/** The metadata Fastify checks when a plugin is registered. */
export interface PluginMeta {
  /** The plugin's name, for `dependencies` of other plugins and Fastify's error messages. */
  readonly name: string
  /** The Fastify versions it works with (a semver range, checked at registration). */
  readonly fastify: string
}

/**
 * Marks `plugin` as not encapsulated (`skip-override`): its hooks and decorators apply to the
 * context it is registered in, so registered at the root they reach every route. Names it, and
 * tells Fastify which versions it supports.
 */
export function asFastifyPlugin<Options extends object> (plugin: FastifyPluginCallback<Options>, meta: PluginMeta): FastifyPluginCallback<Options> {
  return Object.defineProperties(plugin, {
    [Symbol.for('skip-override')]: { value: true },
    [Symbol.for('fastify.display-name')]: { value: meta.name },
    [Symbol.for('plugin-meta')]: { value: Object.freeze({ ...meta }) }
  })
}
