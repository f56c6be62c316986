// Shared measurement for the sync benchmarks (not a test): runs the built CLI against a directory
// target and the in-process fake Bitwarden server, and reports wall time, peak memory, LDAP and
// HTTP counts against the floor set by ldapsearch on the same entries.
//
// A directory target (OpenLDAP in ldap-bench.ts; a Samba AD DC later) only has to say how to reach
// the directory, which searches the sync makes (for the ldapsearch floor), which `dirconn config`
// settings point at it, and how to change 1 % of its users; `runBench` does the rest:
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

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startFakeBitwarden } from '../fake-bitwarden/fake-bitwarden-server.js';
import type { FakeBitwarden } from '../fake-bitwarden/fake-bitwarden-server.js';
import { formatCpuSummary, formatHeapSummary, summarizeCpuProfile, summarizeHeapProfile } from './profiles.js';
import type { CpuProfileSummary, HeapProfileSummary } from './profiles.js';

// -------------------------------------------------------------------------------------------------
// Paths

/** Repository root (test-support/dist/bench/measure.js → ../../..). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The CLI entry the bench runs (the installed `dirconn` bin). */
export const DIRCONN_BIN = join(REPO_ROOT, 'apps', 'cli', 'bin', 'dirconn.js');

/** Node.js 22+ to run the CLI with: this process's node when it is 22+, else the node@22 devDependency. */
export function nodeForCli(): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return process.execPath;
  const local = join(REPO_ROOT, 'node_modules', '.bin', 'node');
  if (existsSync(local)) return local;
  throw new Error(`the CLI needs Node.js 22+ (this is ${process.version}); run the bench through "npm run bench"`);
}

// -------------------------------------------------------------------------------------------------
// Cleanup

/**
 * Cleanup actions run once, newest first, on normal end, on error and on SIGINT/SIGTERM. Child
 * processes registered with `track` are killed first.
 */
export class Cleanup {
  readonly #actions: { name: string; fn: () => Promise<void> | void }[] = [];
  readonly #children = new Set<ChildProcess>();
  #ran = false;
  #signalsInstalled = false;

  /** Registers an action; returns a function that runs it now (and unregisters it). */
  add(name: string, fn: () => Promise<void> | void): () => Promise<void> {
    const entry = { name, fn };
    this.#actions.push(entry);
    return async () => {
      const i = this.#actions.indexOf(entry);
      if (i < 0) return;
      this.#actions.splice(i, 1);
      await fn();
    };
  }

  /** True once cleanup has started: no new work should begin. */
  get started(): boolean {
    return this.#ran;
  }

