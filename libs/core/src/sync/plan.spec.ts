import { describe, expect, it } from '@jest/globals';
import { hasErrorCode } from '../errors.js';
import type { DirectoryUser } from '../model/directory.js';
import type { OrgMember } from '../model/organization.js';
import { directoryA, group, orgGroup, orgMember, orgSnapshot, planInput, snapshot, syncConfig, syncState, TEST_TARGET, user } from '../testing/index.js';
import { computeLegacySyncHash, computeSyncHash, sha256Base64 } from './hash.js';
import { MEMBERSHIP_REASONS, OWNER_PROTECTED_REASON, plan, REMOVAL_REASONS, removalLimit } from './plan.js';
import type { PlannedChange, SafetyRule, SyncPlan } from './plan.types.js';
import { serializeImportRequests } from './request-builder.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function kinds(result: SyncPlan, kind: PlannedChange['kind']): PlannedChange[] {
  return result.changes.filter((c) => c.kind === kind);
}
function check(result: SyncPlan, rule: SafetyRule) {
  const found = result.safety.checks.find((c) => c.rule === rule);
  if (found === undefined) throw new Error(`no ${rule} check`);
  return found;
}
function people(...names: string[]): DirectoryUser[] {
  return names.map((name) => user({ name }));
}
function synced(...names: string[]) {
  return names.map((name) => ({ externalId: name, email: `${name}@example.com` }));
}
function members(...names: string[]): OrgMember[] {
  return names.map((name) => orgMember({ name }));
}

describe('plan: directory A, first run, organization not read', () => {
  it('builds one request, its hash, the directory-only changes and the next state', async () => {
    const result = await plan(planInput({ snapshot: directoryA(), now: NOW }));
    expect(result.version).toBe(1);
    expect(result.createdAt).toBe(NOW.toISOString());
    expect(result.orgView).toBe('directory-only');
    expect(result.orgUnavailableReason).toBe('the organization was not read');
    expect(result.requests).toHaveLength(1);
    expect(result.hash).toBe(await computeSyncHash(TEST_TARGET.apiUrl, TEST_TARGET.organizationId, serializeImportRequests(result.requests)));
    expect(result.unchanged).toBe(false);
    expect(result.users).toHaveLength(20);
    expect(result.users.every((u) => u.email === u.email.toLowerCase())).toBe(true);
    expect(kinds(result, 'invite')).toHaveLength(20);
    expect(kinds(result, 'group-create')).toHaveLength(5);
    expect(result.summary).toMatchObject({ usersInDirectory: 20, groupsInDirectory: 5, enabledUsers: 20, invites: 20, groupCreates: 5, removals: 0, requests: 1 });
    expect(result.safety.ok).toBe(true);
    expect(result.nextState).toMatchObject({
      lastSyncHash: result.hash,
      lastUserSync: NOW.toISOString(),
      lastGroupSync: NOW.toISOString(),
      lastFullSync: NOW.toISOString(),
      lastCounts: { users: 20, groups: 5 },
      cursor: null,
    });
    expect(result.nextState.syncedUsers).toHaveLength(20);
    expect(result.nextState.syncedGroups).toEqual(result.groups.map((g) => g.externalId));
    expect(result.fingerprint.organization).toBeNull();
  });

  it('is deterministic', async () => {
    const input = planInput({ snapshot: directoryA(), now: NOW });
    expect(JSON.stringify(await plan(input))).toBe(JSON.stringify(await plan(input)));
  });

  it('batches with largeImport and batch size 4: 7 requests', async () => {
    const result = await plan(planInput({ snapshot: directoryA(), sync: syncConfig({ largeImport: true }), batchSize: 4 }));
    expect(result.requests).toHaveLength(7);
    expect(result.summary.requests).toBe(7);
    expect(result.hash).toBe(await computeSyncHash(TEST_TARGET.apiUrl, TEST_TARGET.organizationId, JSON.stringify(result.requests)));
  });

  it('forwards the invite flag', async () => {
    const on = await plan(planInput({ snapshot: directoryA(), sync: syncConfig({ inviteUsersAfterProvisioning: true }) }));
    const off = await plan(planInput({ snapshot: directoryA() }));
    expect(on.requests[0]!.inviteUsersAfterProvisioning).toBe(true);
    expect(off.requests[0]!.inviteUsersAfterProvisioning).toBe(false);
    expect(on.hash).not.toBe(off.hash);
  });
});

