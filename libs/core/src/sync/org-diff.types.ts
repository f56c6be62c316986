/** What the organization diffs (live and directory-only) take and give back. */
import type { ReadWarning } from '../model/directory.js';
import type { SyncState } from '../model/state.js';
import type { GroupMembershipLoss, PlanGroup, PlannedChange, PlanUser } from './plan.types.js';

/** What an organization diff needs from the plan. */
export interface DiffContext {
  /** Members as sent (empty when user sync is off). */
  users: readonly PlanUser[];
  /** Groups as sent (empty when group sync is off: the server then skips groups). */
  groups: readonly PlanGroup[];
  overwriteExisting: boolean;
  previous: SyncState;
}

/** What the import would change in the organization, and what stands in its way. */
export interface DiffResult {
  changes: PlannedChange[];
  /** The `remove` changes (also in `changes`). */
  removals: PlannedChange[];
  /** overwriteExisting without any way to count its removals (no org, no previous state). */
  removalsUnknown: boolean;
  unchangedMembers: number;
  unchangedGroups: number;
  /** Groups whose members were not read and are assumed unchanged (live view only). */
  assumedGroups: number;
  /** Identity conflicts that make the server answer 500 (duplicate-external-id safety rule). */
  problems: string[];
  warnings: ReadWarning[];
  /** Groups that lose members, and the memberships they had (the membership-removal limit's base). */
  membership: { losses: GroupMembershipLoss[]; currentMemberships: number };
}
