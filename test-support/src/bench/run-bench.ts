// The measured run against one directory target (see the module comment of ldap-bench.ts):
//
//   for each repetition:
//     floor   = ldapsearch of the same entries, paged like dirconn, to /dev/null (best of 3)
//     fake    = startFakeBitwarden (self-hosted: no 2000 cap), fresh data dir, config + login
//     initial = dirconn --json sync                 (everything is new: invites, groups, one import)
//     no-op   = dirconn --json sync                 (nothing changed: the hash matches, nothing posted)
//     delta   = change 1 % of users, dirconn sync   (--delta / --modify only)
//
// Every figure comes from outside the process under test, except the LDAP counters (the run report's
// `stats`) and the peak RSS / CPU line that apps/cli/bin/dirconn.js prints when
// DIRCONN_RESOURCE_STATS=1. The fake runs in this process, so this process's CPU time during a sync
// is (almost all) the fake's: reported as "fake CPU" to separate server cost from client cost.
//
// Test-only: lives in test-support, never shipped.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { checkTargets } from './bench-targets.js';
import type { BenchOptions, BenchResult, DirectoryTarget, RepetitionFigures, SyncFigures } from './bench.types.js';
import type { Cleanup } from './cleanup.js';
import { DirconnCli, type RunReportLike } from './dirconn-cli.js';
import { FakeTarget } from './fake-target.js';
import { measureFloor } from './floor.js';
import { httpText, secs } from './format.js';
import { median, round } from './numbers.js';
import { REPO_ROOT } from './paths.js';
import { phasesFromTrace } from './phases.js';
import { processCpuMs } from './process.js';
import { formatCpuSummary, formatHeapSummary, summarizeCpuProfile, summarizeHeapProfile } from './profiles.js';

const PLAN_CHANGE_KEYS = ['invites', 'links', 'removals', 'groupCreates', 'groupRenames', 'membershipAdds', 'membershipRemovals'];

function planChanges(summary: Record<string, number> | null): number {
  if (summary === null) return 0;
  return PLAN_CHANGE_KEYS.reduce((sum, key) => sum + (summary[key] ?? 0), 0);
}

function identityChanges(report: RunReportLike | null): number {
  return (report?.changes ?? []).filter((c) => c.kind === 'email-change' || c.kind === 'external-id-change').length;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function newestFile(dir: string, suffix: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => join(dir, f))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0];
}

async function measureSync(
  cli: DirconnCli,
  fake: FakeTarget,
  target: DirectoryTarget,
  options: BenchOptions,
  run: SyncFigures['run'],
  label: string,
): Promise<SyncFigures> {
  const profDir = join(options.workDir, 'profiles', label);
  const nodeOptions: string[] = options.nodeOptions.split(/\s+/).filter(Boolean);
  if (options.cpuProf) nodeOptions.push('--cpu-prof', `--cpu-prof-dir=${profDir}`);
  if (options.heapProf) nodeOptions.push('--heap-prof', `--heap-prof-dir=${profDir}`);
  const stdoutFile = join(options.workDir, `sync-${label}.json`);
  fake.mark();
  const cpuBefore = process.cpuUsage();
  const serverBefore = processCpuMs(target.serverPid);
  const result = await cli.run(options.plainOutput ? ['sync'] : ['--json', 'sync'], {
    env: { DIRCONN_RESOURCE_STATS: '1', ...(nodeOptions.length > 0 ? { NODE_OPTIONS: nodeOptions.join(' ') } : {}) },
    stdout: { file: stdoutFile },
    allowFailure: true,
    trace: options.trace,
    sampleRssMs: 50,
  });
  const cpu = process.cpuUsage(cpuBefore);
  const serverAfter = processCpuMs(target.serverPid);
  const http = fake.countSinceMark();
  const report = await cli.lastReport();
  if (result.code !== 0) {
    const why = report?.error ? `${report.error.code}: ${report.error.message}` : result.stderrTail.trim().slice(-2000);
    const hint = /HTTP 413/.test(why) && !options.largeImport ? ` (one import body is over the server's ${fake.fake.maxBodyBytes} byte limit: run with --large-import)` : '';
    throw new Error(`dirconn sync (${label}) exited with ${String(result.code ?? result.signal)}: ${why}${hint}`);
  }
  const stats = report?.stats ?? {};
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const figures: SyncFigures = {
    run,
    wallMs: result.wallMs,
    exitCode: result.code,
    outcome: report?.outcome ?? 'unknown',
    readMode: report?.readMode ?? null,
    peakRssMb: result.stats ? result.stats.maxRssKb / 1024 : null,
    cliCpuMs: result.stats ? result.stats.userCpuMs + result.stats.systemCpuMs : null,
    fakeCpuMs: (cpu.user + cpu.system) / 1000,
    ...(serverBefore !== undefined && serverAfter !== undefined ? { serverCpuMs: serverAfter - serverBefore } : {}),
    ldap: { searches: num(stats['searches']), pages: num(stats['pages']), entries: num(stats['entries']), readMs: num(stats['durationMs']) },
    http,
    requestsPosted: report?.requestsPosted ?? 0,
    planChanges: planChanges(report?.summary ?? null) + identityChanges(report),
    identityChanges: identityChanges(report),
    summary: report?.summary ?? null,
    stdoutBytes: fileSize(stdoutFile),
    warnings: (report?.warnings ?? []).map((w) => w.code),
  };
  if (options.trace) figures.phases = phasesFromTrace(result.trace, result.wallMs, figures.ldap.readMs, result.rss);
  if (options.cpuProf) {
    const path = newestFile(profDir, '.cpuprofile');
    if (path !== undefined) {
      figures.cpuProfilePath = path;
      figures.cpuProfile = summarizeCpuProfile(JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof summarizeCpuProfile>[0], REPO_ROOT);
    }
  }
  if (options.heapProf) {
    const path = newestFile(profDir, '.heapprofile');
    if (path !== undefined) {
      figures.heapProfilePath = path;
      figures.heapProfile = summarizeHeapProfile(JSON.parse(readFileSync(path, 'utf8')) as Parameters<typeof summarizeHeapProfile>[0], REPO_ROOT);
    }
  }
  return figures;
}

