/**
 * The "directory-only" organization diff: without a readable organization (Vaultwarden, or not
 * requested), the changes are derived from what the previous successful sync sent, and each reason
 * says that this is not verified against the organization.
 */
import { removalReason, REMOVAL_REASONS } from './change-reasons.js';
import { normalizeEmail } from './normalize.js';
import type { DiffContext, DiffResult } from './org-diff.types.js';
import type { GroupMembershipLoss, PlanGroup, PlannedChange } from './plan.types.js';
import type { SyncState } from '../model/state.js';

/** Without a readable organization: changes relative to what the last successful sync sent. */
export function diffDirectoryOnly(context: DiffContext): DiffResult {
  const { users, groups, overwriteExisting, previous } = context;
  const changes: PlannedChange[] = [];
  const removals: PlannedChange[] = [];
  const previousUsers = previous.syncedUsers;
  const previousByExternalId = new Map<string, string>();
  const previousByEmail = new Map<string, string>();
  for (const synced of previousUsers ?? []) {
    previousByExternalId.set(synced.externalId, synced.email);
    const email = normalizeEmail(synced.email);
    if (email !== null && !previousByEmail.has(email)) previousByEmail.set(email, synced.externalId);
  }
  const activeIds = new Set<string>();
  for (const user of users) if (!user.deleted) activeIds.add(user.externalId);

  const removedIds = new Set<string>();
  const remove = (externalId: string, email: string, reason: string): void => {
    if (removedIds.has(externalId)) return;
    removedIds.add(externalId);
    const change: PlannedChange = { kind: 'remove', externalId, email, reason };
    changes.push(change);
    removals.push(change);
  };
  // Every deleted entry sent could match a member: the official server removes by externalId, but
  // Vaultwarden revokes by EMAIL, so even an entry dirconn never synced can revoke a member with
  // the same email (issue #9 item 4). Without the organization, each one counts.
  for (const user of users) {
    if (!user.deleted || activeIds.has(user.externalId)) continue;
    remove(user.externalId, user.email, removalReason(user));
  }
  let removalsUnknown = false;
  if (overwriteExisting) {
    if (previousUsers === null) removalsUnknown = true;
    else for (const synced of previousUsers) if (!activeIds.has(synced.externalId)) remove(synced.externalId, synced.email, REMOVAL_REASONS.overwrite);
  }

  let unchangedMembers = 0;
  for (const user of users) {
    if (user.deleted) continue;
    const previousEmail = previousByExternalId.get(user.externalId);
    if (previousEmail !== undefined) {
      if (normalizeEmail(previousEmail) !== user.email) {
        changes.push({
          kind: 'email-change',
          externalId: user.externalId,
          email: user.email,
          reason:
            `the last sync sent ${previousEmail} for this externalId and the directory now has ${user.email}; the server never updates a member's email, ` +
            `so the member most likely stays ${previousEmail} (organization not read, so this is not verified)`,
        });
      } else {
        unchangedMembers += 1;
      }
      continue;
    }
    const otherId = previousByEmail.get(user.email);
    if (otherId !== undefined) {
      const leaving = removedIds.has(otherId) ? ` and this sync removes "${otherId}", so the person loses access` : '';
      changes.push({
        kind: 'external-id-change',
        externalId: user.externalId,
        email: user.email,
        reason:
          `the last sync sent ${user.email} with externalId "${otherId}"; the server skips invites for emails already in the organization, so "${user.externalId}" ` +
          `will most likely not be invited (no duplicate is created)${leaving}. Correct the member's externalId in the organization if the directory id changed.`,
      });
      continue;
    }
    changes.push({
      kind: 'invite',
      externalId: user.externalId,
      email: user.email,
      reason:
        previousUsers === null
          ? 'not synced by dirconn before (organization not read: an existing member with this email would be linked instead)'
          : 'new since the last sync (organization not read: an existing member with this email would be linked instead)',
    });
  }

  let unchangedGroups = 0;
  const previousGroups = previous.syncedGroups === null ? null : new Set(previous.syncedGroups);
  for (const group of groups) {
    if (previousGroups !== null && previousGroups.has(group.externalId)) {
      unchangedGroups += 1;
      continue;
    }
    changes.push({
      kind: 'group-create',
      externalId: group.externalId,
      group: group.name,
      reason: `${previousGroups === null ? 'not synced by dirconn before' : 'new since the last sync'} (organization not read: an existing group with this externalId would be updated instead); ${group.userExternalIds.length} member(s)`,
    });
  }

  return { changes, removals, removalsUnknown, unchangedMembers, unchangedGroups, assumedGroups: 0, problems: [], warnings: [], membership: membershipLossSinceLastSync(groups, previous) };
}

/**
 * Without the organization's groups: each group's member count against the last sync's. A group
 * emptied loses all it had; otherwise the drop is a lower bound (a swap of members is not seen).
 */
function membershipLossSinceLastSync(groups: readonly PlanGroup[], previous: SyncState): DiffResult['membership'] {
  const counts = previous.groupMemberCounts;
  if (counts === null) return { losses: [], currentMemberships: 0 };
  // A Map, not the object: an externalId such as "constructor" must not read Object.prototype.
  const before = new Map(Object.entries(counts));
  let currentMemberships = 0;
  for (const count of before.values()) currentMemberships += count;
  const losses: GroupMembershipLoss[] = [];
  for (const group of groups) {
    const had = before.get(group.externalId) ?? 0;
    const after = group.userExternalIds.length;
    const emptied = had > 0 && after === 0;
    const removed = emptied ? had : Math.max(0, had - after);
    if (removed > 0) losses.push({ externalId: group.externalId, name: group.name, before: had, removed, emptied });
  }
  return { losses, currentMemberships };
}
