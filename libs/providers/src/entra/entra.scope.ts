/**
 * Pure scoping of what Graph returned: users through the user filter (§5.3) and the mapping rules,
 * groups through the group filter, and users through the kept groups (§5.4). Every user left out is
 * counted by reason, and the reference's silent skips (no email, guest `#EXT#` UPN) become warnings.
 */
import type { DirectoryGroup, DirectoryUser, ReadWarning } from '@dirconn/core';
import { scopeUsersToKeptGroups } from '../shared/set-filter.js';
import { groupFilterRejection, userFilterRejection, type EntraGroupFilter, type EntraUserFilter, type UserScopeSets } from './entra.filter.js';
import { isRemoved, mapGroup, mapUser, type GraphGroup, type GraphMember, type GraphUser, type SkipReason } from './entra.mapping.js';

/** How many names a warning lists before "and N more". */
const NAMES_IN_WARNING = 10;

/** Users in scope plus what was left out. */
export interface ScopedUsers {
  users: DirectoryUser[];
  filteredOut: number;
  skipped: { id: string; label: string; reason: SkipReason }[];
}

/** Maps and filters Graph users. Tombstones are kept whatever the filter says (see the provider). */
export function scopeUsers(items: readonly GraphUser[], filter: EntraUserFilter, scope: UserScopeSets): ScopedUsers {
  const users: DirectoryUser[] = [];
  const skipped: ScopedUsers['skipped'] = [];
  const seen = new Set<string>();
  let filteredOut = 0;
  for (const item of items) {
    if (seen.has(item.id)) continue; // delta rounds may repeat an object
    seen.add(item.id);
    const mapped = mapUser(item);
    if (mapped.skipped !== undefined) {
      skipped.push({ id: mapped.id, label: mapped.label, reason: mapped.skipped });
      continue;
    }
    const user = mapped.user;
    if (!user.deleted && userFilterRejection(filter, { id: item.id.toLowerCase(), email: user.email }, scope) !== null) {
      filteredOut++;
      continue;
    }
    users.push(user);
  }
  return { users, filteredOut, skipped };
}

/** The warnings for users skipped by the reference's rules (named, never silent). */
export function skippedUserWarnings(skipped: ScopedUsers['skipped']): ReadWarning[] {
  const warnings: ReadWarning[] = [];
  const list = (items: ScopedUsers['skipped']): string =>
    `${items.slice(0, NAMES_IN_WARNING).map((s) => `${s.label} (${s.id})`).join(', ')}${items.length > NAMES_IN_WARNING ? ` and ${items.length - NAMES_IN_WARNING} more` : ''}`;
  const noEmail = skipped.filter((s) => s.reason === 'no-email');
  const guests = skipped.filter((s) => s.reason === 'guest-without-mail');
  if (noEmail.length > 0) {
    warnings.push({ code: 'entra.user-no-email', message: `${noEmail.length} enabled user(s) have neither mail nor userPrincipalName and are not synced: ${list(noEmail)}.` });
  }
  if (guests.length > 0) {
    warnings.push({
      code: 'entra.guest-without-mail',
      message: `${guests.length} guest user(s) have no mail address (only an #EXT# user principal name) and are not synced, as in the reference: ${list(guests)}. Give them a mail address in Entra to sync them.`,
    });
  }
  return warnings;
}

/** Groups in scope (mapped), with the count of ignored member objects (devices, contacts…). */
export function scopeGroups(
  groups: readonly { group: GraphGroup; members: GraphMember[] }[],
  filter: EntraGroupFilter,
  unitGroupIds: ReadonlySet<string> | null,
): { groups: DirectoryGroup[]; filteredOut: number; ignoredMembers: number } {
  const out: DirectoryGroup[] = [];
  let filteredOut = 0;
  let ignoredMembers = 0;
  for (const { group, members } of groups) {
    if (isRemoved(group)) continue;
    if (groupFilterRejection(filter, { id: group.id, displayName: group.displayName ?? null }, unitGroupIds) !== null) {
      filteredOut++;
      continue;
    }
    const mapped = mapGroup(group, members);
    ignoredMembers += mapped.ignoredMembers;
    out.push(mapped.group);
  }
  return { groups: out, filteredOut, ignoredMembers };
}

/**
 * Reference §5.4: with groups synced and a group set filter, only direct members of kept groups stay
 * (deleted users, and disabled ones when they are being removed, always stay).
 */
export function scopeUsersByGroups(users: DirectoryUser[], groups: readonly DirectoryGroup[], removeDisabled: boolean): { users: DirectoryUser[]; dropped: number } {
  const kept = scopeUsersToKeptGroups(users, groups, removeDisabled);
  return { users: kept, dropped: users.length - kept.length };
}

/** Tombstones and partial objects from a delta replay: which users need a full read by id. */
export function partialUserIds(items: readonly GraphUser[]): string[] {
  return items.filter((u) => !isRemoved(u) && (u.userPrincipalName === undefined || u.accountEnabled === undefined)).map((u) => u.id);
}
