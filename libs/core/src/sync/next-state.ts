/** The sync state a plan saves once it has been applied successfully. */
import type { SyncedUser, SyncState } from '../model/state.js';
import { knownUsers } from './pending-users.js';
import { isCompleteRead } from './read-completeness.js';
import type { PlanGroup, PlanInput, PlanUser } from './plan.types.js';

/** What the next state is built from. */
export interface NextStateInput {
  input: PlanInput;
  users: readonly PlanUser[];
  activeUsers: readonly PlanUser[];
  groups: readonly PlanGroup[];
  /** Member digests of the groups as sent, by externalId (group-members-check.ts). */
  digests: ReadonlyMap<string, string>;
  /** Every organization group's members were read for this plan (the full membership check). */
  membershipChecked: boolean;
  hash: string | null;
}

/**
 * The state to save after a successful apply: what was synced (replaced by a full read, merged by a
 * delta read, kept when not read), the counts, the sync times and the provider's cursor. Members an
 * unfinished run sent (`pendingUsers`) are folded in by any run that read users: a full read sent
 * the absent ones as vanished, a delta read merges them; without a user read they stay pending.
 */
export function buildNextState(s: NextStateInput): SyncState {
  const { snapshot, previous, sync, now } = s.input;
  // A read that skipped part of the scope is merged like a delta read: whoever it did not see stays.
  const full = isCompleteRead(snapshot);
  const nowText = now.toISOString();

  let syncedUsers: SyncedUser[] | null = previous.syncedUsers;
  let pendingUsers: SyncedUser[] | null = previous.pendingUsers;
  if (snapshot.users !== null) {
    pendingUsers = null;
    if (full) {
      syncedUsers = s.activeUsers.map((u) => ({ externalId: u.externalId, email: u.email }));
    } else {
      const merged = new Map<string, string>();
      for (const synced of knownUsers(previous) ?? []) merged.set(synced.externalId, synced.email);
      for (const user of s.users) {
        if (user.deleted) merged.delete(user.externalId);
        else merged.set(user.externalId, user.email);
      }
      syncedUsers = [...merged].map(([externalId, email]) => ({ externalId, email }));
    }
  }

  let syncedGroups: string[] | null = previous.syncedGroups;
  if (snapshot.groups !== null) {
    if (full) {
      syncedGroups = s.groups.map((g) => g.externalId);
    } else {
      const merged = new Set(previous.syncedGroups ?? []);
      for (const group of s.groups) merged.add(group.externalId);
      syncedGroups = [...merged];
    }
  }

  let groupMemberCounts: Record<string, number> | null = previous.groupMemberCounts;
  if (snapshot.groups !== null) {
    // A delta read without group changes returns no groups: the last counts stand.
    const counts = new Map<string, number>(full ? [] : Object.entries(previous.groupMemberCounts ?? {}));
    for (const group of s.groups) counts.set(group.externalId, group.userExternalIds.length);
    groupMemberCounts = Object.fromEntries(counts);
  }

  let groupMemberDigests: Record<string, string> | null = previous.groupMemberDigests;
  if (snapshot.groups !== null) {
    const merged = new Map<string, string>(full ? [] : Object.entries(previous.groupMemberDigests ?? {}));
    for (const [externalId, digest] of s.digests) merged.set(externalId, digest);
    groupMemberDigests = Object.fromEntries(merged);
  }

  const lastCounts = {
    users: snapshot.users !== null ? (syncedUsers?.length ?? 0) : (previous.lastCounts?.users ?? 0),
    groups: snapshot.groups !== null ? (syncedGroups?.length ?? 0) : (previous.lastCounts?.groups ?? 0),
  };

  return {
    lastSyncHash: s.hash,
    lastUserSync: sync.users ? nowText : previous.lastUserSync,
    lastGroupSync: sync.groups ? nowText : previous.lastGroupSync,
    lastFullSync: full ? nowText : previous.lastFullSync,
    cursor: snapshot.cursor !== undefined ? snapshot.cursor : null,
    lastCounts: snapshot.users === null && snapshot.groups === null ? previous.lastCounts : lastCounts,
    syncedUsers,
    pendingUsers,
    syncedGroups,
    groupMemberCounts,
    groupMemberDigests,
    lastMembershipCheck: s.membershipChecked ? nowText : previous.lastMembershipCheck,
    source: s.input.source ?? previous.source,
  };
}
