#!/usr/bin/env bash
# A key rotation rolled across three app processes behind a round-robin proxy, under load.
set -u
cd "$(dirname "$0")/../.."
npm run test:rollout