describe('plan: hash skip (reference §7.6)', () => {
  it('is unchanged when the stored hash matches the new or the legacy hash, unless ignoreHash', async () => {
    const first = await plan(planInput({ snapshot: directoryA() }));
    const again = await plan(planInput({ snapshot: directoryA(), previous: first.nextState }));
    expect(again.unchanged).toBe(true);
    expect(again.hash).toBe(first.hash);

    const legacy = await computeLegacySyncHash(TEST_TARGET.apiUrl, serializeImportRequests(first.requests));
    const fromReference = await plan(planInput({ snapshot: directoryA(), previous: syncState({ lastSyncHash: legacy }) }));
    expect(fromReference.unchanged).toBe(true);
    expect(fromReference.nextState.lastSyncHash).toBe(first.hash);

    const forced = await plan(planInput({ snapshot: directoryA(), previous: first.nextState, overrides: { ignoreHash: true } }));
    expect(forced.unchanged).toBe(false);
  });

  it('changes when a user changes', async () => {
    const first = await plan(planInput({ snapshot: snapshot({ users: people('a', 'b') }) }));
    const second = await plan(planInput({ snapshot: snapshot({ users: people('a', 'c') }), previous: first.nextState }));
    expect(second.unchanged).toBe(false);
  });

  it('sends nothing when nothing is read and overwrite is off (like the reference)', async () => {
    const result = await plan(planInput({ snapshot: snapshot({ users: [], groups: [] }) }));
    expect(result.requests).toEqual([]);
    expect(result.hash).toBe('');
    expect(result.nextState.lastSyncHash).toBeNull();
  });
});

describe('plan: removeDisabled and deletions', () => {
  const snap = () => snapshot({ users: [user({ name: 'on' }), user({ name: 'off', disabled: true }), user({ name: 'gone', deleted: true })], groups: null });

  it('sends disabled users as deleted only with removeDisabled, with the reason', async () => {
    const keep = await plan(planInput({ snapshot: snap(), previous: syncState({ syncedUsers: synced('on', 'off', 'gone') }) }));
    expect(keep.requests[0]!.members.map((m) => [m.externalId, m.deleted])).toEqual([
      ['on', false],
      ['off', false],
      ['gone', true],
    ]);
    expect(keep.summary).toMatchObject({ enabledUsers: 1, disabledUsers: 1, deletedUsers: 1, removals: 1 });

    const remove = await plan(
      planInput({ snapshot: snap(), sync: syncConfig({ removeDisabled: true }), previous: syncState({ syncedUsers: synced('on', 'off', 'gone') }) }),
    );
    expect(remove.requests[0]!.members.map((m) => [m.externalId, m.deleted])).toEqual([
      ['on', false],
      ['off', true],
      ['gone', true],
    ]);
    expect(remove.users.find((u) => u.externalId === 'off')!.deletedReason).toBe('disabled');
    expect(kinds(remove, 'remove').map((c) => [c.externalId, c.reason])).toEqual([
      ['off', REMOVAL_REASONS.disabled],
      ['gone', REMOVAL_REASONS.directory],
    ]);
    expect(remove.nextState.syncedUsers).toEqual(synced('on'));
  });

  it('keeps a deleted user without email when the previous sync knows it, and names it otherwise', async () => {
    const input = (syncedUsers: ReturnType<typeof synced>) =>
      planInput({ snapshot: snapshot({ users: [user({ name: 'a' }), user({ name: 'gone', email: null, deleted: true })], groups: null }), previous: syncState({ syncedUsers }) });
    const known = await plan(input(synced('a', 'gone')));
    expect(known.requests[0]!.members).toContainEqual({ email: 'gone@example.com', externalId: 'gone', deleted: true });
    const unknown = await plan(input(synced('a')));
    expect(unknown.requests[0]!.members.map((m) => m.externalId)).toEqual(['a']);
    expect(unknown.warnings.find((w) => w.code === 'deleted-user-not-removable')!.message).toContain('uid=gone');
  });

  it('passes the snapshot warnings through, then the normalisation warnings', async () => {
    const result = await plan(
      planInput({ snapshot: snapshot({ users: [user({ name: 'x', email: null })], warnings: [{ code: 'provider-note', message: 'hello' }] }) }),
    );
    expect(result.warnings.map((w) => w.code)).toEqual(['provider-note', 'user-no-email']);
  });
});

