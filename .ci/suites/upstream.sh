#!/usr/bin/env bash
# Other libraries' own tests run unchanged against ours: koa-session's cookie and store tests
# (npm run test:upstream) and express-session's test/session.js (npm run test:express-session). Their
# test files are in git clones of those libraries (npm's packages leave tests out, and this repository
# keeps none of their code), so they run where a clone is found: KOA_SESSION_REPO and
# EXPRESS_SESSION_GIT, by default this workplace's mirrors. Where neither is, this says so and runs
# nothing. Report: .vitest-upstream.json (both suites' counts).
set -u
cd "$(dirname "$0")/../.."
koa=${KOA_SESSION_REPO:-/work/.mirror/koajs+session/repo}
express=${EXPRESS_SESSION_GIT:-/work/.mirror/expressjs+session/repo}
status=0
rm -f .vitest-upstream.json .vitest-upstream-koa.json .vitest-express-session.json
if git --git-dir "$koa" rev-parse -q --verify '36beadadf9db645ae5a0c8544544e4e6cfb203cc^{commit}' >/dev/null 2>&1; then
  KOA_SESSION_REPO=$koa npm run test:upstream || status=1
else
  echo "upstream: no clone of koa-session at $koa (KOA_SESSION_REPO): its tests are not run here"
fi
if git --git-dir "$express" rev-parse -q --verify 'v1.19.0^{commit}' >/dev/null 2>&1; then
  .ci/apt-install git:git openssl:openssl || exit 1
  EXPRESS_SESSION_GIT=$express npm run test:express-session || status=1
else
  echo "upstream: no clone of express-session at $express (EXPRESS_SESSION_GIT): its tests are not run here"
fi
node -e '
const fs = require("node:fs")
const sum = { numPassedTests: 0, numFailedTests: 0, numTotalTests: 0 }
for (const file of [".vitest-upstream-koa.json", ".vitest-express-session.json"]) {
  if (!fs.existsSync(file)) continue
  const report = JSON.parse(fs.readFileSync(file, "utf8"))
  for (const key of Object.keys(sum)) sum[key] += report[key]
}
fs.writeFileSync(".vitest-upstream.json", JSON.stringify(sum))
console.log(`upstream: ${sum.numPassedTests} passed, ${sum.numFailedTests} failed`)'
exit $status
