#!/usr/bin/env node
// Entry point installed as `dirconn`: runs the compiled CLI (apps/cli/dist) on Node.js 22+.
const [major] = process.versions.node.split('.').map(Number);
if (major < 22) {
  process.stderr.write(`dirconn needs Node.js 22 or newer (this is ${process.version}). Run it through "npx dirconn" in the repository (node@22 is a devDependency) or install Node.js 22 LTS.\n`);
  process.exit(1);
}
if (process.env.DIRCONN_RESOURCE_STATS === '1') {
  // For benchmarks: one line with this process's peak memory and CPU time, printed at exit.
  process.on('exit', () => {
    const usage = process.resourceUsage();
    process.stderr.write(`dirconn-stats ${JSON.stringify({ maxRssKb: usage.maxRSS, userCpuMs: Math.round(usage.userCPUTime / 1000), systemCpuMs: Math.round(usage.systemCPUTime / 1000) })}\n`);
  });
}
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv);
