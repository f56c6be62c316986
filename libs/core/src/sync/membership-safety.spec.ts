import { describe, expect, it } from '@jest/globals';
import type { DirectoryGroup, DirectoryUser } from '../model/directory.js';
import type { OrgGroup, OrgMember } from '../model/organization.js';
import { group, orgGroup, orgMember, orgSnapshot, planInput, snapshot, syncConfig, syncState, user } from '../testing/index.js';
import { membershipRemovalLimit } from './membership-safety.js';
import { plan } from './plan.js';
import type { SafetyRule, SyncPlan } from './plan.types.js';

function check(result: SyncPlan, rule: SafetyRule) {
  const found = result.safety.checks.find((c) => c.rule === rule);
  if (found === undefined) throw new Error(`no ${rule} check`);
  return found;
}

const names = (count: number, prefix = 'u') => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

/** 200 users in the directory and the organization, and three groups of 200 synced before. */
function world(): { users: DirectoryUser[]; members: OrgMember[]; orgGroups: OrgGroup[] } {
  const ids = names(200);
  return {
    users: ids.map((name) => user({ name })),
    members: ids.map((name) => orgMember({ name })),
    orgGroups: ['A', 'B', 'C'].map((name) => orgGroup({ name, memberIds: ids.map((id) => `member-${id}`) })),
  };
}

describe('membershipRemovalLimit', () => {
  it('is the larger of the count and the percentage of the current memberships, raised by the override', () => {
    expect(membershipRemovalLimit({ maxMembershipRemovals: 25, maxMembershipRemovalPercent: 10 }, 600)).toBe(60);
    expect(membershipRemovalLimit({ maxMembershipRemovals: 25, maxMembershipRemovalPercent: 10 }, 100)).toBe(25);
    expect(membershipRemovalLimit({ maxMembershipRemovals: 0, maxMembershipRemovalPercent: 29 }, 100)).toBe(29);
    expect(membershipRemovalLimit({ maxMembershipRemovals: 25, maxMembershipRemovalPercent: 10 }, 600, 700)).toBe(700);
    expect(membershipRemovalLimit({ maxMembershipRemovals: 25, maxMembershipRemovalPercent: 10 }, 600, 3)).toBe(60);
  });
});

