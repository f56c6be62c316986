/**
 * The Test and Plan screens' tables without React: search, status filter and sort of the users,
 * groups with their flattened members by email (an unknown member id is shown raw), and the counts
 * that must add up (enabled + disabled + deleted = users).
 */
import type { PlanGroup, PlanUser } from '@dirconn/core';

/** A user's state as the table shows it. */
export type UserStatus = 'enabled' | 'disabled' | 'deleted';

/** Deleted wins over disabled (a deleted entry is sent as deleted whatever its flag). */
export function userStatus(user: PlanUser): UserStatus {
  if (user.deleted) return 'deleted';
  return user.disabled ? 'disabled' : 'enabled';
}

/** Sortable user columns. */
export type UserSortKey = 'email' | 'displayName' | 'status' | 'externalId';

/** A sort: column and direction. */
export interface Sort<K extends string> {
  key: K;
  direction: 'ascending' | 'descending';
}

/** Which users the table shows. */
export interface UserQuery {
  search: string;
  status: UserStatus | 'all';
  sort: Sort<UserSortKey>;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function matches(search: string, ...texts: string[]): boolean {
  const needle = search.trim().toLowerCase();
  return needle === '' || texts.some((t) => t.toLowerCase().includes(needle));
}

/** The users matching the search (email, name, external id) and status, sorted. */
export function viewUsers(users: readonly PlanUser[], query: UserQuery): PlanUser[] {
  const picked = users.filter((u) => (query.status === 'all' || userStatus(u) === query.status) && matches(query.search, u.email, u.displayName, u.externalId));
  const value = (u: PlanUser): string => (query.sort.key === 'status' ? userStatus(u) : u[query.sort.key]);
  const sign = query.sort.direction === 'ascending' ? 1 : -1;
  return picked.sort((a, b) => sign * collator.compare(value(a), value(b)) || collator.compare(a.email, b.email));
}

/** A group row: its members by email (raw id when the id is not among the users read). */
export interface GroupRow {
  externalId: string;
  name: string;
  members: string[];
}

/** Sortable group columns. */
export type GroupSortKey = 'name' | 'members';

/** Groups matching the search (group name or a member), with flattened members, sorted. */
export function viewGroups(groups: readonly PlanGroup[], users: readonly PlanUser[], search: string, sort: Sort<GroupSortKey>): GroupRow[] {
  const emails = new Map(users.map((u) => [u.externalId, u.email]));
  const rows = groups.map((g) => ({ externalId: g.externalId, name: g.name, members: g.userExternalIds.map((id) => emails.get(id) ?? id) }));
  const picked = rows.filter((r) => matches(search, r.name, ...r.members));
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return picked.sort((a, b) => sign * (sort.key === 'name' ? collator.compare(a.name, b.name) : a.members.length - b.members.length) || collator.compare(a.name, b.name));
}

/** Users per status, from the user list itself. */
export function countUsers(users: readonly PlanUser[]): { users: number; enabled: number; disabled: number; deleted: number } {
  const counts = { users: users.length, enabled: 0, disabled: 0, deleted: 0 };
  for (const user of users) counts[userStatus(user)] += 1;
  return counts;
}

/** True when the parts add up to the total. */
export function countsAddUp(counts: { users: number; enabled: number; disabled: number; deleted: number }): boolean {
  return counts.enabled + counts.disabled + counts.deleted === counts.users;
}

/** The next sort after a column header is activated: same column flips, a new column starts ascending. */
export function nextSort<K extends string>(current: Sort<K>, key: K): Sort<K> {
  if (current.key !== key) return { key, direction: 'ascending' };
  return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
}
