/**
 * Issue #9 item 6 (pure part): members an unfinished run sent are recorded as pending and count as
 * previously synced, so a leaver among them is sent as deleted by the next complete read.
 */
import { describe, expect, it } from '@jest/globals';
import type { ImportRequest } from '../model/import-request.js';
import { planInput, snapshot, syncState, user } from '../testing/builders.js';
import { knownUsers, withPendingMembers } from './pending-users.js';
import { plan } from './plan.js';

function request(members: ImportRequest['members']): ImportRequest {
  return { groups: [], members, overwriteExisting: false, largeImport: true, inviteUsersAfterProvisioning: false };
}

describe('pending users', () => {
  it('records the active members a request sends that the state does not know, and nothing else', () => {
    const state = syncState({ syncedUsers: [{ externalId: 'alice', email: 'alice@example.com' }] });
    const next = withPendingMembers(
      state,
      request([
        { email: 'alice@example.com', externalId: 'alice', deleted: false },
        { email: 'carol@example.com', externalId: 'carol', deleted: false },
        { email: 'gone@example.com', externalId: 'gone', deleted: true },
      ]),
    );
    expect(next?.pendingUsers).toEqual([{ externalId: 'carol', email: 'carol@example.com' }]);
    expect(next?.syncedUsers).toEqual(state.syncedUsers);
    // Nothing new: no write.
    expect(withPendingMembers(next ?? state, request([{ email: 'carol@example.com', externalId: 'carol', deleted: false }]))).toBeNull();
  });

  it('knows the synced and the pending members, synced first, each once', () => {
    expect(knownUsers(syncState())).toBeNull();
    expect(knownUsers(syncState({ pendingUsers: [{ externalId: 'carol', email: 'c@x' }] }))).toEqual([{ externalId: 'carol', email: 'c@x' }]);
    expect(
      knownUsers(syncState({ syncedUsers: [{ externalId: 'a', email: 'a@x' }], pendingUsers: [{ externalId: 'a', email: 'old@x' }, { externalId: 'b', email: 'b@x' }] })),
    ).toEqual([
      { externalId: 'a', email: 'a@x' },
      { externalId: 'b', email: 'b@x' },
    ]);
  });

  it('a pending member absent from a complete read is sent as deleted (vanished), then forgotten', async () => {
    const previous = syncState({
      syncedUsers: [{ externalId: 'alice', email: 'alice@example.com' }],
      pendingUsers: [{ externalId: 'carol', email: 'carol@example.com' }],
    });
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'alice' })] }), previous }));
    const members = result.requests[0]?.members ?? [];
    expect(members).toContainEqual({ email: 'carol@example.com', externalId: 'carol', deleted: true });
    expect(result.changes.some((c) => c.kind === 'remove' && c.externalId === 'carol')).toBe(true);
    expect(result.nextState).toMatchObject({ syncedUsers: [{ externalId: 'alice', email: 'alice@example.com' }], pendingUsers: null });
  });

  it('a first run that failed after its member batch: the pending member who left is still removed', async () => {
    // No successful sync yet (syncedUsers null): only the pending record knows Carol.
    const previous = syncState({ pendingUsers: [{ externalId: 'carol', email: 'carol@example.com' }] });
    const result = await plan(planInput({ snapshot: snapshot({ users: [user({ name: 'alice' })] }), previous }));
    expect(result.requests[0]?.members).toContainEqual({ email: 'carol@example.com', externalId: 'carol', deleted: true });
  });

  it('a delta read folds the pending members into the synced ones; no user read keeps them pending', async () => {
    const previous = syncState({
      syncedUsers: [{ externalId: 'alice', email: 'alice@example.com' }],
      pendingUsers: [{ externalId: 'carol', email: 'carol@example.com' }],
    });
    const delta = await plan(planInput({ snapshot: snapshot({ mode: 'delta', users: [user({ name: 'dave' })] }), previous }));
    expect(delta.nextState.pendingUsers).toBeNull();
    expect(delta.nextState.syncedUsers?.map((u) => u.externalId).sort()).toEqual(['alice', 'carol', 'dave']);
    const groupsOnly = await plan(planInput({ snapshot: snapshot({ users: null, groups: [] }), previous }));
    expect(groupsOnly.nextState).toMatchObject({ syncedUsers: previous.syncedUsers, pendingUsers: previous.pendingUsers });
  });
});
