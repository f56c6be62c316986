// Cloud directory sync bench (issue #10): a generated directory in a provider's fake (in this
// process), the fake Bitwarden server, and the BUILT CLI run twice:
//
//   full      = dirconn --json sync   (everything new: one read of every page, invites, one import)
//   unchanged = dirconn --json sync   (same directory: a full read again, nothing posted)
//
// For each run: wall time, the CLI's peak RSS (DIRCONN_RESOURCE_STATS=1), directory API calls by
// route and per 10k users, Bitwarden requests. Usage:
//
//   npm run bench:cloud -- --provider google --users 50000 --groups 5000 [--keep]
//
// A provider is one plug-in file under cloud/ plus one line in PLUGINS.
// Test-only: lives in test-support, never shipped.

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchLog, positiveInt } from './cli.js';
import { Cleanup, tempDir } from './cleanup.js';
import type { CloudBenchPlugin, CloudBenchSource } from './cloud/cloud-source.js';
import { DirconnCli } from './dirconn-cli.js';
import { FakeTarget } from './fake-target.js';
import { renderTable, secs } from './format.js';

/** The providers, by name. */
const PLUGINS: Record<string, () => Promise<CloudBenchPlugin>> = {
  entra: async () => (await import('./cloud/entra.js')).entraBench,
  google: async () => (await import('./cloud/google.js')).googleBench,
  okta: async () => (await import('./cloud/okta.js')).oktaBench,
  onelogin: async () => (await import('./cloud/onelogin.js')).oneLoginBench,
};

const USAGE = `usage: npm run bench:cloud -- --provider <${Object.keys(PLUGINS).join('|')}> [--users N] [--groups N] [--keep]`;

interface CloudBenchOptions {
  provider: string;
  users: number;
  groups: number;
  keep: boolean;
}

function parse(argv: string[]): CloudBenchOptions | null {
  const options: CloudBenchOptions = { provider: '', users: 10_000, groups: 1000, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string | undefined => argv[++i];
    if (arg === '--help' || arg === '-h') return null;
    else if (arg === '--provider') options.provider = value() ?? '';
    else if (arg === '--users') options.users = positiveInt(value(), 'users', options.users);
    else if (arg === '--groups') options.groups = positiveInt(value(), 'groups', options.groups);
    else if (arg === '--keep') options.keep = true;
    else throw new Error(`unknown option ${String(arg)}`);
  }
  if (!(options.provider in PLUGINS)) throw new Error(`--provider must be one of ${Object.keys(PLUGINS).join(', ')}`);
  return options;
}

/** Figures of one sync. */
interface CloudRun {
  run: 'full' | 'unchanged';
  wallMs: number;
  peakRssMb: number | null;
  outcome: string;
  apiCalls: number;
  apiByRoute: Record<string, number>;
  bitwardenRequests: number;
  /** Time the read spent waiting on the directory's rate limits (the provider's `rateLimitWaitedMs` stat), when it reports one. */
  rateLimitWaitedMs: number | null;
}

function diff(after: Record<string, number>, before: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [route, n] of Object.entries(after)) if (n - (before[route] ?? 0) > 0) out[route] = n - (before[route] ?? 0);
  return out;
}

/** A stat of the run report `id` in `<dataDir>/reports/` (the sync's `--json` output names the report, not its stats). */
function reportStat(dataDir: string, id: string | undefined, stat: string): number | null {
  const dir = join(dataDir, 'reports');
  if (id === undefined || !existsSync(dir)) return null;
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const report = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { id?: string; stats?: Record<string, number> };
    if (report.id === id) return typeof report.stats?.[stat] === 'number' ? report.stats[stat] : null;
  }
  return null;
}

async function measure(run: CloudRun['run'], cli: DirconnCli, source: CloudBenchSource, fake: FakeTarget, dataDir: string): Promise<CloudRun> {
  const before = source.requestsByRoute();
  fake.mark();
  benchLog(`${run} sync…`);
  const result = await cli.run(['--json', 'sync'], { stdout: 'capture', sampleRssMs: 200 });
  const apiByRoute = diff(source.requestsByRoute(), before);
  const report = JSON.parse(result.stdout) as { outcome?: string; report?: string };
  const outcome = report.outcome ?? 'unknown';
  const sampled = result.rss.reduce((max, s) => Math.max(max, s.kb), 0);
  const peakKb = result.stats?.maxRssKb ?? (sampled > 0 ? sampled : null);
  return {
    run,
    wallMs: result.wallMs,
    peakRssMb: peakKb === null ? null : Math.round(peakKb / 1024),
    outcome,
    apiCalls: Object.values(apiByRoute).reduce((a, b) => a + b, 0),
    apiByRoute,
    bitwardenRequests: fake.countSinceMark().total,
    rateLimitWaitedMs: reportStat(dataDir, report.report, 'rateLimitWaitedMs'),
  };
}

async function main(): Promise<number> {
  let options: CloudBenchOptions | null;
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const cleanup = new Cleanup();
  cleanup.installSignalHandlers();
  try {
    const workDir = await tempDir(cleanup, `dirconn-bench-${options.provider}-`, options.keep);
    const plugin = await (PLUGINS[options.provider] as () => Promise<CloudBenchPlugin>)();
    const loadStarted = Date.now();
    const source = await plugin.start({ users: options.users, groups: options.groups, workDir }, cleanup);
    benchLog(`${plugin.name}: ${source.description} generated in ${secs(Date.now() - loadStarted)}`);
    const fake = await FakeTarget.start(cleanup, { selfHosted: true, fastReads: true });
    const dataDir = join(workDir, 'data');
    mkdirSync(dataDir, { recursive: true });
    const cli = new DirconnCli(dataDir, { DIRCONN_PLAINTEXT_SECRETS: 'true', DIRCONN_RESOURCE_STATS: '1', ...source.env }, cleanup);
    await cli.configure([['server', fake.fake.url], ...source.settings]);
    await cli.login(fake.fake.clientId, fake.fake.apiKey);
    const runs = [await measure('full', cli, source, fake, dataDir), await measure('unchanged', cli, source, fake, dataDir)];
    const per10k = (calls: number): string => (calls / (options.users / 10_000)).toFixed(0);
    const table = renderTable(
      ['run', 'outcome', 'wall', 'peak RSS', 'API calls', 'per 10k users', 'rate-limit wait', 'Bitwarden requests'],
      runs.map((r) => [r.run, r.outcome, secs(r.wallMs), r.peakRssMb === null ? '?' : `${r.peakRssMb} MB`, String(r.apiCalls), per10k(r.apiCalls), r.rateLimitWaitedMs === null ? '-' : secs(r.rateLimitWaitedMs), String(r.bitwardenRequests)]),
      new Set([2, 3, 4, 5, 6, 7]),
    );
    const routes = runs.map((r) => `${r.run}: ${Object.entries(r.apiByRoute).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    process.stdout.write(['', `cloud bench: ${plugin.name}, ${source.description}`, '', table, '', 'API calls by route:', ...routes.map((l) => `  ${l}`), '', `RESULT ${JSON.stringify({ provider: plugin.name, users: options.users, groups: options.groups, runs })}`, ''].join('\n'));
    return 0;
  } catch (error) {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    await cleanup.run();
  }
}

process.exitCode = await main();
