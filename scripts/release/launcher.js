#!/usr/bin/env node
// `dirconn` as installed from the npm tarball: checks the Node.js version, then runs the bundled CLI.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`dirconn needs Node.js 22 or newer (this is ${process.version}). Install Node.js 22 LTS, or use the single executable (dirconn-<version>-linux-x64), which needs no Node.js.\n`);
  process.exit(1);
}
const { main } = await import('../lib/cli/dirconn.mjs');
process.exitCode = await main(process.argv);
