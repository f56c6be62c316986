import { describe, expect, it } from '@jest/globals';
import { DirconnError } from '../errors.js';
import { planInput, snapshot, syncConfig, syncState, user } from '../testing/index.js';
import { plan } from './plan.js';
import type { SafetyCheck } from './plan.types.js';
import { safetyStopError, safetyStopHint, type SafetyStopDetails } from './safety-stop.js';

const failed = (rule: SafetyCheck['rule'], allow?: SafetyCheck['allow']): SafetyCheck => ({ rule, passed: false, message: `${rule} failed`, ...(allow ? { allow } : {}) });

describe('safetyStopError (the one sync.safety-stop)', () => {
  it('lists the failed checks and the removals in one details shape', async () => {
    const previous = syncState({ lastCounts: { users: 3, groups: 0 }, syncedUsers: [{ externalId: 'a', email: 'a@example.com' }, { externalId: 'b', email: 'b@example.com' }, { externalId: 'c', email: 'c@example.com' }] });
    const refused = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a' })], groups: null }), previous, sync: syncConfig({ maxRemovals: 1, maxRemovalPercent: 0 }) }));
    expect(refused.safety.ok).toBe(false);
    const error = safetyStopError(refused);
    expect(DirconnError.is(error) && error.code).toBe('sync.safety-stop');
    const details = error.details as SafetyStopDetails;
    expect(details.checks.map((c) => c.rule)).toEqual(['max-removals', 'user-count-drop']);
    expect(details.checks.every((c) => !c.passed)).toBe(true);
    expect(details.removals.map((c) => [c.kind, c.externalId])).toEqual([
      ['remove', 'b'],
      ['remove', 'c'],
    ]);
    expect(error.message).toBe(`Safety stop: nothing was sent to Bitwarden.\n${details.checks.map((c) => `  - ${c.message}`).join('\n')}`);
    expect(error.hint).toBe(
      'Review the plan with "dirconn plan". If it is intended, run once with --allow-removals 2 or change the limits with "dirconn config sync.maxRemovals <n>" / "dirconn config sync.maxRemovalPercent <p>".',
    );
  });

  it('suggests each override once, as data and as the fallback text', () => {
    const hint = safetyStopHint([failed('max-removals', { option: 'allowRemovals', atLeast: 6 }), failed('empty-read', { option: 'allowEmpty' }), failed('user-count-drop', { option: 'allowRemovals', atLeast: 9 })]);
    expect(hint.overrides).toEqual([{ option: 'allowRemovals', atLeast: 9 }, { option: 'allowEmpty' }]);
    expect(hint.commands).toEqual([{ name: 'plan', args: [] }]);
    expect(hint.settings?.map((s) => s.key)).toEqual(['sync.maxRemovals', 'sync.maxRemovalPercent']);
    expect(hint.text).toContain('run once with --allow-removals 9 --allow-empty or change');
  });

  it('says so when no override can help', () => {
    const hint = safetyStopHint([failed('duplicate-external-id')]);
    expect(hint.overrides).toBeUndefined();
    expect(hint.text).toBe('Review the plan with "dirconn plan" and fix the directory or the organization; these checks have no override.');
  });
});