describe('plan: vanished users', () => {
  const previous = syncState({ syncedUsers: synced('a', 'b', 'c'), lastCounts: { users: 3, groups: 0 } });

  it('sends previously synced users missing from a full read as deleted, with their stored email', async () => {
    const result = await plan(planInput({ snapshot: snapshot({ users: people('a', 'c'), groups: null }), previous }));
    expect(result.requests[0]!.members).toEqual([
      { email: 'a@example.com', externalId: 'a', deleted: false },
      { email: 'c@example.com', externalId: 'c', deleted: false },
      { email: 'b@example.com', externalId: 'b', deleted: true },
    ]);
    expect(result.users[2]!.deletedReason).toBe('vanished');
    expect(kinds(result, 'remove')).toEqual([{ kind: 'remove', externalId: 'b', email: 'b@example.com', reason: REMOVAL_REASONS.vanished }]);
    expect(result.nextState.syncedUsers).toEqual(synced('a', 'c'));
  });

  it('does not treat absence in a delta read, or with removeVanished off, as vanishing', async () => {
    const delta = await plan(planInput({ snapshot: snapshot({ users: people('a'), groups: null, mode: 'delta' }), previous }));
    expect(delta.requests[0]!.members.map((m) => m.externalId)).toEqual(['a']);
    expect(delta.nextState.syncedUsers).toEqual(synced('a', 'b', 'c'));
    const off = await plan(planInput({ snapshot: snapshot({ users: people('a', 'c'), groups: null }), previous, sync: syncConfig({ removeVanished: false }) }));
    expect(off.requests[0]!.members.map((m) => m.externalId)).toEqual(['a', 'c']);
  });

  it('does not remove a user still in the read whose email became unusable', async () => {
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a' }), user({ name: 'b', email: null }), user({ name: 'c' })], groups: null }), previous }));
    expect(result.requests[0]!.members.map((m) => m.externalId)).toEqual(['a', 'c']);
    expect(kinds(result, 'remove')).toEqual([]);
  });

  it('merges delta reads into syncedUsers (deleted ones removed)', async () => {
    const result = await plan(
      planInput({ snapshot: snapshot({ users: [user({ name: 'd' }), user({ name: 'b', deleted: true })], groups: null, mode: 'delta', cursor: { usn: 42 } }), previous }),
    );
    expect(result.nextState.syncedUsers).toEqual(synced('a', 'c', 'd'));
    expect(result.nextState.cursor).toEqual({ usn: 42 });
    expect(result.nextState.lastFullSync).toBeNull();
    expect(result.nextState.lastCounts).toEqual({ users: 3, groups: 0 });
  });
});

describe('plan: safety limits', () => {
  it('removal limit = max(count, floor(percent × base)), raised by --allow-removals', () => {
    expect(removalLimit({ maxRemovals: 5, maxRemovalPercent: 10 }, 100)).toBe(10);
    expect(removalLimit({ maxRemovals: 5, maxRemovalPercent: 10 }, 20)).toBe(5);
    expect(removalLimit({ maxRemovals: 0, maxRemovalPercent: 29 }, 100)).toBe(29);
    expect(removalLimit({ maxRemovals: 5, maxRemovalPercent: 10 }, 20, 12)).toBe(12);
    expect(removalLimit({ maxRemovals: 5, maxRemovalPercent: 10 }, 200, 3)).toBe(20);
  });

  const base = (count: number) => Array.from({ length: count }, (_, i) => `u${i}`);
  async function withDeletions(syncedCount: number, deleted: number, allowRemovals?: number) {
    const names = base(syncedCount);
    const users = names.map((name, i) => user({ name, deleted: i < deleted }));
    return plan(
      planInput({
        snapshot: snapshot({ users, groups: null }),
        previous: syncState({ syncedUsers: synced(...names), lastCounts: { users: syncedCount, groups: 0 } }),
        sync: syncConfig({ maxRemovals: 5, maxRemovalPercent: 10 }),
        ...(allowRemovals !== undefined ? { overrides: { allowRemovals } } : {}),
      }),
    );
  }

  it('the percentage wins on a large base', async () => {
    const result = await withDeletions(100, 6);
    expect(result.safety.removalLimit).toBe(10);
    expect(check(result, 'max-removals').passed).toBe(true);
    expect(result.safety.ok).toBe(true);
  });

  it('the count wins on a small base, and the check names who and how to override', async () => {
    const result = await withDeletions(20, 6);
    expect(result.safety.removalLimit).toBe(5);
    const failed = check(result, 'max-removals');
    expect(failed.passed).toBe(false);
    expect(failed.override).toBe('--allow-removals 6');
    expect(failed.message).toContain('u0@example.com, u1@example.com');
    expect(result.safety.ok).toBe(false);
    expect(kinds(result, 'remove')).toHaveLength(6);
  });

  it('--allow-removals lets this run through', async () => {
    const result = await withDeletions(20, 6, 6);
    expect(check(result, 'max-removals').passed).toBe(true);
    expect(result.safety.ok).toBe(true);
  });

  it('lists at most 20 people, then "and N more"', async () => {
    const result = await withDeletions(100, 30);
    expect(check(result, 'max-removals').message).toContain('u19@example.com and 10 more');
    expect(check(result, 'max-removals').message).not.toContain('u20@example.com');
  });

  it('refuses an empty read where the last sync had users, unless --allow-empty', async () => {
    const input = planInput({ snapshot: snapshot({ users: [], groups: null }), previous: syncState({ lastCounts: { users: 10, groups: 0 } }) });
    const refused = await plan(input);
    expect(check(refused, 'empty-read')).toMatchObject({ passed: false, override: '--allow-empty' });
    const allowed = await plan({ ...input, overrides: { allowEmpty: true } });
    expect(check(allowed, 'empty-read').passed).toBe(true);
    const delta = await plan({ ...input, snapshot: snapshot({ users: [], groups: null, mode: 'delta' }) });
    expect(check(delta, 'empty-read').passed).toBe(true);
  });

  it('an empty read that would remove everyone trips both empty-read and max-removals', async () => {
    const names = base(50);
    const result = await plan(
      planInput({ snapshot: snapshot({ users: [], groups: null }), previous: syncState({ syncedUsers: synced(...names), lastCounts: { users: 50, groups: 0 } }) }),
    );
    expect(result.requests[0]!.members).toHaveLength(50);
    expect(result.requests[0]!.members.every((m) => m.deleted)).toBe(true);
    expect(check(result, 'empty-read').passed).toBe(false);
    expect(check(result, 'max-removals').passed).toBe(false);
    expect(check(result, 'user-count-drop').passed).toBe(false);
  });

  it('fails on user and group count drops larger than the limit (full reads only)', async () => {
    const previous = syncState({ lastCounts: { users: 100, groups: 40 } });
    const users = base(80).map((name) => user({ name }));
    const groups = Array.from({ length: 30 }, (_, i) => group({ name: `g${i}` }));
    const result = await plan(planInput({ snapshot: snapshot({ users, groups }), previous, sync: syncConfig({ removeVanished: false }) }));
    expect(check(result, 'user-count-drop')).toMatchObject({ passed: false, override: '--allow-removals 20' });
    expect(check(result, 'group-count-drop')).toMatchObject({ passed: false, override: '--allow-removals 10' });
    const delta = await plan(planInput({ snapshot: snapshot({ users, groups, mode: 'delta' }), previous }));
    expect(check(delta, 'user-count-drop').passed).toBe(true);
    expect(check(delta, 'group-count-drop').passed).toBe(true);
  });

  it('fails on duplicate externalIds among users and among groups', async () => {
    const users = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a' }), user({ name: 'a', email: 'other@example.com' })] }) }));
    expect(check(users, 'duplicate-external-id').passed).toBe(false);
    expect(check(users, 'duplicate-external-id').message).toContain('users share externalIds: a');
    const groups = await plan(planInput({ snapshot: snapshot({ groups: [group({ name: 'G' }), group({ name: 'G2', externalId: 'G' })] }) }));
    expect(check(groups, 'duplicate-external-id').passed).toBe(false);
    expect(groups.safety.ok).toBe(false);
  });

  it('fails when overwriteExisting removals cannot be counted (no org, no previous sync)', async () => {
    const result = await plan(planInput({ snapshot: snapshot({ users: people('a') }), sync: syncConfig({ overwriteExisting: true }) }));
    expect(check(result, 'max-removals')).toMatchObject({ passed: false, override: '--allow-removals all' });
  });

  it('a small --allow-removals does not unlock uncountable removals, even with deleted entries counted (issue #9 item 3)', async () => {
    const sync = syncConfig({ overwriteExisting: true });
    const users = [...people('a'), user({ name: 'gone', deleted: true })];
    const small = await plan(planInput({ snapshot: snapshot({ users }), sync, overrides: { allowRemovals: 1 } }));
    expect(small.summary.removals).toBe(1);
    expect(check(small, 'max-removals')).toMatchObject({ passed: false, override: '--allow-removals all' });
    expect(check(small, 'max-removals').message).not.toMatch(/within the limit/);
    expect(small.safety.ok).toBe(false);
    const all = await plan(planInput({ snapshot: snapshot({ users }), sync, overrides: { allowRemovals: 'all' } }));
    expect(all.safety.ok).toBe(true);
  });
});

