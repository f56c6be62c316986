/**
 * The member half of the live organization diff: the official server's import steps 2–5
 * (bitwarden-api.md §4) for the users sent — removals (deleted entries, overwriteExisting; never an
 * Owner), links by email, invites, and the identity conflicts the server answers with an error 500.
 */
import type { ReadWarning } from '../model/directory.js';
import type { OrgMember } from '../model/organization.js';
import { REMOVAL_REASONS, OWNER_PROTECTED_REASON, removalReason } from './change-reasons.js';
import { compareStrings } from './dedupe.js';
import { formatList, normalizeEmail } from './normalize.js';
import { hasExternalId, type OrgMemberIndex } from './org-member-index.js';
import type { PlannedChange, PlanUser } from './plan.types.js';

const NO_MEMBERS: readonly OrgMember[] = [];

/** Member type 0 (bitwarden-api.md §5). */
const OWNER = 0;

const MEMBER_TYPE_NAMES: Record<number, string> = { 0: 'Owner', 1: 'Admin', 2: 'User', 4: 'Custom' };

/** What the import does to the organization's members, and what the group step needs from it. */
export interface MemberDiff {
  /** remove / skip (protected Owner) changes first, then email-change / link / skip / external-id-change / invite. */
  changes: PlannedChange[];
  /** The `remove` changes (also in `changes`). */
  removals: PlannedChange[];
  /** Members the import leaves as they are. */
  unchangedMembers: number;
  /** Identity conflicts that make the server answer 500. */
  problems: string[];
  warnings: ReadWarning[];
  /** Org-user ids the import removes. */
  removedMemberIds: Set<string>;
  /** Directory externalId → the member without externalId the server links to it by email. */
  linked: Map<string, OrgMember>;
  /** Directory externalIds invited as new members. */
  invited: Set<string>;
}

/** Options of {@link diffMembers}. */
export interface MemberDiffInput {
  /** Members as sent (empty when user sync is off). */
  users: readonly PlanUser[];
  overwriteExisting: boolean;
  /** Every organization member (overwriteExisting considers them all). */
  members: readonly OrgMember[];
  /** The same members, indexed. */
  index: OrgMemberIndex;
}

function typeSuffix(member: OrgMember): string {
  return member.type === 1 || member.type === 4 ? ` (the member is ${member.type === 1 ? 'an Admin' : 'a Custom role member'})` : '';
}

/** Steps 2–5 of the server's import for the users sent, in the server's order. */
export function diffMembers(input: MemberDiffInput): MemberDiff {
  const result: MemberDiff = {
    changes: [],
    removals: [],
    unchangedMembers: 0,
    problems: [],
    warnings: [],
    removedMemberIds: new Set(),
    linked: new Map(),
    invited: new Set(),
  };
  if (input.index.duplicateExternalIds.size > 0) {
    result.problems.push(
      `organization members share externalIds, so the server answers every import with an error 500 until they are fixed in the organization: ${formatList([...input.index.duplicateExternalIds].sort(compareStrings))}`,
    );
  }
  const activeIds = new Set<string>();
  for (const user of input.users) if (!user.deleted) activeIds.add(user.externalId);

  planRemovals(input, activeIds, result);
  planJoins(input, activeIds, result);
  return result;
}

