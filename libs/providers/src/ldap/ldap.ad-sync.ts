/** Active Directory sync defaults and their save-time normalisation (reference §4.2). Pure. */
import type { SyncConfig } from '@dirconn/core';

/** The AD attribute defaults (reference §4.2). */
export const AD_SYNC_DEFAULTS = {
  userObjectClass: 'person',
  groupObjectClass: 'group',
  userEmailAttribute: 'mail',
  groupNameAttribute: 'name',
  memberAttribute: 'member',
  emailPrefixAttribute: 'sAMAccountName',
  creationDateAttribute: 'whenCreated',
  revisionDateAttribute: 'whenChanged',
} as const;

/**
 * Reference §4.2 save-time normalisation: with `ad`, the eight attribute fields are overwritten with
 * the AD values and `userPath`/`groupPath` become `CN=Users` when null. Without `ad`, unchanged.
 */
export function normalizeAdSync(sync: SyncConfig, ad: boolean): SyncConfig {
  if (!ad) return sync;
  return {
    ...sync,
    ...AD_SYNC_DEFAULTS,
    userPath: sync.userPath ?? 'CN=Users',
    groupPath: sync.groupPath ?? 'CN=Users',
  };
}