describe('plan: errors the reference also fails on', () => {
  it('throws sync.duplicate-email', async () => {
    await expect(plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a' }), user({ name: 'b', email: 'A@example.com' })] }) }))).rejects.toMatchObject({
      code: 'sync.duplicate-email',
    });
  });

  it('throws config.invalid for overwriteExisting with batches', async () => {
    const error = await plan(planInput({ snapshot: directoryA(), sync: syncConfig({ largeImport: true, overwriteExisting: true }), batchSize: 4 })).catch((e: unknown) => e);
    expect(hasErrorCode(error, 'config.invalid')).toBe(true);
  });
});

describe('plan: live organization diff (official server semantics)', () => {
  it('invites new members, links members without externalId, and leaves known ones unchanged', async () => {
    const org = orgSnapshot({ members: [orgMember({ name: 'known' }), orgMember({ name: 'manual', externalId: null })] });
    const result = await plan(planInput({ snapshot: snapshot({ users: people('known', 'manual', 'new'), groups: null }), org }));
    expect(result.orgView).toBe('live');
    expect(result.orgUnavailableReason).toBeUndefined();
    expect(kinds(result, 'invite').map((c) => c.externalId)).toEqual(['new']);
    expect(kinds(result, 'link').map((c) => c.externalId)).toEqual(['manual']);
    expect(result.summary).toMatchObject({ invites: 1, links: 1, unchangedMembers: 1, removals: 0 });
    expect(result.fingerprint.organization).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('removes deleted members by externalId, never Owners, never members without externalId', async () => {
    const org = orgSnapshot({
      members: [
        orgMember({ name: 'gone' }),
        orgMember({ name: 'boss', type: 0 }),
        orgMember({ name: 'admin', type: 1 }),
        orgMember({ name: 'manual', externalId: null }),
      ],
    });
    const users = [user({ name: 'gone', deleted: true }), user({ name: 'boss', deleted: true }), user({ name: 'admin', deleted: true }), user({ name: 'manual', deleted: true })];
    const result = await plan(planInput({ snapshot: snapshot({ users, groups: null }), org }));
    expect(kinds(result, 'remove').map((c) => [c.externalId, c.reason])).toEqual([
      ['gone', REMOVAL_REASONS.directory],
      ['admin', `${REMOVAL_REASONS.directory} (the member is an Admin)`],
    ]);
    const skip = kinds(result, 'skip');
    expect(skip).toHaveLength(1);
    expect(skip[0]!.externalId).toBe('boss');
    expect(skip[0]!.reason.startsWith(OWNER_PROTECTED_REASON)).toBe(true);
    expect(result.summary.removals).toBe(2);
  });

  it('counts overwriteExisting candidates (non-Owners with an externalId not imported) and warns about the server guard', async () => {
    const org = orgSnapshot({
      members: [
        orgMember({ name: 'a' }),
        orgMember({ name: 'stale' }),
        orgMember({ name: 'invited', status: 0 }),
        orgMember({ name: 'owner', type: 0 }),
        orgMember({ name: 'manual', externalId: null }),
      ],
    });
    const result = await plan(planInput({ snapshot: snapshot({ users: people('a'), groups: null }), org, sync: syncConfig({ overwriteExisting: true, maxRemovals: 10 }) }));
    expect(kinds(result, 'remove').map((c) => [c.externalId, c.reason])).toEqual([
      ['stale', REMOVAL_REASONS.overwrite],
      ['invited', REMOVAL_REASONS.overwrite],
    ]);
    expect(kinds(result, 'skip').map((c) => c.externalId)).toEqual(['owner']);
    expect(result.warnings.map((w) => w.code)).toContain('overwrite-refused-by-server');
    expect(result.requests[0]!.overwriteExisting).toBe(true);
  });

  it('removal base is the org members with an externalId', async () => {
    const org = orgSnapshot({ members: [...members(...Array.from({ length: 200 }, (_, i) => `m${i}`)), orgMember({ name: 'x', externalId: null })] });
    const result = await plan(planInput({ snapshot: snapshot({ users: people('m0'), groups: null }), org, sync: syncConfig({ maxRemovals: 1, maxRemovalPercent: 10 }) }));
    expect(result.safety.removalLimit).toBe(20);
  });

  it('reports an email change under the same externalId: the server keeps the old email', async () => {
    const org = orgSnapshot({ members: [orgMember({ name: 'a', email: 'old@example.com' })] });
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a', email: 'new@example.com' })], groups: null }), org }));
    const [change] = kinds(result, 'email-change');
    expect(change).toMatchObject({ externalId: 'a', email: 'new@example.com' });
    expect(change!.reason).toContain('never updates');
    expect(change!.reason).toContain('old@example.com');
    expect(kinds(result, 'invite')).toEqual([]);
    expect(result.summary.unchangedMembers).toBe(0);
  });

  it('reports an externalId change under the same email instead of inviting a duplicate', async () => {
    const org = orgSnapshot({ members: [orgMember({ name: 'old-id', email: 'pat@example.com' })] });
    const previous = syncState({ syncedUsers: [{ externalId: 'old-id', email: 'pat@example.com' }] });
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'new-id', email: 'pat@example.com' })], groups: null }), org, previous }));
    expect(kinds(result, 'invite')).toEqual([]);
    const [change] = kinds(result, 'external-id-change');
    expect(change).toMatchObject({ externalId: 'new-id', email: 'pat@example.com' });
    expect(change!.reason).toContain('silently skips');
    // The old id vanished but shares the email with the live entry: not removed.
    expect(kinds(result, 'remove')).toEqual([]);
    expect(result.requests[0]!.members).toEqual([{ email: 'pat@example.com', externalId: 'new-id', deleted: false }]);
  });

  it('skips (and explains) an invite whose email belongs to another active directory user', async () => {
    const org = orgSnapshot({ members: [orgMember({ name: 'z', email: 'shared@example.com' })] });
    const users = [user({ name: 'z', email: 'z-new@example.com' }), user({ name: 'y', email: 'shared@example.com' })];
    const result = await plan(planInput({ snapshot: snapshot({ users, groups: null }), org }));
    expect(kinds(result, 'skip').map((c) => c.externalId)).toEqual(['y']);
    expect(kinds(result, 'email-change').map((c) => c.externalId)).toEqual(['z']);
    expect(kinds(result, 'invite')).toEqual([]);
  });

  it('fails the duplicate-external-id check for duplicate externalIds in the organization and for link conflicts', async () => {
    const dup = orgSnapshot({ members: [orgMember({ name: 'a' }), orgMember({ name: 'a2', externalId: 'a' })] });
    const first = await plan(planInput({ snapshot: snapshot({ users: people('b'), groups: null }), org: dup }));
    expect(check(first, 'duplicate-external-id').passed).toBe(false);
    expect(check(first, 'duplicate-external-id').message).toContain('organization members share externalIds');

    const conflict = orgSnapshot({ members: [orgMember({ name: 'a', email: 'old@example.com' }), orgMember({ name: 'manual', email: 'new@example.com', externalId: null })] });
    const second = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'a', email: 'new@example.com' })], groups: null }), org: conflict }));
    expect(check(second, 'duplicate-external-id').passed).toBe(false);
  });

  it('creates, renames and replaces group membership wholesale, reporting hand-added members', async () => {
    const org = orgSnapshot({
      members: [orgMember({ name: 'a' }), orgMember({ name: 'b' }), orgMember({ name: 'hand', externalId: null })],
      groups: [
        orgGroup({ name: 'Old Name', externalId: 'eng', memberIds: ['member-a', 'member-hand'] }),
        orgGroup({ name: 'Same', memberIds: ['member-a'] }),
        orgGroup({ name: 'Sales', externalId: null }),
        orgGroup({ name: 'Untouched', memberIds: ['member-b'] }),
      ],
    });
    const groups = [
      group({ name: 'Engineering', externalId: 'eng', users: ['a', 'b', 'new'] }),
      group({ name: 'Same', users: ['a'] }),
      group({ name: 'Sales', users: ['a'] }),
    ];
    const result = await plan(planInput({ snapshot: snapshot({ users: people('a', 'b', 'new'), groups }), org }));
    expect(kinds(result, 'group-rename')).toEqual([{ kind: 'group-rename', externalId: 'eng', group: 'Engineering', reason: 'renamed from "Old Name"' }]);
    // One aggregated change per group and direction, listing the members.
    expect(kinds(result, 'group-member-add').map((c) => [c.group, c.externalId, c.members, c.count])).toEqual([
      ['Engineering', 'eng', ['b@example.com', 'new@example.com'], 2],
      ['Sales', 'Sales', ['a@example.com'], 1],
    ]);
    const removed = kinds(result, 'group-member-remove');
    expect(removed).toHaveLength(1);
    expect(removed[0]).toMatchObject({ group: 'Engineering', externalId: 'eng', members: ['hand@example.com'], count: 1 });
    expect(removed[0]!.reason).toContain('no externalId');
    const [created] = kinds(result, 'group-create');
    expect(created).toMatchObject({ externalId: 'Sales', group: 'Sales' });
    expect(created!.reason).toContain('without externalId');
    expect(result.summary).toMatchObject({ groupCreates: 1, groupRenames: 1, membershipAdds: 3, membershipRemovals: 1, unchangedGroups: 1 });
  });

  it('aggregates membership removals per group and reason, and counts memberships in the summary', async () => {
    const org = orgSnapshot({
      members: [orgMember({ name: 'a' }), orgMember({ name: 'b' }), orgMember({ name: 'c' }), orgMember({ name: 'hand', externalId: null })],
      groups: [orgGroup({ name: 'G', memberIds: ['member-a', 'member-b', 'member-c', 'member-hand', 'member-ghost'] })],
    });
    const result = await plan(planInput({ snapshot: snapshot({ users: people('a', 'b', 'c', 'd'), groups: [group({ name: 'G', users: ['a', 'd'] })] }), org }));
    expect(kinds(result, 'group-member-add')).toEqual([
      { kind: 'group-member-add', externalId: 'G', group: 'G', members: ['d@example.com'], count: 1, reason: MEMBERSHIP_REASONS.add },
    ]);
    expect(kinds(result, 'group-member-remove').map((c) => [c.members, c.count, c.reason])).toEqual([
      [['b@example.com', 'c@example.com'], 2, MEMBERSHIP_REASONS.notInGroup],
      [['hand@example.com'], 1, MEMBERSHIP_REASONS.handAdded],
      [['member-ghost'], 1, MEMBERSHIP_REASONS.unknownMember],
    ]);
    expect(result.summary).toMatchObject({ membershipAdds: 1, membershipRemovals: 4, unchangedGroups: 0 });
  });

  it('does not touch groups when group sync is off', async () => {
    const org = orgSnapshot({ members: members('a'), groups: [orgGroup({ name: 'G', memberIds: ['member-hand'] })] });
    const result = await plan(planInput({ snapshot: snapshot({ users: people('a'), groups: null }), org }));
    expect(result.requests[0]!.groups).toEqual([]);
    expect(result.changes.filter((c) => c.kind.startsWith('group'))).toEqual([]);
  });

  it('warns about drift when the hash is unchanged but the organization differs', async () => {
    const first = await plan(planInput({ snapshot: snapshot({ users: people('a'), groups: null }) }));
    const result = await plan(planInput({ snapshot: snapshot({ users: people('a'), groups: null }), previous: first.nextState, org: orgSnapshot() }));
    expect(result.unchanged).toBe(true);
    expect(kinds(result, 'invite')).toHaveLength(1);
    expect(result.warnings.map((w) => w.code)).toContain('organization-drift');
  });
});

