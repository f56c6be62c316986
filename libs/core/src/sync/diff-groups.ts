/**
 * The group half of the live organization diff: the official server's import step 6
 * (bitwarden-api.md §4). Groups are matched by externalId, created or renamed, and their membership is
 * replaced wholesale by the members the import knows (kept, linked or invited).
 */
import type { OrgGroup, OrgMember } from '../model/organization.js';
import { MEMBERSHIP_REASONS } from './change-reasons.js';
import { compareStrings } from './dedupe.js';
import type { MemberDiff } from './diff-members.js';
import { formatList } from './normalize.js';
import { hasExternalId, type OrgMemberIndex } from './org-member-index.js';
import type { GroupMembershipLoss, PlanGroup, PlannedChange, PlanUser } from './plan.types.js';

/** Options of {@link diffGroups}. */
export interface GroupDiffInput {
  /** Groups as sent (none: the server skips the group step). */
  groups: readonly PlanGroup[];
  /** Members as sent (for the emails shown in membership changes). */
  users: readonly PlanUser[];
  /** The organization's groups. */
  orgGroups: readonly OrgGroup[];
  /** The organization's members, indexed. */
  index: OrgMemberIndex;
  /** What the member step removes, links and invites. */
  members: Pick<MemberDiff, 'removedMemberIds' | 'linked' | 'invited'>;
}

/** What the import does to the organization's groups. */
export interface GroupDiff {
  /** group-create / group-rename / aggregated group-member-add and group-member-remove changes, group by group. */
  changes: PlannedChange[];
  /** Groups the import leaves as they are. */
  unchangedGroups: number;
  /** Identity conflicts that make the server answer 500. */
  problems: string[];
  /** Groups that lose members (membership-removal safety check), in request order. */
  losses: GroupMembershipLoss[];
  /** Memberships of the organization's groups that the request touches, before the import (the percentage's base). */
  currentMemberships: number;
  /**
   * Groups whose members were not read (their directory members did not change since the last sync,
   * see group-members-check.ts): assumed as that sync left them, counted unchanged unless renamed.
   */
  assumedGroups: number;
}

/** The organization's groups with an externalId, by externalId, and the names of those without one. */
interface OrgGroupIndex {
  byExternalId: Map<string, OrgGroup>;
  duplicateExternalIds: Set<string>;
  unkeyedNames: Set<string>;
}

/** A directory group's members after the import. */
interface GroupAfterImport {
  /** Org-user ids of known (or linked) members. */
  kept: Set<string>;
  /** How each member the import adds appears (email, else externalId). */
  added: string[];
  /** Members after the import, invited ones included. */
  size: number;
}

type MembershipKind = 'group-member-add' | 'group-member-remove';

function membershipChange(kind: MembershipKind, group: PlanGroup, members: string[], reason: string): PlannedChange {
  return { kind, externalId: group.externalId, group: group.name, members, count: members.length, reason };
}

function indexOrgGroups(orgGroups: readonly OrgGroup[]): OrgGroupIndex {
  const index: OrgGroupIndex = { byExternalId: new Map(), duplicateExternalIds: new Set(), unkeyedNames: new Set() };
  for (const group of orgGroups) {
    if (group.externalId === null || group.externalId.trim() === '') {
      index.unkeyedNames.add(group.name);
      continue;
    }
    if (index.byExternalId.has(group.externalId)) index.duplicateExternalIds.add(group.externalId);
    else index.byExternalId.set(group.externalId, group);
  }
  return index;
}

