// Marks the built command-line entry (and any other file named) executable: tsc keeps its
// "#!/usr/bin/env node" line but writes every file 0644. Node's chmod, so the build needs no shell.
const { chmodSync, statSync } = require('node:fs')

for (const file of process.argv.slice(2)) chmodSync(file, statSync(file).mode | 0o111)