describe('plan: directory-only diff', () => {
  it('derives changes from the previous sync and says so', async () => {
    const previous = syncState({ syncedUsers: [...synced('a', 'gone'), { externalId: 'b', email: 'b-old@example.com' }, { externalId: 'old-c', email: 'c@example.com' }], syncedGroups: ['G'] });
    const users = [user({ name: 'a' }), user({ name: 'b' }), user({ name: 'c' }), user({ name: 'n' }), user({ name: 'gone', deleted: true }), user({ name: 'tomb', deleted: true })];
    const result = await plan(
      planInput({ snapshot: snapshot({ users, groups: [group({ name: 'G' }), group({ name: 'H' })] }), previous, orgUnavailableReason: 'the server has no read endpoints (Vaultwarden)' }),
    );
    expect(result.orgView).toBe('directory-only');
    expect(result.orgUnavailableReason).toBe('the server has no read endpoints (Vaultwarden)');
    expect(kinds(result, 'invite').map((c) => c.externalId)).toEqual(['n']);
    expect(kinds(result, 'email-change').map((c) => c.externalId)).toEqual(['b']);
    expect(kinds(result, 'external-id-change').map((c) => c.externalId)).toEqual(['c']);
    // "gone" was synced; "tomb" never was but counts too (Vaultwarden revokes by email, issue #9
    // item 4). old-c vanished but shares c's email: not sent.
    expect(kinds(result, 'remove').map((c) => c.externalId)).toEqual(['gone', 'tomb']);
    expect(kinds(result, 'group-create').map((c) => c.externalId)).toEqual(['H']);
    expect(result.summary).toMatchObject({ unchangedMembers: 1, unchangedGroups: 1 });
  });

  it('counts every deleted entry as a possible removal when no previous sync is known', async () => {
    const users = [user({ name: 'a' }), user({ name: 't1', deleted: true }), user({ name: 't2', deleted: true })];
    const result = await plan(planInput({ snapshot: snapshot({ users, groups: null }) }));
    expect(result.summary.removals).toBe(2);
  });

  it('counts overwriteExisting candidates from the previous sync', async () => {
    const result = await plan(
      planInput({ snapshot: snapshot({ users: people('a'), groups: null }), previous: syncState({ syncedUsers: synced('a', 'b', 'c') }), sync: syncConfig({ overwriteExisting: true, removeVanished: false }) }),
    );
    expect(kinds(result, 'remove').map((c) => [c.externalId, c.reason])).toEqual([
      ['b', REMOVAL_REASONS.overwrite],
      ['c', REMOVAL_REASONS.overwrite],
    ]);
  });
});

