import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** @type {import('next').NextConfig} */
export default {
  // This example links the library from the repository root (file:../..), so that is the root Next
  // resolves and traces files from. An app that installs signed-cookie-session from npm needs none of this.
  turbopack: { root: join(dirname(fileURLToPath(import.meta.url)), '../..') }
}
