/**
 * Pure mapping of Okta Management API objects to dirconn's users and groups (reference §6.4,
 * directory-apis.md §4.4):
 *
 * - User: `externalId = referenceId = id`; email = `profile.email` trimmed and lower-cased;
 *   `deleted = status DEPROVISIONED`; `disabled = status SUSPENDED`. Every other status (ACTIVE,
 *   STAGED, PROVISIONED, RECOVERY, LOCKED_OUT, PASSWORD_EXPIRED) counts as active, as in the reference:
 *   a locked-out or not-yet-activated person is still a member of the organization.
 * - Group: `name = profile.name`; OKTA_GROUP, APP_GROUP and the BUILT_IN "Everyone" group are all
 *   synced like any other group (the reference lists every group the API returns); members are the
 *   ids of `groups/{id}/users`. Okta has no nested groups.
 */
import type { DirectoryGroup, DirectoryUser } from '@dirconn/core';

/** Okta user statuses (directory-apis.md §4.2). */
export const OKTA_USER_STATUSES = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED', 'DEPROVISIONED'] as const;

/** A user as `GET /api/v1/users` returns it (the fields dirconn reads). */
export interface OktaApiUser {
  id: string;
  status?: string;
  lastUpdated?: string;
  profile?: { email?: string | null; login?: string; firstName?: string | null; lastName?: string | null; displayName?: string | null };
}

/** A group as `GET /api/v1/groups` returns it. */
export interface OktaApiGroup {
  id: string;
  /** OKTA_GROUP, APP_GROUP or BUILT_IN. */
  type?: string;
  lastUpdated?: string;
  lastMembershipUpdated?: string;
  profile?: { name?: string; description?: string | null };
}

/** What a user's status means for the sync. */
export function statusEffect(status: string | undefined): 'deleted' | 'disabled' | 'active' {
  if (status === 'DEPROVISIONED') return 'deleted';
  if (status === 'SUSPENDED') return 'disabled';
  return 'active';
}

/** Maps one user; null when it has no id (never returned by Okta, but a malformed page must not map). */
export function mapOktaUser(user: OktaApiUser): DirectoryUser | null {
  if (typeof user.id !== 'string' || user.id === '') return null;
  const effect = statusEffect(user.status);
  const mapped: DirectoryUser = {
    externalId: user.id,
    referenceId: user.id,
    email: typeof user.profile?.email === 'string' ? user.profile.email.trim().toLowerCase() || null : null,
    disabled: effect === 'disabled',
    deleted: effect === 'deleted',
  };
  const name = user.profile?.displayName?.trim() || [user.profile?.firstName, user.profile?.lastName].filter((p) => typeof p === 'string' && p.trim() !== '').join(' ').trim();
  if (name) mapped.displayName = name;
  return mapped;
}

/** The group's name (`profile.name`, else its id). */
export function oktaGroupName(group: OktaApiGroup): string {
  return (group.profile?.name ?? '').trim() || group.id;
}

/** Maps one group with the ids of its direct members (order kept, duplicates dropped). */
export function mapOktaGroup(group: OktaApiGroup, memberIds: readonly string[]): DirectoryGroup {
  return { externalId: group.id, referenceId: group.id, name: oktaGroupName(group), userMemberExternalIds: [...new Set(memberIds)], groupMemberReferenceIds: [] };
}

/** Ids first seen in `a` then `b`, without duplicates: the deterministic order of the two user lists. */
export function mergeById<T extends { id: string }>(...lists: readonly T[][]): T[] {
  const byId = new Map<string, T>();
  for (const list of lists) for (const item of list) if (!byId.has(item.id)) byId.set(item.id, item);
  return [...byId.values()];
}