/** Step 6 of the server's import; nothing when no groups are sent. */
export function diffGroups(input: GroupDiffInput): GroupDiff {
  const result: GroupDiff = { changes: [], unchangedGroups: 0, problems: [], losses: [], currentMemberships: 0, assumedGroups: 0 };
  if (input.groups.length === 0) return result;
  const emailByExternalId = new Map<string, string>();
  for (const user of input.users) emailByExternalId.set(user.externalId, user.email);
  // How a member appears in a membership change: its email, else its externalId.
  const describe = (externalId: string, member: OrgMember | undefined): string => {
    const email = emailByExternalId.get(externalId) ?? member?.email;
    return email !== undefined && email !== '' ? email : externalId;
  };

  const orgGroups = indexOrgGroups(input.orgGroups);
  if (orgGroups.duplicateExternalIds.size > 0) {
    result.problems.push(
      `organization groups share externalIds, so the server answers every import with groups with an error 500: ${formatList([...orgGroups.duplicateExternalIds].sort(compareStrings))}`,
    );
  }

  const { changes } = result;
  for (const group of input.groups) {
    const existing = orgGroups.byExternalId.get(group.externalId);
    if (existing !== undefined && existing.memberIds === null) {
      diffUnreadGroup(group, existing, result);
      continue;
    }
    const { kept, added, size } = groupAfterImport(group, existing, input, describe);
    if (existing === undefined) {
      const beside = orgGroups.unkeyedNames.has(group.name) ? `; a group named "${group.name}" without externalId exists and is left as is beside the new one` : '';
      changes.push({ kind: 'group-create', externalId: group.externalId, group: group.name, reason: `new group with ${size} member(s)${beside}` });
      if (added.length > 0) changes.push(membershipChange('group-member-add', group, added, MEMBERSHIP_REASONS.add));
      continue;
    }
    let changed = false;
    if (existing.name !== group.name) {
      changed = true;
      changes.push({ kind: 'group-rename', externalId: group.externalId, group: group.name, reason: `renamed from "${existing.name}"` });
    }
    result.currentMemberships += existing.memberIds?.length ?? 0;
    const removed = membersDropped(existing, kept, input);
    const loss = membershipLoss(group, existing, size, removed.notInGroup.length + removed.handAdded.length + removed.unknownMember.length);
    if (loss !== null) result.losses.push(loss);
    if (added.length > 0) changes.push(membershipChange('group-member-add', group, added, MEMBERSHIP_REASONS.add));
    for (const why of ['notInGroup', 'handAdded', 'unknownMember'] as const) {
      if (removed[why].length > 0) changes.push(membershipChange('group-member-remove', group, removed[why], MEMBERSHIP_REASONS[why]));
    }
    if (!changed && added.length === 0 && removed.notInGroup.length + removed.handAdded.length + removed.unknownMember.length === 0) result.unchangedGroups += 1;
  }
  return result;
}

/**
 * A group whose members were not read: the same members as at the last sync that read or sent them,
 * so only a rename can change it; its size as sent counts in the membership base.
 */
function diffUnreadGroup(group: PlanGroup, existing: OrgGroup, result: GroupDiff): void {
  result.assumedGroups += 1;
  result.currentMemberships += group.userExternalIds.length;
  if (existing.name !== group.name) {
    result.changes.push({ kind: 'group-rename', externalId: group.externalId, group: group.name, reason: `renamed from "${existing.name}"` });
  } else {
    result.unchangedGroups += 1;
  }
}

/**
 * What a group loses: the members the replacement drops, or, when the group goes from some members to
 * none, every member it had (members leaving the organization included: an emptied group is the mark
 * of a wrong read, issue #9 item 1). Null when it loses nobody.
 */
function membershipLoss(group: PlanGroup, existing: OrgGroup, sizeAfter: number, dropped: number): GroupMembershipLoss | null {
  const before = existing.memberIds?.length ?? 0;
  const emptied = before > 0 && sizeAfter === 0;
  const removed = emptied ? before : dropped;
  return removed > 0 ? { externalId: group.externalId, name: group.name, before, removed, emptied } : null;
}

/**
 * The group after the import: known (or linked) members by org-user id, plus invited users (new to
 * every group; userExternalIds has no duplicates, see flattenGroups). No key strings are built per
 * membership (500k of them at 100k users).
 */
function groupAfterImport(
  group: PlanGroup,
  existing: OrgGroup | undefined,
  input: GroupDiffInput,
  describe: (externalId: string, member: OrgMember | undefined) => string,
): GroupAfterImport {
  const { removedMemberIds, linked, invited } = input.members;
  const current = existing?.memberIds == null ? null : new Set(existing.memberIds);
  const kept = new Set<string>();
  const added: string[] = [];
  let size = 0;
  for (const externalId of group.userExternalIds) {
    let member = input.index.byExternalId.get(externalId);
    if (member !== undefined) {
      if (removedMemberIds.has(member.id)) continue;
    } else {
      member = linked.get(externalId);
      if (member === undefined) {
        if (invited.has(externalId)) {
          size += 1;
          added.push(describe(externalId, undefined));
        }
        continue;
      }
    }
    if (kept.has(member.id)) continue;
    kept.add(member.id);
    size += 1;
    if (current === null || !current.has(member.id)) added.push(describe(externalId, member));
  }
  return { kept, added, size };
}

/**
 * Current members the wholesale replacement drops (removed members aside: they leave anyway), grouped
 * by reason: members added by hand are worth telling apart.
 */
function membersDropped(existing: OrgGroup, kept: ReadonlySet<string>, input: GroupDiffInput): Record<'notInGroup' | 'handAdded' | 'unknownMember', string[]> {
  const removed = { notInGroup: [] as string[], handAdded: [] as string[], unknownMember: [] as string[] };
  for (const memberId of existing.memberIds ?? []) {
    if (kept.has(memberId) || input.members.removedMemberIds.has(memberId)) continue;
    const member = input.index.byId.get(memberId);
    if (member === undefined) removed.unknownMember.push(memberId);
    else if (!hasExternalId(member)) removed.handAdded.push(member.email !== '' ? member.email : memberId);
    else removed.notInGroup.push(member.email !== '' ? member.email : member.externalId);
  }
  return removed;
}
