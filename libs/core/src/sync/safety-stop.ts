/**
 * The one `sync.safety-stop` error (issue #7 item 3): built here for both the sync use case and
 * apply(), so the code always carries the same message, hint and `details` shape.
 */
import { DirconnError, errorHint, type ErrorHint } from '../errors.js';
import { combineOverrides } from './overrides.js';
import type { PlannedChange, SafetyCheck, SyncPlan } from './plan.types.js';

/**
 * `details` of every `sync.safety-stop` error (printed by `--json`, kept in the run report): the
 * checks that failed, in plan order, and the removals the plan would have made (members with an
 * externalId no longer in the directory), so the admin sees who would have been removed.
 */
export interface SafetyStopDetails {
  checks: SafetyCheck[];
  removals: PlannedChange[];
}

/** The error that refuses a plan whose safety checks failed; nothing has been sent when it is thrown. */
export function safetyStopError(plan: SyncPlan): DirconnError {
  const failed = plan.safety.checks.filter((c) => !c.passed);
  const details: SafetyStopDetails = { checks: failed, removals: plan.changes.filter((c) => c.kind === 'remove') };
  return new DirconnError('sync.safety-stop', `Safety stop: nothing was sent to Bitwarden.\n${failed.map((c) => `  - ${c.message}`).join('\n')}`, {
    action: safetyStopHint(failed),
    details,
  });
}

/** Review the plan; then allow it once (the overrides the failed checks suggest) or change the limits. */
export function safetyStopHint(failed: readonly SafetyCheck[]): ErrorHint {
  const overrides = combineOverrides(failed.flatMap((c) => (c.allow ? [c.allow] : [])));
  const review = { name: 'plan', args: [] };
  if (overrides.length === 0) {
    return errorHint({ template: 'Review the plan with {command.0} and fix the directory or the organization; these checks have no override.', commands: [review] });
  }
  return errorHint({
    template: 'Review the plan with {command.0}. If it is intended, run once with {overrides} or change the limits with {settings}.',
    commands: [review],
    overrides,
    settings: [
      { key: 'sync.maxRemovals', value: '<n>' },
      { key: 'sync.maxRemovalPercent', value: '<p>' },
    ],
  });
}