  /** Kills this child (SIGKILL) if it is still running when cleanup runs (at once if it already ran). */
  track(child: ChildProcess): void {
    if (this.#ran) {
      child.kill('SIGKILL');
      return;
    }
    this.#children.add(child);
    child.once('close', () => this.#children.delete(child));
  }

  /** Runs every action (errors are printed, not thrown). */
  async run(): Promise<void> {
    if (this.#ran) return;
    this.#ran = true;
    for (const child of this.#children) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    while (this.#actions.length > 0) {
      const { name, fn } = this.#actions.pop() as { name: string; fn: () => Promise<void> | void };
      try {
        await fn();
      } catch (error) {
        process.stderr.write(`bench: cleanup "${name}" failed: ${error instanceof Error ? error.message : String(error)}\n`);
      }
    }
  }

  /** On SIGINT/SIGTERM: clean up, then exit 130 / 143. */
  installSignalHandlers(): void {
    if (this.#signalsInstalled) return;
    this.#signalsInstalled = true;
    const onSignal = (signal: NodeJS.Signals, code: number): void => {
      process.stderr.write(`\nbench: ${signal}, cleaning up…\n`);
      void this.run().finally(() => process.exit(code));
    };
    process.once('SIGINT', () => onSignal('SIGINT', 130));
    process.once('SIGTERM', () => onSignal('SIGTERM', 143));
  }
}

/** A temp dir removed by cleanup unless `keep`. */
export async function tempDir(cleanup: Cleanup, prefix: string, keep: boolean): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  if (!keep) cleanup.add(`rm ${dir}`, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

// -------------------------------------------------------------------------------------------------
// Processes

/** Result of one timed child process. */
export interface TimedRun {
  /** Exit code (null when killed by a signal). */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Spawn to close, milliseconds. */
  wallMs: number;
  /** Captured stdout (empty unless `stdout: 'capture'`). */
  stdout: string;
  /** Last 64 KiB of stderr. */
  stderrTail: string;
  /** Resident set size samples (with `sampleRssMs`; Linux /proc), oldest first. */
  rss: RssSample[];
}

/** One RSS sample of a child process. */
export interface RssSample {
  /** ms since spawn. */
  atMs: number;
  kb: number;
}

/** Options of {@link runTimed}. */
export interface RunTimedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** `ignore` (/dev/null, default), `capture` (in memory), or a file path. */
  stdout?: 'ignore' | 'capture' | { file: string };
  /** Called with every complete stderr line. */
  onStderrLine?: (line: string) => void;
  /** Sample the child's RSS from /proc every this many ms (Linux). */
  sampleRssMs?: number;
  cleanup?: Cleanup;
}

/** VmRSS of a process in kB (Linux), or undefined. */
export function processRssKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const STDERR_TAIL = 64 * 1024;

/** Runs a command and measures its wall time (spawn → all output closed). Never throws for a non-zero exit. */
export function runTimed(cmd: string, args: string[], options: RunTimedOptions = {}): Promise<TimedRun> {
  return new Promise((resolvePromise, reject) => {
    if (options.cleanup?.started) {
      reject(new Error(`not starting ${cmd}: the bench is cleaning up`));
      return;
    }
    const stdoutMode = options.stdout ?? 'ignore';
    let fd: number | undefined;
    if (typeof stdoutMode === 'object') fd = openSync(stdoutMode.file, 'w', 0o600);
    const started = performance.now();
    let child: ChildProcess;
    try {
      child = spawn(cmd, args, {
        env: options.env ?? process.env,
        cwd: options.cwd ?? REPO_ROOT,
        stdio: ['ignore', fd ?? (stdoutMode === 'capture' ? 'pipe' : 'ignore'), 'pipe'],
      });
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    if (fd !== undefined) closeSync(fd); // the child has its own copy
    options.cleanup?.track(child);
    const out: Buffer[] = [];
    const rss: RssSample[] = [];
    const sampler =
      options.sampleRssMs !== undefined
        ? setInterval(() => {
            const kb = processRssKb(child.pid);
            if (kb !== undefined) rss.push({ atMs: performance.now() - started, kb });
          }, options.sampleRssMs)
        : undefined;
    let tail = '';
    let partial = '';
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      tail = (tail + text).slice(-STDERR_TAIL);
      if (options.onStderrLine) {
        const lines = (partial + text).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) options.onStderrLine(line);
      }
    });
    child.on('error', (error) => {
      clearInterval(sampler);
      reject(error);
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      clearInterval(sampler);
      if (partial && options.onStderrLine) options.onStderrLine(partial);
      resolvePromise({ code, signal, wallMs, stdout: Buffer.concat(out).toString('utf8'), stderrTail: tail, rss });
    });
  });
}

/** User + system CPU time of a running process from /proc (Linux), ms; undefined elsewhere or when gone. */
export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain blanks) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14, 15)
    return Number.isFinite(ticks) ? ticks * 10 : undefined; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

// -------------------------------------------------------------------------------------------------
// The ldapsearch floor

/** One search the sync makes, for the ldapsearch floor. */
export interface FloorSearch {
  /** `users`, `groups`, … */
  label: string;
  base: string;
  scope: 'base' | 'one' | 'sub';
  filter: string;
  attributes: string[];
}

/** How ldapsearch reaches the directory. */
export interface LdapsearchAccess {
  /** `ldap://127.0.0.1:389`, `ldaps://…` */
  url: string;
  bindDn: string;
  /** File holding exactly the password (no newline): `-y`. */
  passwordFile: string;
  /** Extra arguments before the filter, e.g. `['-ZZ']` for StartTLS. */
  extraArgs?: string[];
  /** Extra environment, e.g. `LDAPTLS_CACERT`. LDAPNOINIT=1 is always set. */
  env?: Record<string, string>;
}

/** The floor: every search once, sequentially (as the sync does them), output to /dev/null. */
export interface FloorMeasurement {
  /** Best total of the attempts, ms. */
  wallMs: number;
  /** Every attempt's total, ms. */
  attemptsMs: number[];
  /** Per search, in the best attempt, ms. */
  perSearchMs: Record<string, number>;
  /** Directory server CPU during the best attempt, ms (when known). */
  serverCpuMs?: number;
  /** The command lines run (password file path only, never the password). */
  commands: string[];
}

