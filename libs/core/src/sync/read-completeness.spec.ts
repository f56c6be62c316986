/**
 * Issue #9 item 6: a read that skipped part of the scope (`snapshot.skipped`, e.g. an LDAP referral
 * not followed) is treated like a delta read for removals: nobody removed as vanished (a warning
 * names the skipped part and who is kept), the synced lists merged, the count checks not applied,
 * and overwriteExisting refused.
 */
import { describe, expect, it } from '@jest/globals';
import { planInput, snapshot, syncConfig, syncState, user } from '../testing/builders.js';
import { plan } from './plan.js';

const REFERRAL = 'ldap://remote.example.com/ou=Remote,dc=example,dc=com (referred by the search of dc=example,dc=com; ldap.followReferrals is off)';
const previous = syncState({
  syncedUsers: ['alice', 'bob', 'remote1', 'remote2'].map((name) => ({ externalId: name, email: `${name}@example.com` })),
  lastCounts: { users: 4, groups: 0 },
});

describe('a read that skipped part of the scope', () => {
  it('removes nobody as vanished, names the referral and who is kept, and keeps them in the state', async () => {
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'alice' }), user({ name: 'bob' })], skipped: [REFERRAL] }), previous, sync: syncConfig({ maxRemovals: 1 }) }));
    expect(result.requests[0]?.members.filter((m) => m.deleted)).toEqual([]);
    expect(result.changes.filter((c) => c.kind === 'remove')).toEqual([]);
    const warning = result.warnings.find((w) => w.code === 'read-incomplete');
    expect(warning?.message).toContain('ldap://remote.example.com/ou=Remote');
    expect(warning?.message).toContain('2 previously synced user(s) are not in this read and are kept: remote1@example.com, remote2@example.com');
    // The count drop (4 → 2 > limit 1) is not checked: an incomplete read cannot count.
    expect(result.safety.ok).toBe(true);
    expect(result.safety.checks.find((c) => c.rule === 'user-count-drop')?.message).toContain('Not applicable');
    expect(result.safety.checks.find((c) => c.rule === 'incomplete-read')).toMatchObject({ passed: true, message: expect.stringContaining('nobody is removed as vanished') });
    expect(result.nextState.syncedUsers?.map((u) => u.externalId).sort()).toEqual(['alice', 'bob', 'remote1', 'remote2']);
    expect(result.nextState.lastFullSync).toBeNull();
  });

  it('the same read without a skipped part removes the two as vanished', async () => {
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'alice' }), user({ name: 'bob' })] }), previous, sync: syncConfig({ maxRemovals: 2 }) }));
    expect(result.requests[0]?.members.filter((m) => m.deleted).map((m) => m.externalId)).toEqual(['remote1', 'remote2']);
  });

  it('stops with overwriteExisting: the import would remove everyone on the skipped server', async () => {
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'alice' })], skipped: [REFERRAL] }), previous, sync: syncConfig({ overwriteExisting: true, maxRemovals: 100 }) }));
    expect(result.safety.ok).toBe(false);
    expect(result.safety.checks.find((c) => !c.passed)).toMatchObject({ rule: 'incomplete-read', message: expect.stringContaining('sync.overwriteExisting is on') });
  });
});
