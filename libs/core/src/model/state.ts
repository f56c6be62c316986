/**
 * What dirconn remembers between runs, per organization (server + organization id, issue #9 item 2):
 * who was synced belongs to the organization, not to one directory configuration, so changing a
 * setting never forgets it. Saved atomically after a successful sync, and before each import
 * request that sends members (`pendingUsers`, issue #9 item 6).
 */

/** A user the last successful sync sent to the organization as a member (not deleted). */
export interface SyncedUser {
  externalId: string;
  email: string;
}

export interface SyncState {
  /** base64(SHA-256(apiUrl + organizationId + requestJson)), reference §7.6. */
  lastSyncHash: string | null;
  /** ISO time of the last successful user / group sync (reference `lastUserSync`, `lastGroupSync`). */
  lastUserSync: string | null;
  lastGroupSync: string | null;
  /** ISO time of the last successful full (non-delta) read. */
  lastFullSync: string | null;
  /** Provider delta cursor from the last successful sync. */
  cursor: unknown;
  /** Counts of the last successful sync, for the empty-read and count-drop checks. */
  lastCounts: { users: number; groups: number } | null;
  /** Members sent (not deleted) by the last successful sync: vanished and identity-change detection. */
  syncedUsers: SyncedUser[] | null;
  /**
   * Members a run that has not finished yet sent (or was about to send) as active: written before
   * each import request that carries members the state does not know, so a run whose later batch
   * fails, or a process that dies after the server accepted a request, still remembers who may be in
   * the organization. Vanished detection consults them with `syncedUsers`; the next successful sync
   * that reads users folds them in. Null when none (issue #9 item 6).
   */
  pendingUsers: SyncedUser[] | null;
  /** Group externalIds sent by the last successful sync. */
  syncedGroups: string[] | null;
  /**
   * Members of each group (by externalId) as sent by the last successful sync, for the
   * membership-removal checks without a readable organization; null when unknown (older state).
   */
  groupMemberCounts: Record<string, number> | null;
  /**
   * Digest of each group's members (by externalId) as sent by the last successful sync: a group whose
   * digest is unchanged needs no member read from the organization (see sync/group-members-check.ts);
   * null when unknown (older state).
   */
  groupMemberDigests: Record<string, string> | null;
  /** ISO time of the last successful sync that read every organization group's members; null: never. */
  lastMembershipCheck: string | null;
  /** Which source the synced lists came from (type and identity); null when unknown (older state). */
  source: SyncSource | null;
}

/**
 * The source a sync read: its directory type and what identifies the directory itself (the LDAP
 * base DN, the sample file…, see `ProviderDefinition.sourceIdentity`). A change of either is shown
 * as "the source changed" and stops the run unless allowed.
 */
export interface SyncSource {
  /** Directory type (`ldap`, `sample`, …). */
  type: string;
  /** The source's identity (normalised), or null when the definition declares none. */
  identity: string | null;
}

export const EMPTY_SYNC_STATE: SyncState = {
  lastSyncHash: null,
  lastUserSync: null,
  lastGroupSync: null,
  lastFullSync: null,
  cursor: null,
  lastCounts: null,
  syncedUsers: null,
  pendingUsers: null,
  syncedGroups: null,
  groupMemberCounts: null,
  groupMemberDigests: null,
  lastMembershipCheck: null,
  source: null,
};