describe('plan: fingerprints and warnings', () => {
  it('the directory fingerprint ignores read order, the hash does not', async () => {
    const one = await plan(planInput({ snapshot: snapshot({ users: people('a', 'b'), groups: [group({ name: 'G', users: ['a', 'b'] })] }) }));
    const two = await plan(planInput({ snapshot: snapshot({ users: people('b', 'a'), groups: [group({ name: 'G', users: ['b', 'a'] })] }) }));
    expect(one.fingerprint.directory).toBe(two.fingerprint.directory);
    expect(one.hash).not.toBe(two.hash);
    const three = await plan(planInput({ snapshot: snapshot({ users: people('a', 'c'), groups: [group({ name: 'G', users: ['a'] })] }) }));
    expect(three.fingerprint.directory).not.toBe(one.fingerprint.directory);
  });

  it('keeps known fingerprint values (computed piece by piece) and skips them when not wanted', async () => {
    const input = planInput({ snapshot: snapshot({ users: people('a', 'b'), groups: [group({ name: 'G', users: ['b', 'a'] })] }), org: orgSnapshot({ members: [orgMember({ name: 'a' })] }) });
    const full = await plan(input);
    // The same text the fingerprints always hashed, joined in one string.
    const userLines = full.users.map((u) => JSON.stringify([u.externalId, u.email, u.disabled, u.deleted, u.deletedReason ?? null])).sort();
    const groupLines = full.groups.map((g) => JSON.stringify([g.externalId, g.name, [...g.userExternalIds].sort()])).sort();
    expect(full.fingerprint.directory).toBe(await sha256Base64(`users\n${userLines.join('\n')}\ngroups\n${groupLines.join('\n')}`));
    const memberLine = JSON.stringify(['member-a', 'a@example.com', 'a', 2, 2]);
    expect(full.fingerprint.organization).toBe(await sha256Base64(`members\n${memberLine}\ngroups\n`));
    const without = await plan({ ...input, fingerprints: false });
    expect(without.fingerprint).toEqual({ directory: '', organization: null });
    expect({ ...without, fingerprint: full.fingerprint }).toEqual(full);
  });

  it('warns when a single request exceeds the cloud limit without largeImport', async () => {
    const users = Array.from({ length: 2001 }, (_, i) => user({ name: `u${i}` }));
    const result = await plan(planInput({ snapshot: snapshot({ users, groups: null }) }));
    expect(result.warnings.map((w) => w.code)).toContain('cloud-import-limit');
    const batched = await plan(planInput({ snapshot: snapshot({ users, groups: null }), sync: syncConfig({ largeImport: true }) }));
    expect(batched.warnings.map((w) => w.code)).not.toContain('cloud-import-limit');
    expect(batched.requests).toHaveLength(2);
  });

  it('does not send invalid groups but keeps their members flowing to parents', async () => {
    const groups = [group({ name: 'Parent', users: [], children: ['x'.repeat(120)] }), group({ name: 'x'.repeat(120), users: ['a'] })];
    const result = await plan(planInput({ snapshot: snapshot({ users: people('a'), groups }) }));
    expect(result.groups).toEqual([{ externalId: 'Parent', name: 'Parent', userExternalIds: ['a'], childGroupExternalIds: ['x'.repeat(120)] }]);
    expect(result.warnings.map((w) => w.code)).toContain('group-name-invalid');
  });
});