/** ldapsearch command line for one search (paged with `-E pr=<pageSize>/noprompt`). */
export function ldapsearchArgs(access: LdapsearchAccess, search: FloorSearch, pageSize: number): string[] {
  return [
    '-x',
    '-H', access.url,
    '-D', access.bindDn,
    '-y', access.passwordFile,
    '-LLL',
    '-o', 'ldif-wrap=no',
    '-b', search.base,
    '-s', search.scope,
    '-E', `pr=${pageSize}/noprompt`,
    ...(access.extraArgs ?? []),
    search.filter,
    ...search.attributes,
  ];
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Runs the floor searches `attempts` times (default 3) and keeps the fastest total (warm caches, least noise). */
export async function measureFloor(
  access: LdapsearchAccess,
  searches: FloorSearch[],
  pageSize: number,
  options: { attempts?: number; serverPid?: number; cleanup?: Cleanup } = {},
): Promise<FloorMeasurement> {
  const env = { ...process.env, LDAPNOINIT: '1', ...(access.env ?? {}) };
  const attemptsMs: number[] = [];
  let best: { total: number; per: Record<string, number>; cpu: number | undefined } | undefined;
  const commands = searches.map((s) => ['ldapsearch', ...ldapsearchArgs(access, s, pageSize)].map(shellQuote).join(' ') + ' > /dev/null');
  for (let attempt = 0; attempt < (options.attempts ?? 3); attempt++) {
    const per: Record<string, number> = {};
    let total = 0;
    const cpuBefore = processCpuMs(options.serverPid);
    for (const search of searches) {
      const result = await runTimed('ldapsearch', ldapsearchArgs(access, search, pageSize), { env, stdout: 'ignore', ...(options.cleanup ? { cleanup: options.cleanup } : {}) });
      if (result.code !== 0) throw new Error(`ldapsearch (${search.label}) failed with exit code ${String(result.code)}: ${result.stderrTail.trim()}`);
      per[search.label] = result.wallMs;
      total += result.wallMs;
    }
    const cpuAfter = processCpuMs(options.serverPid);
    attemptsMs.push(total);
    if (best === undefined || total < best.total) {
      best = { total, per, cpu: cpuBefore !== undefined && cpuAfter !== undefined ? cpuAfter - cpuBefore : undefined };
    }
  }
  if (best === undefined) throw new Error('no floor attempt');
  return { wallMs: best.total, attemptsMs, perSearchMs: best.per, ...(best.cpu !== undefined ? { serverCpuMs: best.cpu } : {}), commands };
}

// -------------------------------------------------------------------------------------------------
// The CLI

/** The `dirconn-stats` line of apps/cli/bin/dirconn.js (DIRCONN_RESOURCE_STATS=1). */
export interface ResourceStats {
  maxRssKb: number;
  userCpuMs: number;
  systemCpuMs: number;
}

/** One timestamped debug line of the CLI (`--trace`: DIRCONN_DEBUG=true). */
export interface TraceEvent {
  /** ms since the process was spawned. */
  atMs: number;
  level: string;
  message: string;
  fields?: Record<string, unknown>;
}

/** A CLI run. */
export interface CliRun extends TimedRun {
  stats?: ResourceStats;
  trace: TraceEvent[];
}

const TRACE_LINE = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (DEBUG|INFO|WARN|ERROR) (.*?)(?: (\{.*\}))?$/;

/** Runs the built CLI in one data directory, with the bench's environment. */
export class DirconnCli {
  readonly node = nodeForCli();

  constructor(
    readonly dataDir: string,
    /** Extra environment for every run (secrets at run time). */
    readonly env: Record<string, string>,
    readonly cleanup?: Cleanup,
  ) {}

  /** The environment of a run: ours minus any dirconn/Bitwarden settings of the caller, plus the bench's. */
  environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const base: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(process.env)) {
      if (/^(DIRCONN_|BW_|NODE_OPTIONS$|HTTPS?_PROXY$|https?_proxy$)/.test(k)) continue;
      base[k] = v;
    }
    return { ...base, NO_COLOR: '1', DIRCONN_DATA_DIR: this.dataDir, ...this.env, ...extra };
  }

  /** Runs `dirconn <args>`; throws when it exits non-zero unless `allowFailure`. */
  async run(
    args: string[],
    options: { env?: Record<string, string>; stdout?: 'ignore' | 'capture' | { file: string }; allowFailure?: boolean; trace?: boolean; sampleRssMs?: number } = {},
  ): Promise<CliRun> {
    let stats: ResourceStats | undefined;
    const trace: TraceEvent[] = [];
    const spawnedAt = Date.now();
    const result = await runTimed(this.node, [DIRCONN_BIN, ...args], {
      env: this.environment({ ...(options.env ?? {}), ...(options.trace ? { DIRCONN_DEBUG: 'true' } : {}) }),
      stdout: options.stdout ?? 'capture',
      ...(this.cleanup ? { cleanup: this.cleanup } : {}),
      ...(options.sampleRssMs !== undefined ? { sampleRssMs: options.sampleRssMs } : {}),
      onStderrLine: (line) => {
        if (line.startsWith('dirconn-stats ')) {
          try {
            stats = JSON.parse(line.slice('dirconn-stats '.length)) as ResourceStats;
          } catch {
            // a truncated line: leave stats unset
          }
          return;
        }
        if (!options.trace) return;
        const m = TRACE_LINE.exec(line);
        if (m === null) return;
        let fields: Record<string, unknown> | undefined;
        if (m[4] !== undefined) {
          try {
            fields = JSON.parse(m[4]) as Record<string, unknown>;
          } catch {
            fields = undefined;
          }
        }
        trace.push({ atMs: Date.parse(m[1] as string) - spawnedAt, level: m[2] as string, message: m[3] as string, ...(fields ? { fields } : {}) });
      },
    });
    if (result.code !== 0 && !options.allowFailure) {
      throw new Error(`dirconn ${args.join(' ')} failed (exit ${String(result.code ?? result.signal)}): ${result.stderrTail.trim().slice(-4000)}`);
    }
    return { ...result, ...(stats ? { stats } : {}), trace };
  }

  /** `dirconn config --no-verify <key> <value>` for each setting, in order. */
  async configure(settings: [string, string][]): Promise<void> {
    for (const [key, value] of settings) await this.run(['config', '--no-verify', key, value], { stdout: 'ignore' });
  }

  /** `dirconn login` with the client id and secret from the environment. */
  async login(clientId: string, clientSecret: string): Promise<void> {
    await this.run(['login'], { env: { BW_CLIENTID: clientId, BW_CLIENTSECRET: clientSecret }, stdout: 'ignore' });
  }

  /** `dirconn --json report --last` → the last run report. */
  async lastReport(): Promise<RunReportLike | null> {
    const r = await this.run(['--json', 'report', '--last']);
    return JSON.parse(r.stdout) as RunReportLike | null;
  }
}

