/**
 * Members a run may have put into the organization before it finished (issue #9 item 6). The server
 * has no transaction: in a batched import the member batches can be accepted and a group batch fail
 * on every run, and a process can die between a successful POST and saving the state. Whoever was
 * sent in such a window must still be detected as a leaver later, so each request's members are
 * recorded in `SyncState.pendingUsers` BEFORE it is posted (write-ahead), and vanished detection
 * consults the synced and the pending members together.
 */
import type { ImportRequest } from '../model/import-request.js';
import type { SyncedUser, SyncState } from '../model/state.js';

/**
 * Everyone the organization may hold from earlier runs: the last successful sync's members, then
 * the pending ones it does not list (by externalId). Null when neither is known.
 */
export function knownUsers(state: Pick<SyncState, 'syncedUsers' | 'pendingUsers'>): SyncedUser[] | null {
  const synced = state.syncedUsers;
  const pending = state.pendingUsers ?? [];
  if (pending.length === 0) return synced;
  const known = new Set((synced ?? []).map((u) => u.externalId));
  const merged = [...(synced ?? [])];
  for (const user of pending) {
    if (known.has(user.externalId)) continue;
    known.add(user.externalId);
    merged.push(user);
  }
  return merged;
}

/**
 * The state to save before posting `request`: its active members that the state does not know yet
 * added to `pendingUsers`. Null when there is nothing new to record (no write needed).
 */
export function withPendingMembers(state: SyncState, request: ImportRequest): SyncState | null {
  const known = new Set((knownUsers(state) ?? []).map((u) => u.externalId));
  const added: SyncedUser[] = [];
  for (const member of request.members) {
    if (member.deleted || known.has(member.externalId)) continue;
    known.add(member.externalId);
    added.push({ externalId: member.externalId, email: member.email });
  }
  if (added.length === 0) return null;
  return { ...state, pendingUsers: [...(state.pendingUsers ?? []), ...added] };
}
