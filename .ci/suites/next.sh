#!/usr/bin/env bash
# The Next.js example (examples/next, its own install): `next build`, `next start` on a loopback
# port, driven over HTTP and in Debian's Chromium by test/next/.
set -euo pipefail
cd "$(dirname "$0")/../.."
.ci/apt-install chromium:chromium
npm ci --prefix examples/next --no-audit --no-fund
NEXT_TELEMETRY_DISABLED=1 npm run test:next