/** The parts of a run report (libs/core RunReport) the bench reads. */
export interface RunReportLike {
  id: string;
  outcome: string;
  durationMs: number;
  readMode: string | null;
  orgView: string | null;
  requestsPosted: number;
  summary: Record<string, number> | null;
  stats: Record<string, number>;
  /** Every removal and identity change, and up to 1000 other changes. */
  changes: { kind: string }[];
  warnings: { code: string; message: string }[];
  error: { code: string; message: string } | null;
}

// -------------------------------------------------------------------------------------------------
// The fake Bitwarden server

/** Options for the fake. */
export interface FakeTargetOptions {
  /** Self-hosted server: no 2000-member limit per import. Default true. */
  selfHosted?: boolean;
  /**
   * Memoise the fake's `membersOf`/`groupsOf` while it answers read requests. The fake's read
   * endpoints filter every member of the state on each request (O(members) per
   * `GET /public/groups/{id}/member-ids`), which makes the fake, not dirconn, the bottleneck of a
   * live-organization read at 100k members. The memo is dropped as soon as any other request
   * (token, import) arrives, so answers stay exact. Default false.
   */
  fastReads?: boolean;
}

const READ_ROUTES = new Set(['members', 'member', 'member-group-ids', 'groups', 'group', 'group-member-ids', 'events', 'subscription']);

/** See FakeTargetOptions.fastReads. Patches this fake instance only. */
function memoiseFakeReads(fake: FakeBitwarden): void {
  const state = fake.state;
  const membersOf = state.membersOf.bind(state);
  const groupsOf = state.groupsOf.bind(state);
  const take = fake.faults.take.bind(fake.faults);
  let reading = false;
  const members = new Map<string, ReturnType<typeof membersOf>>();
  const groups = new Map<string, ReturnType<typeof groupsOf>>();
  // Every request passes through faults.take(route, method) right before it is handled synchronously.
  fake.faults.take = (route, method) => {
    reading = READ_ROUTES.has(route) && method.toUpperCase() === 'GET';
    if (!reading) {
      members.clear();
      groups.clear();
    }
    return take(route, method);
  };
  state.membersOf = (orgId) => {
    if (!reading) return membersOf(orgId);
    let list = members.get(orgId);
    if (list === undefined) members.set(orgId, (list = membersOf(orgId)));
    return list;
  };
  state.groupsOf = (orgId) => {
    if (!reading) return groupsOf(orgId);
    let list = groups.get(orgId);
    if (list === undefined) groups.set(orgId, (list = groupsOf(orgId)));
    return list;
  };
}

/** The fake Bitwarden server in this process, with request counting. */
export class FakeTarget {
  #mark = 0;

  private constructor(readonly fake: FakeBitwarden) {}

  static async start(cleanup: Cleanup, options: FakeTargetOptions = {}): Promise<FakeTarget> {
    const fake = await startFakeBitwarden({ selfHosted: options.selfHosted ?? true });
    cleanup.add('close the fake Bitwarden server', () => fake.close());
    if (options.fastReads) memoiseFakeReads(fake);
    return new FakeTarget(fake);
  }

  /** Starts counting requests from now. */
  mark(): void {
    this.#mark = this.fake.requests().length;
  }

  /** Requests since `mark()`, by route (`token`, `import`, `members`, `groups`, `group-member-ids` …). */
  countSinceMark(): HttpCounts {
    const byRoute: Record<string, number> = {};
    let failed = 0;
    let importBytes = 0;
    const log = this.fake.requests();
    for (let i = this.#mark; i < log.length; i++) {
      const entry = log[i];
      if (entry === undefined) continue;
      byRoute[entry.route] = (byRoute[entry.route] ?? 0) + 1;
      if (entry.status < 200 || entry.status >= 300) failed++;
      if (entry.route === 'import') importBytes += entry.bytes;
    }
    const token = byRoute['token'] ?? 0;
    const imports = byRoute['import'] ?? 0;
    const total = log.length - this.#mark;
    return { total, token, import: imports, reads: total - token - imports, failed, importBytes, byRoute };
  }

