/**
 * Pure mapping of Admin SDK Directory API objects to dirconn's users and groups (reference §6.3,
 * directory-apis.md §3.4), and the reasons a user or group is left out (for warnings and `explain`).
 *
 * - User: `externalId = referenceId = id`; email = `primaryEmail` trimmed and lower-cased;
 *   `disabled = suspended || archived`; users from the `showDeleted` pass are `deleted`. A user that
 *   is not deleted and has no address (`emails` empty) is skipped, as in the reference, but counted
 *   so the run can say so.
 * - Group: `name`; members `USER` with status ACTIVE → user member; `GROUP` → child group (flattened
 *   by core); `CUSTOMER` (the whole account) → every user read in this run; anything else (EXTERNAL,
 *   suspended members) is skipped.
 */
import type { DirectoryGroup, DirectoryUser } from '@dirconn/core';
import { passesSetFilter, type SetFilter } from '../shared/set-filter.js';

/** A user as `users.list` returns it (the fields dirconn reads). */
export interface GoogleApiUser {
  id: string;
  primaryEmail?: string;
  suspended?: boolean;
  archived?: boolean;
  emails?: { address?: string; primary?: boolean }[];
  name?: { fullName?: string; givenName?: string; familyName?: string };
  orgUnitPath?: string;
  deletionTime?: string;
}

/** A group as `groups.list` returns it. */
export interface GoogleApiGroup {
  id: string;
  email?: string;
  name?: string;
  /** A decimal count as a string ("0" for an empty group). */
  directMembersCount?: string;
}

/** A member as `members.list` returns it. */
export interface GoogleApiMember {
  id?: string;
  email?: string;
  role?: string;
  /** USER, GROUP, CUSTOMER or EXTERNAL. */
  type?: string;
  /** ACTIVE, SUSPENDED, … (users only). */
  status?: string;
}

/** Why a non-deleted user is not mapped, or null when it maps. */
export function userSkipReason(user: GoogleApiUser): string | null {
  if (typeof user.id !== 'string' || user.id === '') return 'it has no id';
  if ((user.emails?.length ?? 0) === 0) return 'it has no email address (emails is empty)';
  if (!user.primaryEmail?.trim()) return 'it has no primaryEmail';
  return null;
}

/**
 * Maps one user; `deleted` for users of the `showDeleted` pass. Returns null for a non-deleted user
 * that {@link userSkipReason} rejects (a deleted user always maps, so its removal is never lost).
 */
export function mapGoogleUser(user: GoogleApiUser, deleted: boolean): DirectoryUser | null {
  if (!deleted && userSkipReason(user) !== null) return null;
  if (typeof user.id !== 'string' || user.id === '') return null;
  const email = user.primaryEmail?.trim().toLowerCase() || null;
  const mapped: DirectoryUser = {
    externalId: user.id,
    referenceId: user.id,
    email,
    disabled: user.suspended === true || user.archived === true,
    deleted,
  };
  const displayName = user.name?.fullName?.trim();
  if (displayName) mapped.displayName = displayName;
  return mapped;
}

/** Why a user is disabled ("suspended", "archived", both), or null. */
export function disabledReason(user: Pick<GoogleApiUser, 'suspended' | 'archived'>): string | null {
  const reasons = [user.suspended === true ? 'suspended' : null, user.archived === true ? 'archived' : null].filter((r) => r !== null);
  return reasons.length === 0 ? null : reasons.join(' and ');
}

/** How the members of one group resolve. */
export interface GroupMembers {
  /** Direct user members, by user id (order of first appearance, no duplicates). */
  userIds: string[];
  /** Direct child groups, by group id. */
  groupIds: string[];
  /** The group holds a CUSTOMER member: the whole account. */
  wholeAccount: boolean;
  /** Members skipped (EXTERNAL, suspended users, unknown types), counted for the run's warnings. */
  skipped: number;
}

/** Classifies the direct members of one group (reference §6.3). */
export function resolveMembers(members: readonly GoogleApiMember[]): GroupMembers {
  const users = new Set<string>();
  const groups = new Set<string>();
  let wholeAccount = false;
  let skipped = 0;
  for (const member of members) {
    const type = member.type?.toUpperCase();
    const id = member.id;
    if (type === 'CUSTOMER') wholeAccount = true;
    else if (type === 'USER' && id && member.status?.toUpperCase() === 'ACTIVE') users.add(id);
    else if (type === 'GROUP' && id) groups.add(id);
    else skipped++;
  }
  return { userIds: [...users], groupIds: [...groups], wholeAccount, skipped };
}

/**
 * Maps one group with its resolved members. A CUSTOMER member makes every user of `allUserIds` (the
 * users read in this run) a member, like the reference; the caller reports it.
 */
export function mapGoogleGroup(group: GoogleApiGroup, members: GroupMembers, allUserIds: readonly string[]): DirectoryGroup {
  const userIds = members.wholeAccount ? [...new Set([...members.userIds, ...allUserIds])] : members.userIds;
  return {
    externalId: group.id,
    referenceId: group.id,
    name: (group.name ?? group.email ?? group.id).trim(),
    userMemberExternalIds: userIds,
    groupMemberReferenceIds: members.groupIds,
  };
}

/** True when `members.list` can be skipped: Google says the group has no direct members. */
export function isKnownEmpty(group: GoogleApiGroup): boolean {
  return group.directMembersCount === '0';
}

/** Why the set clause drops a candidate, or null when it passes (for explain and warnings). */
export function setFilterVerdict(filter: SetFilter | null, candidate: string | null | undefined, setting: string): { passed: boolean; detail: string } {
  if (filter === null) return { passed: true, detail: `no set clause in ${setting}` };
  const passed = passesSetFilter(filter, candidate);
  const value = candidate?.trim().toLowerCase() || '--';
  const listed = filter.values.has(value);
  const clause = `${filter.mode}:${[...filter.values].join(',')}`;
  if (filter.mode === 'include') return { passed, detail: listed ? `${value} is listed in ${setting} (${clause})` : `${value} is not listed in ${setting} (${clause}), so it is filtered out` };
  return { passed, detail: listed ? `${value} is excluded by ${setting} (${clause})` : `${value} is not excluded by ${setting} (${clause})` };
}
