#!/usr/bin/env bash
# Store tests against real MariaDB (express-mysql-session) and Redis (connect-redis) servers,
# which the tests start themselves on free loopback ports; report: .vitest-stores.json.
set -u
cd "$(dirname "$0")/../.."
.ci/apt-install mariadb-server:mariadbd redis-server:redis-server || exit 1
npm run test:stores
