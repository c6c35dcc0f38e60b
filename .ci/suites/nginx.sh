#!/usr/bin/env bash
# The caching headers proven behind a real shared cache: Debian's nginx with proxy_cache in front of
# an Express app, started by test/nginx/ on loopback ports; report: .vitest-nginx.json.
set -u
cd "$(dirname "$0")/../.."
.ci/apt-install nginx:nginx || exit 1
npm run test:nginx
