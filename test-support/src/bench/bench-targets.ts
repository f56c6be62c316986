// The performance targets of issue #14 and the check of a bench run against them.
// Test-only: lives in test-support, never shipped.

/** The size the targets are set for; smaller runs are checked too, marked indicative. */
export const TARGETS = { users: 100_000, groups: 10_000 } as const;

/** One target criterion: which run, what is measured, the limit. */
interface Criterion {
  run: 'initial' | 'no-op' | 'delta';
  what: string;
  /** Measured value (null: not measured in this run). */
  measure: (s: MedianSync, floorMs: number) => number | null;
  limit: number;
  unit: 'x floor' | 'MB' | 's' | 'requests';
}

/** The median figures of one sync run (see run-bench.ts). */
export interface MedianSync {
  run: string;
  wallMs: number;
  peakRssMb: number | null;
  cliCpuMs: number | null;
  bitwardenRequests: number;
}

const CRITERIA: readonly Criterion[] = [
  { run: 'initial', what: 'dirconn CPU / floor', measure: (s, f) => (s.cliCpuMs === null ? null : s.cliCpuMs / f), limit: 2, unit: 'x floor' },
  { run: 'initial', what: 'wall / floor', measure: (s, f) => s.wallMs / f, limit: 3, unit: 'x floor' },
  { run: 'initial', what: 'peak RSS', measure: (s) => s.peakRssMb, limit: 300, unit: 'MB' },
  { run: 'no-op', what: 'Bitwarden requests', measure: (s) => s.bitwardenRequests, limit: 3, unit: 'requests' },
  { run: 'no-op', what: 'wall / floor', measure: (s, f) => s.wallMs / f, limit: 2, unit: 'x floor' },
  { run: 'no-op', what: 'peak RSS', measure: (s) => s.peakRssMb, limit: 300, unit: 'MB' },
  { run: 'delta', what: 'wall', measure: (s) => s.wallMs / 1000, limit: 0.5, unit: 's' },
  { run: 'delta', what: 'peak RSS', measure: (s) => s.peakRssMb, limit: 150, unit: 'MB' },
];

/** Target check of a bench: one row per criterion whose run was measured. */
export interface TargetCheck {
  /** True when this run has the target's size (or more). */
  atTargetSize: boolean;
  rows: { run: string; what: string; value: number | null; limit: number; unit: string; ok: boolean }[];
  met: boolean;
}

/** Checks the median syncs against the criteria (initial ≤ 2x CPU / 3x wall, no-op ≤ 3 requests…). */
export function checkTargets(users: number, groups: number, floorMs: number, syncs: readonly MedianSync[]): TargetCheck {
  const rows: TargetCheck['rows'] = [];
  for (const criterion of CRITERIA) {
    const sync = syncs.find((s) => s.run === criterion.run);
    if (sync === undefined) continue;
    const value = criterion.measure(sync, floorMs);
    rows.push({ run: criterion.run, what: criterion.what, value, limit: criterion.limit, unit: criterion.unit, ok: value !== null && value <= criterion.limit });
  }
  return { atTargetSize: users >= TARGETS.users && groups >= TARGETS.groups, rows, met: rows.every((r) => r.ok) };
}
