/**
 * Which organization groups need their member ids read for this plan (issue #14 target 2).
 *
 * Reading a group's members costs one request per group (`GET /public/groups/{id}/member-ids`):
 * 10,000 requests per run for 10,000 groups, every 5 minutes. The import replaces a group's members
 * with the ones it sends, so a group whose directory members are the same as at the last successful
 * sync comes out of the import as that sync left it. Its current members only matter to show drift
 * (members added by hand since), which the periodic full check (`sync.fullSyncIntervalHours`) shows.
 *
 * A group's members are read when: the full check is due (never done, interval elapsed or 0, a
 * forced run); the group is new to the state; or its members differ from the last sync's (per-group
 * digest of the member externalIds). Everything else keeps `memberIds: null` ("not read") and the
 * diff assumes it unchanged.
 */
import type { OrgGroup } from '../model/organization.js';
import type { SyncState } from '../model/state.js';
import type { PlanGroup } from './plan.types.js';

/**
 * Order-independent digest of a group's member externalIds: count plus two 32-bit sums of a
 * per-id FNV-1a hash with different seeds. Not cryptographic: it only tells "changed since the last
 * sync" for a list that dirconn itself built; a miss is corrected by the next full check.
 */
export function groupMembersDigest(userExternalIds: readonly string[]): string {
  let sumA = 0;
  let sumB = 0;
  for (const id of userExternalIds) {
    let a = 0x811c9dc5;
    let b = 0x01000193 ^ id.length;
    for (let i = 0; i < id.length; i++) {
      const code = id.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995);
      b ^= b >>> 13;
    }
    sumA = (sumA + (a >>> 0)) >>> 0;
    sumB = (sumB + (b >>> 0)) >>> 0;
  }
  return `${userExternalIds.length.toString(36)}.${sumA.toString(36)}.${sumB.toString(36)}`;
}

/** Digests of the groups as sent, by externalId. */
export function groupMembersDigests(groups: readonly PlanGroup[]): Map<string, string> {
  const digests = new Map<string, string>();
  for (const group of groups) digests.set(group.externalId, groupMembersDigest(group.userExternalIds));
  return digests;
}

/** True when this run must read every group's members (see the module comment). */
export function fullMembershipCheckDue(previous: SyncState, fullSyncIntervalHours: number, now: Date, forced: boolean): boolean {
  if (forced || previous.groupMemberDigests === null || previous.lastMembershipCheck === null) return true;
  if (fullSyncIntervalHours <= 0) return true;
  const age = now.getTime() - Date.parse(previous.lastMembershipCheck);
  return !(age >= 0 && age < fullSyncIntervalHours * 3_600_000);
}

/**
 * The organization groups (by id) whose member ids are still unread and needed: all of them when the
 * full check is due, else the ones matched by a sent group that is new or whose members changed.
 */
export function groupsToRead(input: {
  groups: readonly PlanGroup[];
  orgGroups: readonly OrgGroup[];
  previous: SyncState;
  digests: ReadonlyMap<string, string>;
  fullCheck: boolean;
}): string[] {
  const unread = input.orgGroups.filter((g) => g.memberIds === null);
  if (unread.length === 0) return [];
  if (input.fullCheck) return unread.map((g) => g.id);
  const previousDigests = input.previous.groupMemberDigests ?? {};
  const changed = new Set<string>();
  for (const group of input.groups) {
    const before = Object.prototype.hasOwnProperty.call(previousDigests, group.externalId) ? previousDigests[group.externalId] : undefined;
    if (before === undefined || before !== input.digests.get(group.externalId)) changed.add(group.externalId);
  }
  // Several org groups with one externalId are a problem the diff reports: read them all then.
  return unread.filter((g) => g.externalId !== null && changed.has(g.externalId)).map((g) => g.id);
}
