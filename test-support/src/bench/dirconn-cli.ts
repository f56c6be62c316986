// The built dirconn CLI run in one throw-away data directory: environment, the resource-stats line
// (DIRCONN_RESOURCE_STATS=1), the timestamped debug lines (--trace), config, login and the last report.
// Test-only: lives in test-support, never shipped.

import type { Cleanup } from './cleanup.js';
import { DIRCONN_BIN, nodeForCli } from './paths.js';
import { runTimed, type TimedRun } from './process.js';

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
