/** The organization's members indexed the way the official server's import loads them (bitwarden-api.md §4, step 1). */
import type { OrgMember } from '../model/organization.js';
import { normalizeEmail } from './normalize.js';

/** The organization's members by the keys the import matches on. */
export interface OrgMemberIndex {
  /** Members with an externalId, by externalId (the first one when several share it). */
  byExternalId: Map<string, OrgMember>;
  /** Members by normalised email (several members may share an email). */
  byEmail: Map<string, OrgMember[]>;
  /** Every member by org-user id. */
  byId: Map<string, OrgMember>;
  /** externalIds held by more than one member (the server then answers every import with 500). */
  duplicateExternalIds: Set<string>;
}

/** True when the member carries a non-blank externalId (a member synced by a connector). */
export function hasExternalId(member: OrgMember): member is OrgMember & { externalId: string } {
  return member.externalId !== null && member.externalId.trim() !== '';
}

/** Indexes the members in one pass (first holder of an externalId wins, like the server's dictionary load). */
export function indexOrgMembers(members: readonly OrgMember[]): OrgMemberIndex {
  const index: OrgMemberIndex = { byExternalId: new Map(), byEmail: new Map(), byId: new Map(), duplicateExternalIds: new Set() };
  for (const member of members) {
    index.byId.set(member.id, member);
    const email = normalizeEmail(member.email);
    if (email !== null) {
      const list = index.byEmail.get(email);
      if (list === undefined) index.byEmail.set(email, [member]);
      else list.push(member);
    }
    if (!hasExternalId(member)) continue;
    if (index.byExternalId.has(member.externalId)) index.duplicateExternalIds.add(member.externalId);
    else index.byExternalId.set(member.externalId, member);
  }
  return index;
}
