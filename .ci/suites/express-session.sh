#!/usr/bin/env bash
# express-session's own test/session.js against store mode (test/express-session-suite/): its
# checkout (EXPRESS_SESSION_GIT, GitHub's by default) needs git, npm's registry and openssl;
# report: .vitest-express-session.json.
set -u
cd "$(dirname "$0")/../.."
.ci/apt-install git:git openssl:openssl || exit 1
npm run test:express-session
