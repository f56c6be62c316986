import { describe, expect, it } from '@jest/globals';
import { orgMember, orgSnapshot, planInput, snapshot, syncConfig, syncState } from '../testing/index.js';
import type { PlannedChange, PlanUser } from './plan.types.js';
import { NO_REMOVAL_LIMIT, removalBase, safetyChecks, type SafetyInput } from './safety-checks.js';

function planUsers(count: number): PlanUser[] {
  return Array.from({ length: count }, (_, i) => ({ externalId: `u${i}`, email: `u${i}@example.com`, displayName: `u${i}`, disabled: false, deleted: false }));
}
function removals(count: number): PlannedChange[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'remove', externalId: `gone${i}`, email: `gone${i}@example.com`, reason: 'deleted in directory' }));
}
function safetyInput(spec: Partial<SafetyInput> = {}): SafetyInput {
  const users = spec.users ?? planUsers(0);
  return { input: planInput(), users, activeUsers: users, groups: [], removals: [], removalsUnknown: false, problems: [], membership: { losses: [], currentMemberships: 0 }, ...spec };
}

describe('removalBase', () => {
  it('counts organization members with a non-blank externalId when the organization is read', () => {
    const org = orgSnapshot({ members: [orgMember({ name: 'a' }), orgMember({ name: 'b', externalId: null }), orgMember({ name: 'c', externalId: '  ' }), orgMember({ name: 'd' })] });
    expect(removalBase(planInput({ org, previous: syncState({ syncedUsers: [] }) }))).toBe(2);
  });

  it('falls back to the users of the last sync, else zero', () => {
    const syncedUsers = [{ externalId: 'a', email: 'a@example.com' }, { externalId: 'b', email: 'b@example.com' }, { externalId: 'c', email: 'c@example.com' }];
    expect(removalBase(planInput({ previous: syncState({ syncedUsers }) }))).toBe(3);
    expect(removalBase(planInput({ previous: syncState({ syncedUsers: null }) }))).toBe(0);
  });
});

describe('safetyChecks', () => {
  const sync = syncConfig({ maxRemovals: 2, maxRemovalPercent: 0 });

  it('runs the eleven rules in order and passes a quiet plan', () => {
    const result = safetyChecks(safetyInput({ input: planInput({ sync }), removals: removals(2) }));
    expect(result.checks.map((c) => c.rule)).toEqual([
      'max-removals',
      'empty-read',
      'user-count-drop',
      'group-count-drop',
      'incomplete-read',
      'duplicate-external-id',
      'source-changed',
      'max-membership-removals',
      'empty-groups',
      'unresolved-members',
      'seats',
    ]);
    expect(result.ok).toBe(true);
    expect(result.removalLimit).toBe(2);
  });

  it('fails max-removals one past the limit and names the override', () => {
    const result = safetyChecks(safetyInput({ input: planInput({ sync }), removals: removals(3) }));
    expect(result.ok).toBe(false);
    expect(result.checks[0]).toMatchObject({ rule: 'max-removals', passed: false, allow: { option: 'allowRemovals', atLeast: 3 }, override: '--allow-removals 3' });
    expect(result.checks[0]?.message).toContain('max(2, 0% of 0 synced members)');
  });

  it('fails uncountable overwriteExisting removals unless --allow-removals all is given (issue #9 item 3)', () => {
    const stopped = safetyChecks(safetyInput({ input: planInput({ sync }), removalsUnknown: true })).checks[0];
    expect(stopped).toMatchObject({ passed: false, override: '--allow-removals all', allow: { option: 'allowRemovals', atLeast: 'all' } });
    expect(stopped?.message).toMatch(/^The number of removals is unknown/);
    // A number, however large, never unlocks an unknown count; the known removals are named.
    for (const allowRemovals of [1, 5, 1000]) {
      const small = safetyChecks(safetyInput({ input: planInput({ sync, overrides: { allowRemovals } }), removalsUnknown: true, removals: removals(1) }));
      expect(small.checks[0]).toMatchObject({ rule: 'max-removals', passed: false, override: '--allow-removals all' });
      expect(small.checks[0]?.message).toContain('1 are known');
      expect(small.checks[0]?.message).toContain('gone0@example.com');
      expect(small.ok).toBe(false);
    }
    const allowed = safetyChecks(safetyInput({ input: planInput({ sync, overrides: { allowRemovals: 'all' } }), removalsUnknown: true }));
    expect(allowed.checks[0]).toMatchObject({ rule: 'max-removals', passed: true });
    expect(allowed.checks[0]?.message).toContain('Allowed by --allow-removals all');
    expect(allowed.removalLimit).toBe(NO_REMOVAL_LIMIT);
    expect(allowed.ok).toBe(true);
  });

  it('compares user counts only for a full read', () => {
    const previous = syncState({ lastCounts: { users: 10, groups: 0 } });
    const drop = safetyInput({ input: planInput({ sync, previous }), users: planUsers(7) });
    expect(safetyChecks(drop).checks[2]).toMatchObject({ rule: 'user-count-drop', passed: false, override: '--allow-removals 3' });
    const delta = safetyInput({ input: planInput({ sync, previous, snapshot: snapshot({ mode: 'delta' }) }), users: planUsers(7) });
    expect(safetyChecks(delta).checks[2]).toMatchObject({ rule: 'user-count-drop', passed: true });
    expect(safetyChecks(delta).checks[1]?.message).toBe('Not applicable: users were not read in full.');
  });

  it('passes the diff problems into duplicate-external-id', () => {
    const result = safetyChecks(safetyInput({ problems: ['organization members share externalIds: x'] }));
    expect(result.checks[5]).toMatchObject({ rule: 'duplicate-external-id', passed: false });
    expect(result.checks[5]?.message).toContain('organization members share externalIds: x');
  });
});
