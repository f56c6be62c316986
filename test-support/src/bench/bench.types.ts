// The shapes shared by the bench modules: what a directory target provides, the bench options and
// the figures a run produces.
// Test-only: lives in test-support, never shipped.

import type { MedianSync, TargetCheck } from './bench-targets.js';
import type { HttpCounts } from './fake-target.js';
import type { FloorMeasurement, FloorSearch, LdapsearchAccess } from './floor.js';
import type { CpuProfileSummary, HeapProfileSummary } from './profiles.js';

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
  median: { floorMs: number; syncs: (MedianSync & { ratio: number })[] };
  targets: TargetCheck;
  node: string;
  cpus: number;
  /** 1-minute load average when the bench started and ended (other work on the machine skews wall times). */
  loadAvg: { start: number; end: number };
}
