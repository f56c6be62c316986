/**
 * Pure mapping of OneLogin API v2 objects to dirconn's users and groups (reference §6.5,
 * directory-apis.md §5.4):
 *
 * - User: `externalId = referenceId = String(id)` (OneLogin ids are integers; ours are strings).
 *   `disabled = status 2` (Suspended); every other status counts as active, as in the reference (a
 *   locked or not-yet-activated person is still a member). `deleted` is never set: a deleted OneLogin
 *   user vanishes from the list, and core removes previously synced users that vanish from a complete
 *   read.
 * - Email, as the reference: `email` when it looks like an address (non-space `@` non-space `.`
 *   non-space), else `username` when it does, else `username + sync.emailSuffix` when
 *   `sync.useEmailPrefixSuffix` is on; trimmed and lower-cased. A user still without one keeps
 *   `email: null`: it is not synced, and core names it in the `user-no-email` warning — but it stays
 *   in the read, so a previously synced person is never removed just because an address went bad.
 * - Group = role: `name = role.name`; members are the ids of `GET /api/2/roles/{id}/users`.
 */
import type { DirectoryGroup, DirectoryUser, SyncConfig } from '@dirconn/core';

/** A user as `GET /api/2/users` returns it (the fields dirconn reads). */
export interface OneLoginApiUser {
  id: number | string;
  email?: string | null;
  username?: string | null;
  firstname?: string | null;
  lastname?: string | null;
  status?: number | null;
  state?: number | null;
}

/** A role as `GET /api/2/roles` returns it. */
export interface OneLoginApiRole {
  id: number | string;
  name?: string | null;
}

/** A member as `GET /api/2/roles/{id}/users` returns it (`assigned: false` only with include_unassigned). */
export interface OneLoginApiRoleUser {
  id: number | string;
  assigned?: boolean;
}

/** OneLogin user status codes (directory-apis.md §5.4). */
export const ONELOGIN_STATUSES: Readonly<Record<number, string>> = {
  0: 'Unactivated',
  1: 'Active',
  2: 'Suspended',
  3: 'Locked',
  4: 'Password expired',
  5: 'Awaiting password reset',
  7: 'Password pending',
  8: 'Security questions required',
};

/** The reference's "looks like an email" test: non-space `@` non-space `.` non-space. */
export function looksLikeEmail(value: string | null | undefined): boolean {
  return typeof value === 'string' && /^\S+@\S+\.\S+$/.test(value.trim());
}

/** Where a user's email came from, or why there is none. */
export type EmailSource = 'email' | 'username' | 'username+suffix' | 'none';

/** The email of a user by the reference's rules, and where it came from. */
export function oneLoginEmail(user: Pick<OneLoginApiUser, 'email' | 'username'>, sync: Pick<SyncConfig, 'useEmailPrefixSuffix' | 'emailSuffix'>): { email: string | null; source: EmailSource } {
  if (looksLikeEmail(user.email)) return { email: (user.email ?? '').trim().toLowerCase(), source: 'email' };
  if (looksLikeEmail(user.username)) return { email: (user.username ?? '').trim().toLowerCase(), source: 'username' };
  const username = (user.username ?? '').trim();
  if (sync.useEmailPrefixSuffix && username !== '' && sync.emailSuffix) {
    const built = `${username}${sync.emailSuffix.trim()}`;
    if (looksLikeEmail(built)) return { email: built.toLowerCase(), source: 'username+suffix' };
  }
  return { email: null, source: 'none' };
}

/** The id as dirconn's string id, or null when it is not a usable id. */
export function oneLoginId(id: unknown): string | null {
  if (typeof id === 'number' && Number.isSafeInteger(id)) return String(id);
  if (typeof id === 'string' && id.trim() !== '') return id.trim();
  return null;
}

/** "Suspended (2)", "status 6". */
export function describeStatus(status: number | null | undefined): string {
  if (typeof status !== 'number') return 'no status';
  const name = ONELOGIN_STATUSES[status];
  return name === undefined ? `status ${status}` : `${name} (${status})`;
}

/** The user's display name: first and last name, else the username. */
export function oneLoginDisplayName(user: OneLoginApiUser): string {
  const name = [user.firstname, user.lastname].filter((p) => typeof p === 'string' && p.trim() !== '').join(' ').trim();
  return name || (user.username ?? '').trim();
}

/** Maps one user; null when it has no usable id (a malformed page must not map). */
export function mapOneLoginUser(user: OneLoginApiUser, sync: Pick<SyncConfig, 'useEmailPrefixSuffix' | 'emailSuffix'>): { user: DirectoryUser; source: EmailSource } | null {
  const id = oneLoginId(user.id);
  if (id === null) return null;
  const { email, source } = oneLoginEmail(user, sync);
  const mapped: DirectoryUser = { externalId: id, referenceId: id, email, disabled: user.status === 2, deleted: false };
  const name = oneLoginDisplayName(user);
  if (name) mapped.displayName = name;
  return { user: mapped, source };
}

/** The role's name (else its id). */
export function oneLoginRoleName(role: OneLoginApiRole): string {
  return (role.name ?? '').trim() || String(role.id);
}

/** Maps one role with the ids of its users (order kept, duplicates and unassigned entries dropped). */
export function mapOneLoginRole(role: OneLoginApiRole, members: readonly OneLoginApiRoleUser[]): DirectoryGroup {
  const id = oneLoginId(role.id) ?? String(role.id);
  const ids = members.filter((m) => m.assigned !== false).map((m) => oneLoginId(m.id)).filter((m): m is string => m !== null);
  return { externalId: id, referenceId: id, name: oneLoginRoleName(role), userMemberExternalIds: [...new Set(ids)], groupMemberReferenceIds: [] };
}
