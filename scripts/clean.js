// Removes build output before a build, so a renamed source file leaves no stale file behind.
const { rmSync } = require('node:fs')
for (const dir of process.argv.slice(2)) rmSync(dir, { recursive: true, force: true })
