/**
 * Pure Microsoft Graph → dirconn mapping for the Entra source (reference-connector.md §6.2,
 * directory-apis.md §2.3–§2.5). No I/O: the provider hands in what Graph returned.
 *
 * - User: `externalId = referenceId = id`; email = `mail`, or `userPrincipalName` when `mail` is empty
 *   or contains `onmicrosoft.com`; trimmed and lower-cased; `disabled = accountEnabled === false`.
 * - Enabled users without an email, or whose email contains `#` (a guest's `#EXT#` UPN without a
 *   mail address), are skipped as the reference does — but counted and named, never silently.
 * - A delta tombstone (`@removed`, reason `changed` = soft-deleted or `deleted` = gone for good) is a
 *   deleted user; the reference ignores hard deletes and drops tombstones for lack of email
 *   (directory-apis.md §6 #4). Core recovers the email from the last sync.
 * - Group: `externalId = referenceId = id`, `name = displayName`; members of type
 *   `#microsoft.graph.user` are users, `#microsoft.graph.group` child groups; devices, contacts and
 *   service principals are ignored (the reference counts every transitive member as a user, #5).
 */
import type { DirectoryGroup, DirectoryUser } from '@dirconn/core';

/** A Graph user as selected by dirconn (`USER_SELECT`); delta pages may carry `@removed`. */
export interface GraphUser {
  id: string;
  mail?: string | null;
  userPrincipalName?: string | null;
  displayName?: string | null;
  accountEnabled?: boolean | null;
  userType?: string | null;
  '@removed'?: { reason?: string };
}

/** A directory object in a member list (`@odata.type` + id). */
export interface GraphMember {
  '@odata.type'?: string;
  id: string;
  '@removed'?: { reason?: string };
}

/** A Graph group as read from `/groups/delta` (members merged over pages). */
export interface GraphGroup {
  id: string;
  displayName?: string | null;
  '@removed'?: { reason?: string };
  'members@delta'?: GraphMember[];
}

/** The user properties dirconn selects. */
export const USER_SELECT = 'id,mail,userPrincipalName,displayName,accountEnabled,userType';
/** The group properties dirconn selects from `/groups/delta` (members come as `members@delta`). */
export const GROUP_SELECT = 'id,displayName,members';

export const USER_TYPE = '#microsoft.graph.user';
export const GROUP_TYPE = '#microsoft.graph.group';

/** Why a user read from Graph is not sent. */
export type SkipReason = 'no-email' | 'guest-without-mail';

/** The outcome of mapping one Graph user. */
export type UserMapping = { user: DirectoryUser; skipped?: undefined } | { user?: undefined; skipped: SkipReason; id: string; label: string };

const clean = (value: string | null | undefined): string | null => {
  const text = value?.trim().toLowerCase() ?? '';
  return text === '' ? null : text;
};

/** The email the reference derives: `mail`, else the UPN when mail is empty or an onmicrosoft.com address. */
export function emailOf(user: Pick<GraphUser, 'mail' | 'userPrincipalName'>): string | null {
  const mail = clean(user.mail);
  if (mail !== null && !mail.includes('onmicrosoft.com')) return mail;
  return clean(user.userPrincipalName) ?? mail;
}

/** A guest account: `userType` Guest, or an `#EXT#` UPN. */
export function isGuest(user: Pick<GraphUser, 'userType' | 'userPrincipalName'>): boolean {
  return user.userType?.toLowerCase() === 'guest' || (user.userPrincipalName ?? '').toUpperCase().includes('#EXT#');
}

/** True for a delta tombstone (`@removed`, either reason). */
export function isRemoved(item: { '@removed'?: unknown }): boolean {
  return item['@removed'] !== undefined && item['@removed'] !== null;
}

/** Maps one Graph user (see the module comment). */
export function mapUser(graph: GraphUser): UserMapping {
  const id = graph.id;
  const email = emailOf(graph);
  const label = graph.displayName?.trim() || graph.userPrincipalName?.trim() || id;
  if (isRemoved(graph)) {
    const user: DirectoryUser = { externalId: id, referenceId: id, email, disabled: false, deleted: true };
    if (graph.displayName) user.displayName = graph.displayName;
    return { user };
  }
  const disabled = graph.accountEnabled === false;
  if (!disabled && email === null) return { skipped: 'no-email', id, label };
  if (!disabled && email !== null && email.includes('#')) return { skipped: 'guest-without-mail', id, label };
  const user: DirectoryUser = { externalId: id, referenceId: id, email, disabled, deleted: false };
  if (graph.displayName) user.displayName = graph.displayName;
  return { user };
}

/** A group's direct members split by type; other object types are counted as ignored. */
export function splitMembers(members: readonly GraphMember[]): { users: string[]; groups: string[]; ignored: number } {
  const users = new Set<string>();
  const groups = new Set<string>();
  let ignored = 0;
  for (const member of members) {
    if (isRemoved(member)) continue;
    if (member['@odata.type'] === USER_TYPE) users.add(member.id);
    else if (member['@odata.type'] === GROUP_TYPE) groups.add(member.id);
    else ignored++;
  }
  return { users: [...users], groups: [...groups], ignored };
}

/** Maps a group and its direct members. */
export function mapGroup(graph: GraphGroup, members: readonly GraphMember[]): { group: DirectoryGroup; ignoredMembers: number } {
  const split = splitMembers(members);
  return {
    group: {
      externalId: graph.id,
      referenceId: graph.id,
      name: graph.displayName?.trim() ?? '',
      userMemberExternalIds: split.users,
      groupMemberReferenceIds: split.groups,
    },
    ignoredMembers: split.ignored,
  };
}

/**
 * Merges `/groups/delta` pages: a large group's members arrive split over several items with the same
 * id (directory-apis.md §2.4); later items add members and may update the display name.
 */
export class GroupDeltaMerger {
  readonly #groups = new Map<string, { group: GraphGroup; members: GraphMember[] }>();
  readonly #removed = new Set<string>();

  add(item: GraphGroup): void {
    if (isRemoved(item)) {
      this.#removed.add(item.id);
      this.#groups.delete(item.id);
      return;
    }
    let entry = this.#groups.get(item.id);
    if (entry === undefined) {
      entry = { group: { id: item.id }, members: [] };
      this.#groups.set(item.id, entry);
    }
    if (item.displayName !== undefined) entry.group.displayName = item.displayName;
    for (const member of item['members@delta'] ?? []) entry.members.push(member);
  }

  /** Groups with their merged members, in first-seen order. */
  groups(): { group: GraphGroup; members: GraphMember[] }[] {
    return [...this.#groups.values()];
  }

  /** Ids of groups reported as removed. */
  removed(): string[] {
    return [...this.#removed];
  }

  get size(): number {
    return this.#groups.size + this.#removed.size;
  }
}
