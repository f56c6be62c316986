// The performance goal of the benches and the check of a run against it.
// Test-only: lives in test-support, never shipped.

/** The goal: 100k users / 10k groups synced in < 3× the ldapsearch time with < 400 MB peak RSS. */
export const TARGETS = { users: 100_000, groups: 10_000, maxRatio: 3, maxPeakRssMb: 400 } as const;

/** Target check of the full-read syncs (initial and no-op). */
export interface TargetCheck {
  /** True when this run has the target's size (or more). */
  atTargetSize: boolean;
  runs: { run: string; ratio: number; ratioOk: boolean; peakRssMb: number | null; rssOk: boolean }[];
  met: boolean;
}

/** Checks the median full-read syncs (initial and no-op) against TARGETS. */
export function checkTargets(users: number, groups: number, floorMs: number, syncs: { run: string; wallMs: number; peakRssMb: number | null }[]): TargetCheck {
  const runs = syncs
    .filter((s) => s.run === 'initial' || s.run === 'no-op')
    .map((s) => {
      const ratio = s.wallMs / floorMs;
      return { run: s.run, ratio, ratioOk: ratio < TARGETS.maxRatio, peakRssMb: s.peakRssMb, rssOk: s.peakRssMb !== null && s.peakRssMb < TARGETS.maxPeakRssMb };
    });
  return { atTargetSize: users >= TARGETS.users && groups >= TARGETS.groups, runs, met: runs.every((r) => r.ratioOk && r.rssOk) };
}