describe('plan: group-membership removals are limited (issue #9 item 1)', () => {
  it('stops a read whose groups came back empty (memberAttribute changed): 200 users × 3 groups = 600 removals', async () => {
    const { users, members, orgGroups } = world();
    const emptyGroups: DirectoryGroup[] = ['A', 'B', 'C'].map((name) => group({ name }));
    const result = await plan(planInput({ snapshot: snapshot({ users, groups: emptyGroups }), org: orgSnapshot({ members, groups: orgGroups }) }));
    expect(result.summary.removals).toBe(0);
    expect(result.summary.membershipRemovals).toBe(600);
    expect(result.safety.ok).toBe(false);
    expect(result.safety.membershipRemovalLimit).toBe(60);
    expect(check(result, 'max-membership-removals')).toMatchObject({
      passed: false,
      override: '--allow-membership-removals 600',
      allow: { option: 'allowMembershipRemovals', atLeast: 600 },
    });
    expect(check(result, 'max-membership-removals').message).toContain('A: 200 of 200 (emptied), B: 200 of 200 (emptied), C: 200 of 200 (emptied)');
    expect(check(result, 'empty-groups')).toMatchObject({ passed: false, override: '--allow-empty' });
    expect(result.safety.groupsLosingMembers.map((g) => [g.name, g.removed, g.emptied])).toEqual([
      ['A', 200, true],
      ['B', 200, true],
      ['C', 200, true],
    ]);

    const allowed = await plan(
      planInput({
        snapshot: snapshot({ users, groups: emptyGroups }),
        org: orgSnapshot({ members, groups: orgGroups }),
        overrides: { allowMembershipRemovals: 600, allowEmpty: true },
      }),
    );
    expect(allowed.safety.ok).toBe(true);
    const notEnough = await plan(
      planInput({ snapshot: snapshot({ users, groups: emptyGroups }), org: orgSnapshot({ members, groups: orgGroups }), overrides: { allowMembershipRemovals: 599, allowEmpty: true } }),
    );
    expect(check(notEnough, 'max-membership-removals').passed).toBe(false);
  });

  it('lets ordinary churn through: 10 people move from one group to another', async () => {
    const { users, members, orgGroups } = world();
    const ids = names(200);
    const moved = new Set(ids.slice(0, 10));
    const groups = [
      group({ name: 'A', users: ids.filter((id) => !moved.has(id)) }),
      group({ name: 'B', users: ids }),
      group({ name: 'C', users: ids }),
    ];
    const result = await plan(planInput({ snapshot: snapshot({ users, groups }), org: orgSnapshot({ members, groups: orgGroups }) }));
    expect(result.summary.membershipRemovals).toBe(10);
    expect(check(result, 'max-membership-removals')).toMatchObject({ passed: true });
    expect(check(result, 'max-membership-removals').message).toContain('A: 10 of 200');
    expect(result.safety.ok).toBe(true);
  });

  it('counts a group emptied in one run in full, its members leaving the organization included', async () => {
    const members = names(30).map((name) => orgMember({ name }));
    const leavers = names(30);
    const users = [...names(30, 'stay').map((name) => user({ name })), ...leavers.map((name) => user({ name, deleted: true }))];
    const orgGroups = [orgGroup({ name: 'Team', memberIds: leavers.map((id) => `member-${id}`) })];
    const result = await plan(
      planInput({
        snapshot: snapshot({ users, groups: [group({ name: 'Team' }), group({ name: 'Other', users: ['stay0'] })] }),
        org: orgSnapshot({ members, groups: orgGroups }),
        sync: syncConfig({ maxRemovals: 100 }),
      }),
    );
    // The member removals carry the 30; the membership check still sees the group emptied.
    expect(result.summary.removals).toBe(30);
    expect(result.summary.membershipRemovals).toBe(0);
    expect(result.safety.groupsLosingMembers).toEqual([{ externalId: 'Team', name: 'Team', before: 30, removed: 30, emptied: true }]);
    expect(check(result, 'max-membership-removals')).toMatchObject({ passed: false, override: '--allow-membership-removals 30' });
  });

  it('stops when every member was re-keyed (a DN case change): the groups lose everyone', async () => {
    const { members, orgGroups } = world();
    const rekeyed = names(200).map((name) => user({ name: name.toUpperCase(), email: `${name}@example.com` }));
    const groups = ['A', 'B', 'C'].map((name) => group({ name, users: rekeyed.map((u) => u.externalId) }));
    const result = await plan(planInput({ snapshot: snapshot({ users: rekeyed, groups }), org: orgSnapshot({ members, groups: orgGroups }) }));
    expect(check(result, 'max-membership-removals').passed).toBe(false);
    expect(result.safety.groupsLosingMembers.every((g) => g.emptied && g.removed === 200)).toBe(true);
  });

  it('without the organization, compares each group with the last sync\'s member count', async () => {
    const previous = syncState({ syncedGroups: ['G', 'H'], groupMemberCounts: { G: 30, H: 40 } });
    const users = names(40).map((name) => user({ name }));
    const groups = [group({ name: 'G' }), group({ name: 'H', users: names(38) })];
    const result = await plan(planInput({ snapshot: snapshot({ users, groups }), previous }));
    expect(result.orgView).toBe('directory-only');
    expect(result.safety.groupsLosingMembers).toEqual([
      { externalId: 'G', name: 'G', before: 30, removed: 30, emptied: true },
      { externalId: 'H', name: 'H', before: 40, removed: 2, emptied: false },
    ]);
    expect(check(result, 'max-membership-removals')).toMatchObject({ passed: false, override: '--allow-membership-removals 32' });
    expect(check(result, 'max-membership-removals').message).toContain('max(25, 10% of 70 current group memberships)');
    // The next state records the counts as sent.
    expect(result.nextState.groupMemberCounts).toEqual({ G: 0, H: 38 });
  });

  it('refuses groups that all came back empty when the last sync had members, like an empty user read', async () => {
    const previous = syncState({ syncedGroups: ['G', 'H'], groupMemberCounts: { G: 1, H: 1 } });
    const groups = [group({ name: 'G' }), group({ name: 'H' })];
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a' })], groups }), previous }));
    expect(check(result, 'empty-groups')).toMatchObject({ passed: false, override: '--allow-empty' });
    expect(check(result, 'empty-groups').message).toContain('Every one of the 2 groups read is empty, but they had 2 memberships');
    // Within the count limit, so only the empty-groups check stops it.
    expect(check(result, 'max-membership-removals').passed).toBe(true);
    const allowed = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a' })], groups }), previous, overrides: { allowEmpty: true } }));
    expect(allowed.safety.ok).toBe(true);
    // A delta read says nothing about the groups it did not return.
    const delta = await plan(planInput({ snapshot: snapshot({ users: [], groups: [], mode: 'delta' }), previous }));
    expect(check(delta, 'empty-groups').passed).toBe(true);
  });

  it('counts and shows unresolved members; stops when most are unresolved', async () => {
    const users = [user({ name: 'a' })];
    const groups = [group({ name: 'G', users: ['a'] })];
    const few = await plan(planInput({ snapshot: snapshot({ users, groups, memberResolution: { resolved: 10, unresolved: 3 } }) }));
    expect(few.summary.unresolvedMembers).toBe(3);
    expect(check(few, 'unresolved-members')).toMatchObject({ passed: true, message: '3 of 13 member values match no user read and are not synced.' });

    const most = await plan(planInput({ snapshot: snapshot({ users, groups, memberResolution: { resolved: 1, unresolved: 50 } }) }));
    expect(most.summary.unresolvedMembers).toBe(50);
    expect(check(most, 'unresolved-members')).toMatchObject({ passed: false, override: '--allow-membership-removals 50' });
    expect(check(most, 'unresolved-members').message).toContain('50 of the 51 member values of the groups match no user read');
    expect(most.safety.ok).toBe(false);
    const allowed = await plan(planInput({ snapshot: snapshot({ users, groups, memberResolution: { resolved: 1, unresolved: 50 } }), overrides: { allowMembershipRemovals: 50 } }));
    expect(check(allowed, 'unresolved-members').passed).toBe(true);
  });
});
