/**
 * A safety stop as the Sync screen shows it: the failed checks and the people who would be removed
 * (the `details` of core's `sync.safety-stop` error), and the one-run override that allows exactly
 * this run (the checks' structured suggestions, combined: the largest known count wins).
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
}

/**
 * The override for the stop, each failed check's suggestion combined: `allowRemovals` at the
 * largest count the checks know (at least the number of removals listed, so every listed person is
 * covered) or `all` when a check cannot count them; `allowMembershipRemovals` at the largest
 * membership count asked; `allowEmpty`, `allowSourceChange` and `allowSeatOverflow` when a check asks for them.
 */
export function suggestedOverrides(stop: SafetyStop): OverrideSuggestion {
  const failed = stop.checks.filter((c) => !c.passed);
  const overrides: RunOverrides = {};
  let needsCount = false;
  for (const check of failed) {
    const allow = check.allow;
    if (allow === undefined) continue;
    switch (allow.option) {
      case 'allowEmpty':
        overrides.allowEmpty = true;
        break;
      case 'allowSourceChange':
        overrides.allowSourceChange = true;
        break;
      case 'allowSeatOverflow':
        overrides.allowSeatOverflow = true;
        break;
      case 'allowMembershipRemovals':
        overrides.allowMembershipRemovals = Math.max(overrides.allowMembershipRemovals ?? 0, allow.atLeast);
        break;
      case 'allowRemovals':
        if (allow.atLeast === 'all' || overrides.allowRemovals === 'all') {
          overrides.allowRemovals = 'all';
        } else {
          if (allow.atLeast === null) needsCount = true;
          overrides.allowRemovals = Math.max(overrides.allowRemovals ?? 0, allow.atLeast ?? 0, stop.removals.length);
        }
        break;
    }
  }
  if (overrides.allowRemovals === 'all') needsCount = false;
  const canOverride = failed.length > 0 && failed.every((c) => c.allow !== undefined);
  return { overrides, needsCount, canOverride };
}

/** The confirm button's words for these overrides ("Sync and allow 3 removals and a source change"). */
export function describeOverrides(overrides: RunOverrides): string {
  const parts: string[] = [];
  if (overrides.allowRemovals === 'all') parts.push('any number of removals');
  else if (overrides.allowRemovals !== undefined) parts.push(`${overrides.allowRemovals} removal${overrides.allowRemovals === 1 ? '' : 's'}`);
  if (overrides.allowMembershipRemovals !== undefined) parts.push(`${overrides.allowMembershipRemovals} group-membership removal${overrides.allowMembershipRemovals === 1 ? '' : 's'}`);
  if (overrides.allowEmpty === true) parts.push('an empty read');
  if (overrides.allowSourceChange === true) parts.push('a change of directory source');
  if (overrides.allowSeatOverflow === true) parts.push('invitations beyond the seats');
  if (parts.length <= 1) return parts[0] ?? 'nothing';
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}