  /** Forgets the request log (it holds request bodies). */
  clear(): void {
    this.fake.clearRequests();
    this.#mark = 0;
  }

  /** Members and groups now in the default organization. */
  counts(): { members: number; groups: number } {
    return { members: this.fake.members().length, groups: this.fake.groups().length };
  }
}

/** HTTP requests of one run. */
export interface HttpCounts {
  total: number;
  token: number;
  import: number;
  /** Everything else (GET members, groups, group member ids …). */
  reads: number;
  /** Answers other than 2xx. */
  failed: number;
  /** Bytes of import bodies. */
  importBytes: number;
  byRoute: Record<string, number>;
}

// -------------------------------------------------------------------------------------------------
// Directory targets and the bench

/** What `runBench` needs from a directory (OpenLDAP, Samba AD DC …). */
export interface DirectoryTarget {
  /** Short name for the output, e.g. `openldap`, `samba-ad`. */
  name: string;
  users: number;
  groups: number;
  /** Time to generate + load the directory, ms (printed; not part of any ratio). */
  loadMs: number;
  /** For the floor. */
  ldapsearch: LdapsearchAccess;
  /** The searches a full sync makes, in order. */
  floorSearches: FloorSearch[];
  /** `dirconn config` settings (besides `server`), in order. */
  dirconnSettings: [string, string][];
  /** Environment for every dirconn run (e.g. DIRCONN_LDAP_PASSWORD). */
  dirconnEnv: Record<string, string>;
  /** Process id of the directory server (its CPU time is read from /proc), if local. */
  serverPid?: number;
  /** Changes `fraction` of the users (repetition `rep`, 1-based); returns how many were changed. */
  modifyUsers(fraction: number, rep: number): Promise<number>;
}

/** Options common to every bench. */
export interface BenchOptions {
  pageSize: number;
  repeat: number;
  keep: boolean;
  /** Third sync after changing 1 % of users: with the delta read (`delta`) or a full read (`full`). */
  third: 'none' | 'delta' | 'full';
  /** Import in batches of 2000 (sync.largeImport). */
  largeImport: boolean;
  /** Self-hosted fake (no 2000 cap). Default true; false needs largeImport above 2000 users. */
  selfHosted: boolean;
  /** FakeTargetOptions.fastReads. */
  fastFake: boolean;
  /** `dirconn sync` (human output) instead of `dirconn --json sync` (which prints the outcome, summary, safety checks and removals). */
  plainOutput: boolean;
  /** Extra NODE_OPTIONS for the sync runs (e.g. `--max-old-space-size=300`). */
  nodeOptions: string;
  /** Write V8 CPU profiles of the sync runs (NODE_OPTIONS=--cpu-prof) and summarise them. */
  cpuProf: boolean;
  /** Write V8 heap profiles of the sync runs (NODE_OPTIONS=--heap-prof). */
  heapProf: boolean;
  /** DIRCONN_DEBUG=true and a phase timeline from the timestamped debug lines. */
  trace: boolean;
  /** Where the data dirs, sync output and profiles go. */
  workDir: string;
}

/** One segment of a sync's timeline (`--trace`), from the CLI's timestamped debug lines; ms since spawn. */
export interface Phase {
  name: string;
  startMs: number;
  endMs: number;
  /** Highest sampled RSS in the segment, MB (null when no sample fell in it). */
  peakRssMb: number | null;
}

/** Figures of one sync run. */
export interface SyncFigures {
  run: 'initial' | 'no-op' | 'delta' | 'modified';
  wallMs: number;
  exitCode: number | null;
  outcome: string;
  readMode: string | null;
  peakRssMb: number | null;
  cliCpuMs: number | null;
  /** This process's CPU during the run: the in-process fake server (plus the bench's own idle loop). */
  fakeCpuMs: number;
  /** Directory server CPU during the run, ms (when known). */
  serverCpuMs?: number;
  ldap: { searches: number | null; pages: number | null; entries: number | null; readMs: number | null };
  http: HttpCounts;
  requestsPosted: number;
  /** Invites + links + removals + group creates/renames + membership adds/removals + identity (email, externalId) changes. */
  planChanges: number;
  /** Identity changes (email-change, external-id-change): all of them are in the report. */
  identityChanges: number;
  summary: Record<string, number> | null;
  /** Bytes of the sync's stdout (`dirconn --json sync`: outcome, summary, safety, removals). */
  stdoutBytes: number;
  usersChanged?: number;
  phases?: Phase[];
  cpuProfile?: CpuProfileSummary;
  cpuProfilePath?: string;
  heapProfilePath?: string;
  heapProfile?: HeapProfileSummary;
  warnings: string[];
}

/** One repetition: the floor and the syncs. */
export interface RepetitionFigures {
  rep: number;
  floor: FloorMeasurement;
  syncs: SyncFigures[];
  /** Members and groups in the fake organization after the initial sync. */
  organizationAfterInitial: { members: number; groups: number };
}

