import { describe, expect, it } from '@jest/globals';
import { directoryB, orgGroup, orgMember, orgSnapshot, planInput, snapshot, syncConfig, user, group } from '../testing/index.js';
import { explainUser } from './explain.js';
import { plan } from './plan.js';

describe('explainUser', () => {
  it('finds a user by email, externalId, DN or uid and lists its groups with the nesting path', async () => {
    const snap = directoryB();
    const p = await plan(planInput({ snapshot: snap }));
    for (const query of ['Bob@Example.com', 'Bob', 'UID=BOB,OU=PEOPLE,DC=EXAMPLE,DC=COM', 'bob']) {
      const result = explainUser(p, snap, query);
      expect(result.found).toBe(true);
      expect(result.user?.externalId).toBe('Bob');
    }
    const result = explainUser(p, snap, 'bob@example.com');
    const paths = Object.fromEntries(result.groups.map((g) => [g.name, g.path]));
    expect(Object.keys(paths).sort()).toEqual(['AllStaff', 'Contractors', 'DevOps', 'Engineering', 'Platform']);
    expect(paths['Platform']).toEqual(['Platform']);
    expect(paths['DevOps']).toEqual(['DevOps', 'Platform']);
    expect(paths['AllStaff']).toEqual(['AllStaff', 'Engineering', 'DevOps', 'Platform']);
    expect(result.changes.map((c) => c.kind)).toEqual(['invite']);
  });

  it('explains a user that was read but not sent', async () => {
    const snap = snapshot({ users: [user({ name: 'a' }), user({ name: 'nomail', email: null, deleted: true })], groups: [] });
    const p = await plan(planInput({ snapshot: snap }));
    const result = explainUser(p, snap, 'nomail');
    expect(result.found).toBe(true);
    expect(result.user).toBeUndefined();
    expect(result.excludedReason).toContain('no email');
    expect(result.excludedReason).toContain('removal cannot be sent');
  });

  it('explains a vanished user from the plan alone', async () => {
    const snap = snapshot({ users: [user({ name: 'a' })], groups: null });
    const p = await plan(planInput({ snapshot: snap, previous: { ...planInput().previous, syncedUsers: [{ externalId: 'gone', email: 'gone@example.com' }] } }));
    const result = explainUser(p, snap, 'gone@example.com');
    expect(result.found).toBe(true);
    expect(result.user?.deletedReason).toBe('vanished');
    expect(result.changes.map((c) => c.kind)).toEqual(['remove']);
  });

  it('reports not found', async () => {
    const snap = snapshot({ users: [user({ name: 'a' })], groups: [group({ name: 'G', users: ['a'] })] });
    const p = await plan(planInput({ snapshot: snap, sync: syncConfig() }));
    expect(explainUser(p, snap, 'nobody')).toEqual({ found: false, groups: [], changes: [] });
  });
});

describe('explainUser: shared emails', () => {
  it('prefers the live user over its tombstone', async () => {
    const snap = snapshot({ users: [user({ name: 'old', email: 'pat@example.com', deleted: true }), user({ name: 'new', email: 'pat@example.com' })], groups: null });
    const p = await plan(planInput({ snapshot: snap }));
    expect(explainUser(p, snap, 'pat@example.com').user?.externalId).toBe('new');
    const tomb = explainUser(p, snap, 'old');
    expect(tomb.user).toBeUndefined();
    expect(tomb.excludedReason).toContain('tombstone');
  });
});

describe('explainUser: plan only (no snapshot) and groups', () => {
  it('gives the same nesting paths from the plan alone', async () => {
    const snap = directoryB();
    const p = await plan(planInput({ snapshot: snap }));
    const withSnapshot = explainUser(p, snap, 'carol@example.com');
    const planOnly = explainUser(p, 'carol@example.com');
    expect(planOnly.user?.externalId).toBe('Carol');
    expect(planOnly.groups).toEqual(withSnapshot.groups);
    expect(Object.fromEntries(planOnly.groups.map((g) => [g.name, g.path]))['AllStaff']).toEqual(['AllStaff', 'Engineering', 'QA']);
  });

  it('explains a group by name, externalId or DN, with its changes', async () => {
    const snap = snapshot({ users: [user({ name: 'a' })], groups: [group({ name: 'Blue Team', users: ['a'] })] });
    const p = await plan(planInput({ snapshot: snap }));
    for (const query of ['blue team', 'Blue Team', 'CN=Blue Team,OU=GROUPS,DC=EXAMPLE,DC=COM']) {
      const result = explainUser(p, snap, query);
      expect(result.group?.externalId).toBe('Blue Team');
      expect(result.user).toBeUndefined();
      expect(result.changes.map((c) => c.kind)).toEqual(['group-create']);
    }
    expect(explainUser(p, 'blue team').group?.name).toBe('Blue Team');
  });
});

describe('explainUser: aggregated group membership changes', () => {
  it("finds a user's membership changes inside the per-group changes", async () => {
    const org = orgSnapshot({
      members: [orgMember({ name: 'a', email: 'A@Example.com' }), orgMember({ name: 'b' })],
      groups: [orgGroup({ name: 'G', memberIds: ['member-a'] })],
    });
    const snap = snapshot({ users: [user({ name: 'a' }), user({ name: 'b' }), user({ name: 'c' })], groups: [group({ name: 'G', users: ['b', 'c'] })] });
    const p = await plan(planInput({ snapshot: snap, org }));
    const forB = explainUser(p, snap, 'b');
    expect(forB.changes).toEqual([{ kind: 'group-member-add', externalId: 'b', email: 'b@example.com', group: 'G', reason: 'member of the directory group (or its nested groups)' }]);
    expect(explainUser(p, snap, 'c@example.com').changes.map((c) => [c.kind, c.group])).toEqual([
      ['invite', undefined],
      ['group-member-add', 'G'],
    ]);
    const forA = explainUser(p, 'a@example.com');
    expect(forA.changes.map((c) => [c.kind, c.group, c.email])).toEqual([['group-member-remove', 'G', 'A@Example.com']]);
    const forGroup = explainUser(p, snap, 'G');
    expect(forGroup.changes.map((c) => [c.kind, c.members])).toEqual([
      ['group-member-add', ['b@example.com', 'c@example.com']],
      ['group-member-remove', ['A@Example.com']],
    ]);
  });
});
