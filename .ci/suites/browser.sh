#!/usr/bin/env bash
# The example apps in a real browser: Debian's Chromium (no browser download), driven by playwright-core.
set -u
cd "$(dirname "$0")/../.."
.ci/apt-install chromium:chromium openssl:openssl || exit 1
npm run test:browser