describe('plan: scale', () => {
  it('plans 100k users and 10k groups (avg 50 members, some nesting)', async () => {
    const userCount = 100_000;
    const groupCount = 10_000;
    const users: DirectoryUser[] = new Array<DirectoryUser>(userCount);
    for (let i = 0; i < userCount; i++) {
      users[i] = { externalId: `u${i}`, referenceId: `uid=u${i},ou=people,dc=example,dc=com`, email: `User${i}@Example.com`, disabled: i % 50 === 0, deleted: false };
    }
    const groups = Array.from({ length: groupCount }, (_, g) => {
      const direct: string[] = [];
      for (let k = 0; k < 50; k++) direct.push(`u${(g * 37 + k * 1999) % userCount}`);
      // Every 100th group nests the next 3 groups.
      const children = g % 100 === 0 ? [1, 2, 3].map((d) => `cn=g${(g + d) % groupCount},ou=groups`) : [];
      return { externalId: `g${g}`, referenceId: `cn=g${g},ou=groups`, name: `Group ${g}`, userMemberExternalIds: direct, groupMemberReferenceIds: children };
    });
    const previous = syncState({
      syncedUsers: Array.from({ length: userCount }, (_, i) => ({ externalId: `u${i}`, email: `user${i}@example.com` })),
      lastCounts: { users: userCount, groups: groupCount },
    });
    const result = await plan(planInput({ snapshot: snapshot({ users, groups }), previous, sync: syncConfig({ largeImport: true, removeDisabled: true, maxRemovalPercent: 5 }) }));
    expect(result.users).toHaveLength(userCount);
    expect(result.groups).toHaveLength(groupCount);
    expect(result.summary.deletedUsers).toBe(2000);
    expect(result.summary.removals).toBe(2000);
    expect(result.safety.removalLimit).toBe(5000);
    expect(result.safety.ok).toBe(true);
    expect(result.requests).toHaveLength(49 + 5 + 1);
    expect(result.groups[0]!.userExternalIds).toHaveLength(200);
    expect(result.groups[1]!.userExternalIds).toHaveLength(50);
    expect(result.nextState.syncedUsers).toHaveLength(98_000);
    // A correctness check at scale, not a timing test (benches measure speed): allow a loaded machine.
  }, 60_000);
});