/** Steps 2–3: deleted entries by externalId, then overwriteExisting. Owners are protected (a `skip`). */
function planRemovals(input: MemberDiffInput, activeIds: ReadonlySet<string>, result: MemberDiff): void {
  const { changes, removals, removedMemberIds } = result;
  const protectedOwners = new Set<string>();
  const remove = (member: OrgMember, externalId: string, reason: string): void => {
    if (removedMemberIds.has(member.id)) return;
    removedMemberIds.add(member.id);
    const change: PlannedChange = { kind: 'remove', externalId, email: member.email, reason: reason + typeSuffix(member) };
    changes.push(change);
    removals.push(change);
  };
  const protectOwner = (member: OrgMember, externalId: string, reason: string): void => {
    if (protectedOwners.has(member.id)) return;
    protectedOwners.add(member.id);
    changes.push({
      kind: 'skip',
      externalId,
      email: member.email,
      reason: `${OWNER_PROTECTED_REASON}: the server never removes an Owner (${reason}); remove or demote the member by hand if intended`,
    });
  };

  // Step 2: deleted members, by externalId, unless also imported as active.
  for (const user of input.users) {
    if (!user.deleted || activeIds.has(user.externalId)) continue;
    const member = input.index.byExternalId.get(user.externalId);
    if (member === undefined) continue;
    if (member.type === OWNER) protectOwner(member, user.externalId, removalReason(user));
    else remove(member, user.externalId, removalReason(user));
  }

  // Step 3: overwriteExisting removes every non-Owner with an externalId that is not imported.
  if (!input.overwriteExisting) return;
  const withoutMasterPassword: string[] = [];
  for (const member of input.members) {
    if (!hasExternalId(member) || activeIds.has(member.externalId)) continue;
    if (member.type === OWNER) {
      protectOwner(member, member.externalId, REMOVAL_REASONS.overwrite);
      continue;
    }
    if (member.status === 0 || member.status === 3) withoutMasterPassword.push(member.email);
    remove(member, member.externalId, REMOVAL_REASONS.overwrite);
  }
  if (withoutMasterPassword.length > 0) {
    result.warnings.push({
      code: 'overwrite-refused-by-server',
      message:
        'The official server refuses overwriteExisting when a member it would remove has no master password (invited or staged members such as ' +
        `${formatList(withoutMasterPassword, 5)}): the import would fail with "Sync failed…" after the deleted members were already removed. Turn off sync.overwriteExisting.`,
    });
  }
}

/** Steps 4–5: each active user is already a member (maybe with another email), linked by email, skipped, or invited. */
function planJoins(input: MemberDiffInput, activeIds: ReadonlySet<string>, result: MemberDiff): void {
  const { changes, problems, removedMemberIds, linked, invited } = result;
  const { byEmail, byExternalId } = input.index;
  for (const user of input.users) {
    if (user.deleted) continue;
    const sameEmail = byEmail.get(user.email) ?? NO_MEMBERS;
    const unlinked = sameEmail.length === 0 ? NO_MEMBERS : sameEmail.filter((m) => !hasExternalId(m));
    const member = byExternalId.get(user.externalId);
    if (member !== undefined) {
      if (unlinked.length > 0) {
        problems.push(
          `${unlinked[0]!.email}: a member without externalId would be linked to "${user.externalId}", which the member ${member.email} already holds (the server answers 500); ` +
            'remove or fix one of the two members in the organization',
        );
      }
      if (normalizeEmail(member.email) !== user.email) {
        changes.push({
          kind: 'email-change',
          externalId: user.externalId,
          email: user.email,
          reason:
            `the directory email is now ${user.email} but the organization member has ${member.email}; the server never updates a member's email, ` +
            `so the member stays ${member.email} (same access, no new invite). Change the email in Bitwarden if intended.`,
        });
      } else {
        result.unchangedMembers += 1;
      }
      continue;
    }
    if (unlinked.length > 0) {
      const target = unlinked[0]!;
      linked.set(user.externalId, target);
      changes.push({
        kind: 'link',
        externalId: user.externalId,
        email: user.email,
        reason: `the existing member ${target.email} (${MEMBER_TYPE_NAMES[target.type] ?? 'member'}) has no externalId: the server links it by email (no invite; role and status unchanged)`,
      });
      continue;
    }
    const holder = sameEmail.find(hasExternalId);
    if (holder !== undefined && hasExternalId(holder)) {
      const leaving = removedMemberIds.has(holder.id) ? ` and this sync removes that member (${holder.externalId}), so the person loses access` : '';
      // The holder's id gone from the directory (deleted, vanished, not read) means the person got a
      // new id: an identity change. Otherwise two directory entries compete for one email.
      const identityChanged = !activeIds.has(holder.externalId);
      changes.push({
        kind: identityChanged ? 'external-id-change' : 'skip',
        externalId: user.externalId,
        email: user.email,
        reason:
          `${user.email} already belongs to the member with externalId "${holder.externalId}"; the server silently skips this invite (no duplicate is created), ` +
          `the member keeps "${holder.externalId}" and group memberships for "${user.externalId}" will not apply${leaving}. ` +
          'Clear or correct the member\'s externalId in the organization if the directory id changed.',
      });
      continue;
    }
    invited.add(user.externalId);
    changes.push({ kind: 'invite', externalId: user.externalId, email: user.email, reason: 'new member: not in the organization by externalId or email' });
  }
}
