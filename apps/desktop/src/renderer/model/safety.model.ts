/**
 * A safety stop as the Sync screen shows it: the failed checks and the people who would be removed
 * (the `details` of core's `sync.safety-stop` error), and the one-run override that allows exactly
 * this run (the checks' structured suggestions, combined: the largest known removal count wins).
 */
import type { PlannedChange, SafetyCheck, SafetyOverride } from '@dirconn/core';

/** The parts of a `sync.safety-stop` error the screen uses. */
export interface SafetyStop {
  checks: SafetyCheck[];
  removals: PlannedChange[];
}

/** The stop's details, or null when `details` does not have the documented shape. */
export function readSafetyStop(details: unknown): SafetyStop | null {
  if (typeof details !== 'object' || details === null) return null;
  const record = details as Record<string, unknown>;
  const checks = record['checks'];
  const removals = record['removals'];
  if (!Array.isArray(checks) || !Array.isArray(removals)) return null;
  return { checks: checks as SafetyCheck[], removals: removals as PlannedChange[] };
}

/** The overrides that let this run pass, as `syncNow` takes them. */
export interface RunOverrides {
  allowRemovals?: number;
  allowEmpty?: boolean;
}

/**
 * The override for the stop: `allowRemovals` at the largest count the checks know (at least the
 * number of removals listed, so every listed person is covered), `allowEmpty` when a check asks for
 * it. `needsCount` is true when a check asks for removals without knowing how many.
 */
export function suggestedOverrides(stop: SafetyStop): { overrides: RunOverrides; needsCount: boolean; canOverride: boolean } {
  const allows: SafetyOverride[] = stop.checks.flatMap((c) => (c.passed || c.allow === undefined ? [] : [c.allow]));
  const overrides: RunOverrides = {};
  let needsCount = false;
  for (const allow of allows) {
    if (allow.option === 'allowEmpty') {
      overrides.allowEmpty = true;
    } else if (allow.atLeast === null) {
      needsCount = true;
      overrides.allowRemovals = Math.max(overrides.allowRemovals ?? 0, stop.removals.length);
    } else {
      overrides.allowRemovals = Math.max(overrides.allowRemovals ?? 0, allow.atLeast, stop.removals.length);
    }
  }
  const failed = stop.checks.filter((c) => !c.passed);
  const canOverride = allows.length > 0 && failed.every((c) => c.allow !== undefined);
  return { overrides, needsCount, canOverride };
}