describe('plan: the directory-only view counts every deleted entry it sends (issue #9 item 4)', () => {
  const previous = syncState({ syncedUsers: synced('a', 'old') });

  it('counts a tombstone never synced by dirconn: Vaultwarden revokes by email', async () => {
    const users = [user({ name: 'a' }), user({ name: 'stranger', deleted: true })];
    const result = await plan(planInput({ snapshot: snapshot({ users, groups: null }), previous }));
    expect(result.orgView).toBe('directory-only');
    expect(kinds(result, 'remove').map((c) => c.email)).toEqual(['stranger@example.com', 'old@example.com']);
    expect(result.summary.removals).toBe(2);
  });

  it('sends a tombstone outside the user path only when it was synced before', async () => {
    const users = [
      user({ name: 'a' }),
      user({ name: 'outside', deleted: true, outsideUserScope: true }),
      user({ name: 'old', deleted: true, outsideUserScope: true }),
      user({ name: 'inside', deleted: true }),
    ];
    const result = await plan(planInput({ snapshot: snapshot({ users, groups: null }), previous }));
    const sent = result.requests.flatMap((r) => r.members).filter((m) => m.deleted).map((m) => m.externalId);
    expect(sent.sort()).toEqual(['inside', 'old']);
    expect(kinds(result, 'remove').map((c) => c.externalId).sort()).toEqual(['inside', 'old']);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'tombstone-outside-user-scope', message: expect.stringMatching(/^1 deleted directory entry lies outside the user path/) }));
  });
});
