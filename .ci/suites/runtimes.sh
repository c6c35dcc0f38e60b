#!/usr/bin/env bash
# The Fetch entry on real Web-platform runtimes: workerd, edge-runtime, Deno, Bun and Node, each
# started as a process on a loopback port and driven over HTTP by test/runtimes/ (its own install:
# the runtimes' binaries come inside their npm packages). Report: .vitest-runtimes.json.
set -u
cd "$(dirname "$0")/../.."
npm ci --prefix test/runtimes --no-audit --no-fund || exit 1
npm run test:runtimes
