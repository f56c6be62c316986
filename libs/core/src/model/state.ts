/**
 * What dirconn remembers between runs (per configuration). Saved atomically and only after a
 * successful sync.
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
  /** Group externalIds sent by the last successful sync. */
  syncedGroups: string[] | null;
}

export const EMPTY_SYNC_STATE: SyncState = {
  lastSyncHash: null,
  lastUserSync: null,
  lastGroupSync: null,
  lastFullSync: null,
  cursor: null,
  lastCounts: null,
  syncedUsers: null,
  syncedGroups: null,
};
