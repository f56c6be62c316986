/**
 * A safety stop as the Sync screen shows it: the failed checks and the people who would be removed
 * (the `details` of core's `sync.safety-stop` error), and the one-run override that allows exactly
 * this run (the checks' structured suggestions, combined: the largest known removal count wins).
 * Suggestions the desktop API cannot carry yet are listed in their command-line wording instead.
 */
import type { PlannedChange, SafetyCheck } from '@dirconn/core';
import type { ApiInput } from '../../shared/api-contract.js';

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

/** The overrides `syncNow` takes (the contract's type). */
export type RunOverrides = NonNullable<ApiInput<'syncNow'>['overrides']>;

/** What the screen can offer for a stop. */
export interface OverrideSuggestion {
  overrides: RunOverrides;
  /** A check asks for removals without knowing how many: the admin chooses the number. */
  needsCount: boolean;
  /** Every failed check can be allowed from this screen. */
  canOverride: boolean;
  /** Suggestions only the command line can give for now (`--allow-source-change`…). */
  commandLineOnly: string[];
}

/**
 * The override for the stop: `allowRemovals` at the largest count the checks know (at least the
 * number of removals listed, so every listed person is covered), `allowEmpty` when a check asks for
 * it; anything else (an unlimited or membership allowance, a source change) in CLI words.
 */
export function suggestedOverrides(stop: SafetyStop): OverrideSuggestion {
  const failed = stop.checks.filter((c) => !c.passed);
  const overrides: RunOverrides = {};
  const commandLineOnly: string[] = [];
  let needsCount = false;
  for (const check of failed) {
    const allow = check.allow;
    if (allow === undefined) continue;
    if (allow.option === 'allowEmpty') {
      overrides.allowEmpty = true;
    } else if (allow.option === 'allowRemovals' && allow.atLeast !== 'all') {
      if (allow.atLeast === null) needsCount = true;
      overrides.allowRemovals = Math.max(overrides.allowRemovals ?? 0, allow.atLeast ?? 0, stop.removals.length);
    } else {
      commandLineOnly.push(check.override ?? allow.option);
    }
  }
  const canOverride = failed.length > 0 && failed.every((c) => c.allow !== undefined) && commandLineOnly.length === 0;
  return { overrides, needsCount, canOverride, commandLineOnly };
}