/** The whole result (the JSON line). */
export interface BenchResult {
  target: string;
  users: number;
  groups: number;
  pageSize: number;
  loadMs: number;
  repetitions: RepetitionFigures[];
  /** Medians over the repetitions, per sync run. */
  median: { floorMs: number; syncs: { run: string; wallMs: number; ratio: number; peakRssMb: number | null }[] };
  targets: TargetCheck;
  node: string;
  cpus: number;
  /** 1-minute load average when the bench started and ended (other work on the machine skews wall times). */
  loadAvg: { start: number; end: number };
}

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

/**
 * The timeline of a sync from its debug lines: the provider's "ldap read finished" (with the read's
 * own duration) and the Bitwarden client's "bitwarden: response" lines (route, ms). Segments:
 * startup → LDAP read → token + live-organization read → plan → import → finish (state, report,
 * JSON output, exit). Without an import, plan and finish are one segment.
 */
export function phasesFromTrace(trace: TraceEvent[], wallMs: number, ldapReadMs: number | null, rss: RssSample[]): Phase[] {
  if (trace.length === 0) return [];
  const readDone = trace.find((e) => e.message === 'ldap read finished');
  const responses = trace.filter((e) => e.message === 'bitwarden: response');
  const routeOf = (e: TraceEvent): string => {
    const route = e.fields?.['route'];
    return typeof route === 'string' ? route : '';
  };
  const msOf = (e: TraceEvent): number => {
    const ms = e.fields?.['ms'];
    return typeof ms === 'number' ? ms : 0;
  };
  const imports = responses.filter((e) => routeOf(e).includes('/import'));
  const beforeImport = responses.filter((e) => !routeOf(e).includes('/import'));
  const firstImport = imports[0];
  const lastImport = imports[imports.length - 1];
  const lastRead = beforeImport[beforeImport.length - 1];
  const ldapEnd = readDone?.atMs;
  const ldapStart = ldapEnd !== undefined && ldapReadMs !== null ? ldapEnd - ldapReadMs : undefined;
  const points: { name: string; end: number | undefined }[] = [
    { name: 'startup', end: ldapStart },
    { name: 'LDAP read', end: ldapEnd },
    { name: 'token + org read', end: lastRead?.atMs },
    ...(firstImport !== undefined && lastImport !== undefined
      ? [
          { name: 'plan', end: firstImport.atMs - msOf(firstImport) },
          { name: 'import', end: lastImport.atMs },
          { name: 'finish (state, report, output)', end: wallMs },
        ]
      : [{ name: 'plan + finish (state, report, output)', end: wallMs }]),
  ];
  const phases: Phase[] = [];
  let start = 0;
  for (const point of points) {
    if (point.end === undefined) continue;
    const end = Math.max(start, point.end);
    const inside = rss.filter((r) => r.atMs >= start && r.atMs <= end).map((r) => r.kb);
    phases.push({ name: point.name, startMs: start, endMs: end, peakRssMb: inside.length > 0 ? Math.max(...inside) / 1024 : null });
    start = end;
  }
  return phases;
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
    return { run, wallMs, ratio: wallMs / floorMedian, peakRssMb: rss.length > 0 ? median(rss) : null };
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

// -------------------------------------------------------------------------------------------------
// Targets and output

/** The goal: 100k users / 10k groups synced in < 3× the ldapsearch time with < 400 MB peak RSS. */
export const TARGETS = { users: 100_000, groups: 10_000, maxRatio: 3, maxPeakRssMb: 400 } as const;

/** Target check of the full-read syncs (initial and no-op). */
export interface TargetCheck {
  /** True when this run has the target's size (or more). */
  atTargetSize: boolean;
  runs: { run: string; ratio: number; ratioOk: boolean; peakRssMb: number | null; rssOk: boolean }[];
  met: boolean;
}

function checkTargets(users: number, groups: number, floorMs: number, syncs: { run: string; wallMs: number; peakRssMb: number | null }[]): TargetCheck {
  const runs = syncs
    .filter((s) => s.run === 'initial' || s.run === 'no-op')
    .map((s) => {
      const ratio = s.wallMs / floorMs;
      return { run: s.run, ratio, ratioOk: ratio < TARGETS.maxRatio, peakRssMb: s.peakRssMb, rssOk: s.peakRssMb !== null && s.peakRssMb < TARGETS.maxPeakRssMb };
    });
  return { atTargetSize: users >= TARGETS.users && groups >= TARGETS.groups, runs, met: runs.every((r) => r.ratioOk && r.rssOk) };
}

/** Seconds with 2 decimals. */
export function secs(ms: number): string {
  return (ms / 1000).toFixed(2);
}

/** Median of a non-empty list. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function httpText(h: HttpCounts): string {
  return `${h.token}/${h.import}/${h.reads}`;
}

/** The results table (one row per sync run and repetition, plus medians when repeated). */
export function formatTable(result: BenchResult): string {
  const head = ['users', 'groups', 'run', 'floor s', 'sync s', 'ratio', 'peak RSS MB', 'LDAP searches', 'LDAP pages', 'HTTP tok/imp/read', 'plan changes', 'outcome'];
  const rows: string[][] = [];
  for (const rep of result.repetitions) {
    for (const s of rep.syncs) {
      rows.push([
        String(result.users),
        String(result.groups),
        result.repetitions.length > 1 ? `${s.run} #${rep.rep}` : s.run,
        secs(rep.floor.wallMs),
        secs(s.wallMs),
        (s.wallMs / rep.floor.wallMs).toFixed(2),
        s.peakRssMb === null ? '?' : s.peakRssMb.toFixed(0),
        String(s.ldap.searches ?? '?'),
        String(s.ldap.pages ?? '?'),
        httpText(s.http),
        String(s.planChanges),
        `${s.outcome}${s.readMode ? ` (${s.readMode})` : ''}`,
      ]);
    }
  }
  if (result.repetitions.length > 1) {
    for (const s of result.median.syncs) {
      rows.push([String(result.users), String(result.groups), `${s.run} median`, secs(result.median.floorMs), secs(s.wallMs), s.ratio.toFixed(2), s.peakRssMb?.toFixed(0) ?? '?', '', '', '', '', '']);
    }
  }
  return renderTable(head, rows, new Set([0, 1, 3, 4, 5, 6, 7, 8, 9, 10]));
}

/** Per-run detail: CPU split, phases (with --trace), request routes. */
export function formatDetails(result: BenchResult): string {
  const lines: string[] = [];
  for (const rep of result.repetitions) {
    for (const s of rep.syncs) {
      const tag = result.repetitions.length > 1 ? ` #${rep.rep}` : '';
      const parts = [
        `cli CPU ${s.cliCpuMs === null ? '?' : secs(s.cliCpuMs)} s`,
        `fake CPU ${secs(s.fakeCpuMs)} s`,
        ...(s.serverCpuMs !== undefined ? [`slapd CPU ${secs(s.serverCpuMs)} s`] : []),
        `LDAP read ${s.ldap.readMs === null ? '?' : secs(s.ldap.readMs)} s (${s.ldap.entries ?? '?'} entries)`,
        `import ${(s.http.importBytes / 1e6).toFixed(1)} MB`,
        `stdout ${(s.stdoutBytes / 1e6).toFixed(1)} MB`,
      ];
      lines.push(`${s.run}${tag}: ${parts.join(', ')}`);
      lines.push(`  HTTP by route: ${Object.entries(s.http.byRoute).map(([k, v]) => `${k} ${v}`).join(', ')}${s.http.failed ? ` (${s.http.failed} non-2xx)` : ''}`);
      if (s.phases && s.phases.length > 0) {
        lines.push(`  phases (s, peak RSS in the phase): ${s.phases.map((p) => `${p.name} ${secs(p.endMs - p.startMs)}${p.peakRssMb === null ? '' : ` (${p.peakRssMb.toFixed(0)} MB)`}`).join(', ')}`);
      }
      if (s.warnings.length > 0) lines.push(`  warnings: ${s.warnings.join(', ')}`);
      if (s.cpuProfilePath) lines.push(`  cpu profile: ${s.cpuProfilePath}`);
      if (s.heapProfilePath) lines.push(`  heap profile: ${s.heapProfilePath}`);
    }
    lines.push(`floor #${rep.rep}: ${rep.floor.commands.join(' ; ')}${rep.floor.serverCpuMs !== undefined ? ` (slapd CPU ${secs(rep.floor.serverCpuMs)} s)` : ''}`);
  }
  return lines.join('\n');
}

/** The target verdict lines. */
export function formatTargets(result: BenchResult): string {
  const t = result.targets;
  const mark = (ok: boolean): string => (ok ? 'met' : 'MISSED');
  const head = `Targets (${TARGETS.users / 1000}k users / ${TARGETS.groups / 1000}k groups: sync < ${TARGETS.maxRatio}x ldapsearch, peak RSS < ${TARGETS.maxPeakRssMb} MB)`;
  const scope = t.atTargetSize ? '' : ` [this run: ${result.users} users / ${result.groups} groups, below the target size: indicative only]`;
  const runs = t.runs.map(
    (r) => `  ${r.run}: ratio ${r.ratio.toFixed(2)} (${mark(r.ratioOk)}), peak RSS ${r.peakRssMb === null ? '?' : r.peakRssMb.toFixed(0)} MB (${mark(r.rssOk)})`,
  );
  return [`${head}${scope}: ${t.met ? 'MET' : 'NOT MET'}`, ...runs].join('\n');
}

/** The JSON line for notes and scripts: `bench-result {...}` with the main figures. */
export function resultJsonLine(result: BenchResult): string {
  const compact = {
    target: result.target,
    users: result.users,
    groups: result.groups,
    pageSize: result.pageSize,
    loadS: round(result.loadMs / 1000),
    node: result.node,
    cpus: result.cpus,
    loadAvg: result.loadAvg,
    repetitions: result.repetitions.map((rep) => ({
      rep: rep.rep,
      floorS: round(rep.floor.wallMs / 1000),
      floorPerSearchS: Object.fromEntries(Object.entries(rep.floor.perSearchMs).map(([k, v]) => [k, round(v / 1000)])),
      organizationAfterInitial: rep.organizationAfterInitial,
      syncs: rep.syncs.map((s) => ({
        run: s.run,
        outcome: s.outcome,
        readMode: s.readMode,
        wallS: round(s.wallMs / 1000),
        ratio: round(s.wallMs / rep.floor.wallMs),
        peakRssMb: s.peakRssMb === null ? null : Math.round(s.peakRssMb),
        cliCpuS: s.cliCpuMs === null ? null : round(s.cliCpuMs / 1000),
        fakeCpuS: round(s.fakeCpuMs / 1000),
        ...(s.serverCpuMs !== undefined ? { slapdCpuS: round(s.serverCpuMs / 1000) } : {}),
        ldapSearches: s.ldap.searches,
        ldapPages: s.ldap.pages,
        ldapEntries: s.ldap.entries,
        ldapReadS: s.ldap.readMs === null ? null : round(s.ldap.readMs / 1000),
        http: { total: s.http.total, token: s.http.token, import: s.http.import, reads: s.http.reads, failed: s.http.failed, byRoute: s.http.byRoute },
        importMb: round(s.http.importBytes / 1e6),
        requestsPosted: s.requestsPosted,
        planChanges: s.planChanges,
        identityChanges: s.identityChanges,
        stdoutMb: round(s.stdoutBytes / 1e6),
        ...(s.usersChanged !== undefined ? { usersChanged: s.usersChanged } : {}),
        ...(s.phases ? { phases: s.phases.map((p) => ({ name: p.name, s: round((p.endMs - p.startMs) / 1000), peakRssMb: p.peakRssMb === null ? null : Math.round(p.peakRssMb) })) } : {}),
        ...(s.cpuProfile ? { cpuProfile: s.cpuProfile.byCategory } : {}),
      })),
    })),
    median: { floorS: round(result.median.floorMs / 1000), syncs: result.median.syncs.map((s) => ({ run: s.run, wallS: round(s.wallMs / 1000), ratio: round(s.ratio), peakRssMb: s.peakRssMb === null ? null : Math.round(s.peakRssMb) })) },
    targets: result.targets,
  };
  return `bench-result ${JSON.stringify(compact)}`;
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

/** A plain-text table; columns in `right` are right-aligned. */
export function renderTable(head: string[], rows: string[][], right: Set<number> = new Set()): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join(' | ')
      .trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.map(line)].join('\n');
}