/** Everything after the directory is up: floor, fake, config, login, syncs — `repeat` times. */
export async function runBench(target: DirectoryTarget, options: BenchOptions, cleanup: Cleanup, log: (line: string) => void): Promise<BenchResult> {
  const loadStart = loadavg()[0] ?? 0;
  const repetitions: RepetitionFigures[] = [];
  for (let rep = 1; rep <= options.repeat; rep++) {
    const tag = options.repeat > 1 ? ` [${rep}/${options.repeat}]` : '';
    log(`floor: ldapsearch of ${target.floorSearches.map((s) => s.label).join(' + ')}, paged ${options.pageSize}${tag}…`);
    const floor = await measureFloor(target.ldapsearch, target.floorSearches, options.pageSize, { attempts: 3, ...(target.serverPid !== undefined ? { serverPid: target.serverPid } : {}), cleanup });
    log(`floor: ${secs(floor.wallMs)} s (attempts ${floor.attemptsMs.map((ms) => secs(ms)).join(', ')} s; ${Object.entries(floor.perSearchMs).map(([k, v]) => `${k} ${secs(v)} s`).join(', ')})`);

    const fake = await FakeTarget.start(cleanup, { selfHosted: options.selfHosted, fastReads: options.fastFake });
    const dataDir = join(options.workDir, `data-${rep}`);
    const cli = new DirconnCli(dataDir, { DIRCONN_PLAINTEXT_SECRETS: 'true', ...target.dirconnEnv }, cleanup);
    const settings: [string, string][] = [
      ['server', fake.fake.url],
      ...target.dirconnSettings,
      ...(options.largeImport ? ([['sync.largeImport', 'true']] as [string, string][]) : []),
    ];
    log(`dirconn: configuring ${dataDir} (${settings.length} settings) and logging in to the fake at ${fake.fake.url}…`);
    await cli.configure(settings);
    await cli.login(fake.fake.clientId, fake.fake.apiKey);
    fake.clear();

    const syncs: SyncFigures[] = [];
    const runOne = async (run: SyncFigures['run'], usersChanged?: number): Promise<void> => {
      log(`dirconn sync (${run})${tag}…`);
      const figures = await measureSync(cli, fake, target, options, run, `${rep}-${run}`);
      if (usersChanged !== undefined) figures.usersChanged = usersChanged;
      fake.clear();
      syncs.push(figures);
      log(
        `  ${figures.outcome}, ${secs(figures.wallMs)} s, peak RSS ${figures.peakRssMb?.toFixed(0) ?? '?'} MB, ` +
          `LDAP ${figures.ldap.searches ?? '?'} searches / ${figures.ldap.pages ?? '?'} pages, HTTP ${figures.http.total} (${httpText(figures.http)}), ${figures.planChanges} plan changes`,
      );
      if (figures.cpuProfile) log(formatCpuSummary(figures.cpuProfile, '    '));
      if (figures.heapProfile) log(formatHeapSummary(figures.heapProfile, '    '));
    };
    await runOne('initial');
    const organizationAfterInitial = fake.counts();
    await runOne('no-op');
    if (options.third !== 'none') {
      const changed = await target.modifyUsers(0.01, rep);
      log(`changed ${changed} user(s) (1 %) in the directory`);
      await runOne(options.third === 'delta' ? 'delta' : 'modified', changed);
    }
    repetitions.push({ rep, floor, syncs, organizationAfterInitial });
  }

  const floorMedian = median(repetitions.map((r) => r.floor.wallMs));
  const runs = repetitions[0]?.syncs.map((s) => s.run) ?? [];
  const medianSyncs = runs.map((run) => {
    const all = repetitions.flatMap((r) => r.syncs.filter((s) => s.run === run));
    const wallMs = median(all.map((s) => s.wallMs));
    const rss = all.map((s) => s.peakRssMb).filter((v): v is number => v !== null);
    const cpu = all.map((s) => s.cliCpuMs).filter((v): v is number => v !== null);
    return {
      run,
      wallMs,
      ratio: wallMs / floorMedian,
      peakRssMb: rss.length > 0 ? median(rss) : null,
      cliCpuMs: cpu.length > 0 ? median(cpu) : null,
      bitwardenRequests: median(all.map((s) => s.http.total)),
    };
  });
  const result: BenchResult = {
    target: target.name,
    users: target.users,
    groups: target.groups,
    pageSize: options.pageSize,
    loadMs: target.loadMs,
    repetitions,
    median: { floorMs: floorMedian, syncs: medianSyncs },
    targets: checkTargets(target.users, target.groups, floorMedian, medianSyncs),
    node: process.version,
    cpus: availableParallelism(),
    loadAvg: { start: round(loadStart), end: round(loadavg()[0] ?? 0) },
  };
  return result;
}