// -------------------------------------------------------------------------------------------------
// Command-line options shared by the benches

/** Parses a positive integer option. */
export function positiveInt(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`--${name} must be a positive whole number, got "${value}"`);
  return Number(value);
}

/** Writes a progress line on stderr (stdout carries only the results). */
export function benchLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** What differs between the bench scripts; `runBenchCli` does the rest. */
export interface BenchCli<O extends BenchOptions> {
  usage: string;
  /** Parses argv; null means `--help`. Throws on bad options. */
  parse(argv: string[]): O | null;
  /** Prefix of the temporary work dir. */
  workDirPrefix: string;
  /** Starts the directory server (registering its cleanup) and returns the target to measure. */
  start(options: O, cleanup: Cleanup): Promise<DirectoryTarget>;
  /** The one-line description printed above the table. */
  describe(result: BenchResult, options: O): string;
  /** Whether to print the 100k target verdict. */
  showTargets: boolean;
}

/** Shared main of the bench scripts: options, work dir, cleanup, the run and the printed report; returns the exit code. */
export async function runBenchCli<O extends BenchOptions>(cli: BenchCli<O>): Promise<number> {
  let options: O | null;
  try {
    options = cli.parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${cli.usage}\n`);
    return 2;
  }
  if (options === null) {
    process.stdout.write(`${cli.usage}\n`);
    return 0;
  }
  const cleanup = new Cleanup();
  cleanup.installSignalHandlers();
  try {
    options.workDir = await tempDir(cleanup, cli.workDirPrefix, options.keep);
    benchLog(`work dir: ${options.workDir}${options.keep ? ' (kept)' : ''}`);
    const target = await cli.start(options, cleanup);
    const result = await runBench(target, options, cleanup, benchLog);
    const out = ['', cli.describe(result, options), '', formatTable(result), '', formatDetails(result), ''];
    if (cli.showTargets) out.push(formatTargets(result), '');
    out.push(resultJsonLine(result), '');
    process.stdout.write(out.join('\n'));
    return 0;
  } catch (error) {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  } finally {
    await cleanup.run();
    if (options.keep && options.workDir) benchLog(`kept: ${options.workDir}`);
  }
}
