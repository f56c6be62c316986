/**
 * `plan()`: the pure, deterministic heart of a sync (ARCHITECTURE.md "The path of one sync").
 *
 * normalise → vanished detection → de-duplicate → flatten nested groups → removeDisabled → build the
 * import request(s) → hash → what the import would change in the organization → safety checks →
 * the state to save after a successful apply.
 *
 * Nothing here does I/O: the snapshot, the previous state, the live organization (when readable) and
 * the clock value all come in through `PlanInput`, and a `SyncPlan` (plain data) comes out. The only
 * errors thrown are the ones the reference also fails the run for: duplicate emails
 * (`sync.duplicate-email`) and overwriteExisting with batching (`config.invalid`). Every other
 * problem becomes a warning or a failed safety check, so `dirconn plan` can always show it.
 *
 * Organization diff ("live" view): the changes are computed as the OFFICIAL server applies an import
 * (bitwarden-api.md §4): deleted entries remove members by externalId (never Owners); overwriteExisting
 * removes members with an externalId not imported; members without externalId are linked by email;
 * unknown externalIds are invited unless the email already belongs to a member (silently skipped by
 * the server); group membership is replaced wholesale. Without a readable organization (Vaultwarden,
 * not requested) the changes are derived from the previous sync's state ("directory-only" view).
 */
import type { SyncConfig } from '../config/config.js';
import type { DirectorySnapshot, ReadWarning } from '../model/directory.js';
import type { OrgGroup, OrgMember, OrgSnapshot } from '../model/organization.js';
import type { SyncedUser, SyncState } from '../model/state.js';
import { compareStrings, dedupeUsers, findDuplicateExternalIds, type DroppedTombstone } from './dedupe.js';
import { flattenGroups } from './flatten.js';
import { computeSyncHashes, matchesLastSyncHash, sha256Base64OfPieces } from './hash.js';
import { checkGroups, describeUser, emailProblem, formatList, normalizeEmail, normalizeUsers, type NormalizedUser } from './normalize.js';
import type { PlanGroup, PlanInput, PlannedChange, PlanSummary, PlanUser, SafetyCheck, SyncPlan } from './plan.types.js';
import { buildImportRequests, IMPORT_BATCH_SIZE, serializeImportRequests } from './request-builder.js';

/** The server refuses, on cloud without largeImport, more than this many groups or non-deleted members. */
export const CLOUD_IMPORT_LIMIT = 2000;

/** Reasons used on `remove` changes (stable text, shown to the admin). */
export const REMOVAL_REASONS = {
  directory: 'deleted in directory',
  disabled: 'disabled and removeDisabled is on',
  vanished: 'no longer in the directory read (vanished)',
  overwrite: 'overwriteExisting',
} as const;

/**
 * Reasons used on the aggregated group membership changes (one string each, shared by every change:
 * a 10k-group plan must not hold 10k copies of the same text).
 */
export const MEMBERSHIP_REASONS = {
  add: 'member of the directory group (or its nested groups)',
  notInGroup: 'not a member of the directory group (or its nested groups)',
  handAdded: 'the member has no externalId (added by hand): the import replaces group membership wholesale and removes it from the group',
  unknownMember: 'unknown member id; the import replaces the group membership',
} as const;

/** Start of the reason of a `skip` change for an Owner the import would otherwise remove. */
export const OWNER_PROTECTED_REASON = 'owner is protected';

const NO_MEMBERS: readonly OrgMember[] = [];

/** Member type 0 (bitwarden-api.md §5). */
const OWNER = 0;

const MEMBER_TYPE_NAMES: Record<number, string> = { 0: 'Owner', 1: 'Admin', 2: 'User', 4: 'Custom' };

/**
 * Builds the plan for one run. Pure and deterministic: the same input gives the same plan (byte for
 * byte once serialised). See the module comment for what it throws.
 */
export async function plan(input: PlanInput): Promise<SyncPlan> {
  const { snapshot, previous, sync, org, target, now } = input;
  const overrides = input.overrides ?? {};
  const batchSize = input.batchSize ?? IMPORT_BATCH_SIZE;
  const usersRead = snapshot.users !== null;
  const groupsRead = snapshot.groups !== null;
  const warnings: ReadWarning[] = [...snapshot.warnings];

  // 1. Normalise (emails, unsupported users named, deleted users never dropped silently).
  const normalized = normalizeUsers(snapshot.users ?? [], { previousUsers: previous.syncedUsers, removeDisabled: sync.removeDisabled });
  warnings.push(...normalized.warnings);
  const groupCheck = checkGroups(snapshot.groups ?? []);
  warnings.push(...groupCheck.warnings);

  // 2. Vanished: previously synced users absent from a COMPLETE read are sent as deleted.
  const vanished = findVanished(snapshot, previous, sync, warnings);

  // 3. De-duplicate (order-independent; throws sync.duplicate-email).
  const deduped = dedupeUsers([...normalized.users, ...vanished]);
  const vanishedSet = new Set<NormalizedUser>(vanished);
  reportTombstones(deduped.droppedTombstones.filter((t) => !vanishedSet.has(t.user)), warnings);

  // 4. Flatten nested groups over everything read; invalid groups are not sent.
  const excludedGroups = new Set(groupCheck.excluded.map((e) => e.index));
  const groups: PlanGroup[] = flattenGroups(snapshot.groups ?? [])
    .filter((_, index) => !excludedGroups.has(index))
    .map((g) => {
      const planGroup: PlanGroup = { externalId: g.externalId, name: g.name, userExternalIds: g.userExternalIds };
      if (g.childGroupExternalIds.length > 0) planGroup.childGroupExternalIds = g.childGroupExternalIds;
      return planGroup;
    });

  // 5. removeDisabled and the reason of every deletion.
  const users: PlanUser[] = deduped.users.map((u) => toPlanUser(u, vanishedSet.has(u), sync.removeDisabled));
  const activeUsers = users.filter((u) => !u.deleted);

  // 6. Requests (nothing to send when there is nothing and overwrite is off, like the reference).
  const nothingToSend = !sync.overwriteExisting && users.length === 0 && groups.length === 0;
  const requests = nothingToSend
    ? []
    : buildImportRequests(usersRead ? users : null, groupsRead ? groups : null, {
        overwriteExisting: sync.overwriteExisting,
        largeImport: sync.largeImport,
        inviteUsersAfterProvisioning: sync.inviteUsersAfterProvisioning,
        batchSize,
      });
  if (!sync.largeImport && (groups.length > CLOUD_IMPORT_LIMIT || activeUsers.length > CLOUD_IMPORT_LIMIT)) {
    warnings.push({
      code: 'cloud-import-limit',
      message:
        `This import has ${activeUsers.length} members and ${groups.length} groups in one request; Bitwarden cloud refuses more than ${CLOUD_IMPORT_LIMIT} of either ` +
        'without largeImport ("You cannot import this much data at once."). Turn on sync.largeImport (self-hosted servers have no such limit).',
    });
  }

  // 7. Hash (reference rule; skip when it equals the last successful sync's).
  let hash = '';
  let unchanged = false;
  if (requests.length > 0) {
    const hashes = await computeSyncHashes(target.apiUrl, target.organizationId, serializeImportRequests(requests));
    hash = hashes.hash;
    unchanged = overrides.ignoreHash !== true && matchesLastSyncHash(previous.lastSyncHash, hashes);
  }

  // 8. What the import would change.
  const context: DiffContext = {
    users,
    groups: groupsRead ? groups : [],
    overwriteExisting: sync.overwriteExisting,
    previous,
  };
  const diff = org !== null ? diffLive(context, org) : diffDirectoryOnly(context);
  warnings.push(...diff.warnings);
  if (unchanged && org !== null && diff.changes.some((c) => c.kind !== 'skip' && c.kind !== 'email-change' && c.kind !== 'external-id-change')) {
    warnings.push({
      code: 'organization-drift',
      message:
        'The request is identical to the last successful sync, so nothing will be posted, but the organization differs from it (see the changes). ' +
        'Use the ignore-hash override to post anyway.',
    });
  }

  // 9. Safety checks.
  const safety = safetyChecks({ input, users, activeUsers, groups, removals: diff.removals, removalsUnknown: diff.removalsUnknown, problems: diff.problems });

  // 10. State to save after a successful apply.
  const nextState = buildNextState({ input, users, activeUsers, groups, hash: requests.length > 0 ? hash : previous.lastSyncHash });

  let enabledUsers = 0;
  for (const u of activeUsers) if (!u.disabled) enabledUsers += 1;
  const summary: PlanSummary = {
    usersInDirectory: snapshot.users?.length ?? 0,
    groupsInDirectory: snapshot.groups?.length ?? 0,
    enabledUsers,
    disabledUsers: activeUsers.length - enabledUsers,
    deletedUsers: users.length - activeUsers.length,
    invites: countKind(diff.changes, 'invite'),
    links: countKind(diff.changes, 'link'),
    removals: diff.removals.length,
    groupCreates: countKind(diff.changes, 'group-create'),
    groupRenames: countKind(diff.changes, 'group-rename'),
    membershipAdds: countMemberships(diff.changes, 'group-member-add'),
    membershipRemovals: countMemberships(diff.changes, 'group-member-remove'),
    unchangedMembers: diff.unchangedMembers,
    unchangedGroups: diff.unchangedGroups,
    requests: requests.length,
  };

  const result: SyncPlan = {
    version: 1,
    createdAt: now.toISOString(),
    target: { apiUrl: target.apiUrl, organizationId: target.organizationId },
    orgView: org !== null ? 'live' : 'directory-only',
    readMode: snapshot.mode,
    users,
    groups,
    changes: diff.changes,
    summary,
    requests,
    hash,
    unchanged,
    safety,
    warnings,
    fingerprint:
      input.fingerprints === false
        ? { directory: '', organization: null }
        : {
            directory: await directoryFingerprint(users, groups),
            organization: org !== null ? await organizationFingerprint(org) : null,
          },
    nextState,
  };
  if (org === null) result.orgUnavailableReason = input.orgUnavailableReason ?? 'the organization was not read';
  return result;
}

function countKind(changes: readonly PlannedChange[], kind: PlannedChange['kind']): number {
  let count = 0;
  for (const change of changes) if (change.kind === kind) count += 1;
  return count;
}

/** Memberships in the aggregated changes of this kind (one change lists many members). */
function countMemberships(changes: readonly PlannedChange[], kind: 'group-member-add' | 'group-member-remove'): number {
  let count = 0;
  for (const change of changes) if (change.kind === kind) count += change.count ?? change.members?.length ?? 1;
  return count;
}

// ---------------------------------------------------------------------------------------------
// Vanished users, tombstones, plan users

function findVanished(snapshot: DirectorySnapshot, previous: SyncState, sync: SyncConfig, warnings: ReadWarning[]): NormalizedUser[] {
  if (snapshot.mode !== 'full' || snapshot.users === null || !sync.removeVanished || previous.syncedUsers === null) return [];
  // Present = anywhere in the read, even if excluded by normalisation: an entry whose email became
  // unusable is still in the directory and must not be removed as "vanished".
  const present = new Set(snapshot.users.map((u) => u.externalId));
  const vanished: NormalizedUser[] = [];
  const unusable: string[] = [];
  for (const synced of previous.syncedUsers) {
    if (present.has(synced.externalId)) continue;
    present.add(synced.externalId);
    const email = normalizeEmail(synced.email);
    if (email === null || emailProblem(email) !== null) {
      unusable.push(synced.externalId);
      continue;
    }
    vanished.push({ externalId: synced.externalId, referenceId: '', email, disabled: false, deleted: true, emailSource: 'previous-sync' });
  }
  if (unusable.length > 0) {
    warnings.push({
      code: 'vanished-user-not-removable',
      message: `${unusable.length} previously synced user(s) vanished from the directory but the stored email is unusable, so the removal cannot be sent: ${formatList(unusable)}.`,
    });
  }
  return vanished;
}

function reportTombstones(tombstones: readonly DroppedTombstone[], warnings: ReadWarning[]): void {
  if (tombstones.length === 0) return;
  warnings.push({
    code: 'tombstone-of-live-user',
    message:
      `${tombstones.length} deleted directory entr${tombstones.length === 1 ? 'y shares its' : 'ies share their'} email with an active user and ${tombstones.length === 1 ? 'is' : 'are'} not sent ` +
      `(the active user keeps the email): ${formatList(tombstones.map((t) => `${describeUser(t.user)} <${t.user.email}> (active: ${t.liveExternalId})`))}.`,
  });
}

function toPlanUser(user: NormalizedUser, isVanished: boolean, removeDisabled: boolean): PlanUser {
  const deleted = user.deleted || (removeDisabled && user.disabled);
  const planUser: PlanUser = {
    externalId: user.externalId,
    email: user.email,
    displayName: user.displayName !== undefined && user.displayName !== '' ? user.displayName : user.referenceId !== '' ? user.referenceId : user.email,
    disabled: user.disabled,
    deleted,
  };
  if (isVanished) planUser.deletedReason = 'vanished';
  else if (user.deleted) planUser.deletedReason = 'directory';
  else if (deleted) planUser.deletedReason = 'disabled';
  return planUser;
}

function removalReason(user: PlanUser): string {
  switch (user.deletedReason) {
    case 'vanished':
      return REMOVAL_REASONS.vanished;
    case 'disabled':
      return REMOVAL_REASONS.disabled;
    default:
      return REMOVAL_REASONS.directory;
  }
}

// ---------------------------------------------------------------------------------------------
// Organization diff

interface DiffContext {
  /** Members as sent (empty when user sync is off). */
  users: readonly PlanUser[];
  /** Groups as sent (empty when group sync is off: the server then skips groups). */
  groups: readonly PlanGroup[];
  overwriteExisting: boolean;
  previous: SyncState;
}

interface DiffResult {
  changes: PlannedChange[];
  /** The `remove` changes (also in `changes`). */
  removals: PlannedChange[];
  /** overwriteExisting without any way to count its removals (no org, no previous state). */
  removalsUnknown: boolean;
  unchangedMembers: number;
  unchangedGroups: number;
  /** Identity conflicts that make the server answer 500 (duplicate-external-id safety rule). */
  problems: string[];
  warnings: ReadWarning[];
}

function hasExternalId(member: OrgMember): member is OrgMember & { externalId: string } {
  return member.externalId !== null && member.externalId.trim() !== '';
}

function typeSuffix(member: OrgMember): string {
  return member.type === 1 || member.type === 4 ? ` (the member is ${member.type === 1 ? 'an Admin' : 'a Custom role member'})` : '';
}

/** The official server's import, step by step (bitwarden-api.md §4), against the live organization. */
function diffLive(context: DiffContext, org: OrgSnapshot): DiffResult {
  const { users, groups, overwriteExisting } = context;
  const changes: PlannedChange[] = [];
  const removals: PlannedChange[] = [];
  const problems: string[] = [];
  const warnings: ReadWarning[] = [];

  // Step 1: load.
  const byExternalId = new Map<string, OrgMember>();
  const duplicateOrgIds = new Set<string>();
  const byEmail = new Map<string, OrgMember[]>();
  const memberById = new Map<string, OrgMember>();
  for (const member of org.members) {
    memberById.set(member.id, member);
    const email = normalizeEmail(member.email);
    if (email !== null) {
      const list = byEmail.get(email);
      if (list === undefined) byEmail.set(email, [member]);
      else list.push(member);
    }
    if (!hasExternalId(member)) continue;
    if (byExternalId.has(member.externalId)) duplicateOrgIds.add(member.externalId);
    else byExternalId.set(member.externalId, member);
  }
  if (duplicateOrgIds.size > 0) {
    problems.push(
      `organization members share externalIds, so the server answers every import with an error 500 until they are fixed in the organization: ${formatList([...duplicateOrgIds].sort(compareStrings))}`,
    );
  }
  const activeIds = new Set<string>();
  for (const user of users) if (!user.deleted) activeIds.add(user.externalId);

  const removedMemberIds = new Set<string>();
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

  // Step 2: deleted members, by externalId, unless also imported as active. Owners are protected.
  for (const user of users) {
    if (!user.deleted || activeIds.has(user.externalId)) continue;
    const member = byExternalId.get(user.externalId);
    if (member === undefined) continue;
    if (member.type === OWNER) protectOwner(member, user.externalId, removalReason(user));
    else remove(member, user.externalId, removalReason(user));
  }

  // Step 3: overwriteExisting removes every non-Owner with an externalId that is not imported.
  if (overwriteExisting) {
    const withoutMasterPassword: string[] = [];
    for (const member of org.members) {
      if (!hasExternalId(member) || activeIds.has(member.externalId)) continue;
      if (member.type === OWNER) {
        protectOwner(member, member.externalId, REMOVAL_REASONS.overwrite);
        continue;
      }
      if (member.status === 0 || member.status === 3) withoutMasterPassword.push(member.email);
      remove(member, member.externalId, REMOVAL_REASONS.overwrite);
    }
    if (withoutMasterPassword.length > 0) {
      warnings.push({
        code: 'overwrite-refused-by-server',
        message:
          'The official server refuses overwriteExisting when a member it would remove has no master password (invited or staged members such as ' +
          `${formatList(withoutMasterPassword, 5)}): the import would fail with "Sync failed…" after the deleted members were already removed. Turn off sync.overwriteExisting.`,
      });
    }
  }

  // Steps 4–5: link by email, then invite new members.
  const linked = new Map<string, OrgMember>();
  const invited = new Set<string>();
  let unchangedMembers = 0;
  for (const user of users) {
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
        unchangedMembers += 1;
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

  // Step 6: groups (skipped when none are sent).
  let unchangedGroups = 0;
  if (groups.length > 0) {
    const emailByExternalId = new Map<string, string>();
    for (const user of users) emailByExternalId.set(user.externalId, user.email);
    // How a member appears in a membership change: its email, else its externalId.
    const describe = (externalId: string, member: OrgMember | undefined): string => {
      const email = emailByExternalId.get(externalId) ?? member?.email;
      return email !== undefined && email !== '' ? email : externalId;
    };
    const membershipChange = (kind: 'group-member-add' | 'group-member-remove', group: PlanGroup, members: string[], reason: string): PlannedChange => ({
      kind,
      externalId: group.externalId,
      group: group.name,
      members,
      count: members.length,
      reason,
    });

    const orgGroupsByExternalId = new Map<string, OrgGroup>();
    const duplicateGroupIds = new Set<string>();
    const unkeyedNames = new Set<string>();
    for (const group of org.groups) {
      if (group.externalId === null || group.externalId.trim() === '') {
        unkeyedNames.add(group.name);
        continue;
      }
      if (orgGroupsByExternalId.has(group.externalId)) duplicateGroupIds.add(group.externalId);
      else orgGroupsByExternalId.set(group.externalId, group);
    }
    if (duplicateGroupIds.size > 0) {
      problems.push(`organization groups share externalIds, so the server answers every import with groups with an error 500: ${formatList([...duplicateGroupIds].sort(compareStrings))}`);
    }

    for (const group of groups) {
      const existing = orgGroupsByExternalId.get(group.externalId);
      const current = existing === undefined ? null : new Set(existing.memberIds);
      // The group after the import: known (or linked) members by org-user id, plus invited users
      // (new to every group; userExternalIds has no duplicates, see flattenGroups). No key strings
      // are built per membership (500k of them at 100k users).
      const kept = new Set<string>();
      const added: string[] = [];
      let size = 0;
      for (const externalId of group.userExternalIds) {
        let member = byExternalId.get(externalId);
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
      if (existing === undefined) {
        const beside = unkeyedNames.has(group.name) ? `; a group named "${group.name}" without externalId exists and is left as is beside the new one` : '';
        changes.push({ kind: 'group-create', externalId: group.externalId, group: group.name, reason: `new group with ${size} member(s)${beside}` });
        if (added.length > 0) changes.push(membershipChange('group-member-add', group, added, MEMBERSHIP_REASONS.add));
        continue;
      }
      let changed = false;
      if (existing.name !== group.name) {
        changed = true;
        changes.push({ kind: 'group-rename', externalId: group.externalId, group: group.name, reason: `renamed from "${existing.name}"` });
      }
      // Removals are grouped by reason (members added by hand are worth telling apart).
      const removed = { notInGroup: [] as string[], handAdded: [] as string[], unknownMember: [] as string[] };
      for (const memberId of existing.memberIds) {
        if (kept.has(memberId) || removedMemberIds.has(memberId)) continue;
        const member = memberById.get(memberId);
        if (member === undefined) removed.unknownMember.push(memberId);
        else if (!hasExternalId(member)) removed.handAdded.push(member.email !== '' ? member.email : memberId);
        else removed.notInGroup.push(member.email !== '' ? member.email : member.externalId);
      }
      if (added.length > 0) changes.push(membershipChange('group-member-add', group, added, MEMBERSHIP_REASONS.add));
      for (const why of ['notInGroup', 'handAdded', 'unknownMember'] as const) {
        if (removed[why].length > 0) changes.push(membershipChange('group-member-remove', group, removed[why], MEMBERSHIP_REASONS[why]));
      }
      if (!changed && added.length === 0 && removed.notInGroup.length + removed.handAdded.length + removed.unknownMember.length === 0) unchangedGroups += 1;
    }
  }

  return { changes, removals, removalsUnknown: false, unchangedMembers, unchangedGroups, problems, warnings };
}

/** Without a readable organization: changes relative to what the last successful sync sent. */
function diffDirectoryOnly(context: DiffContext): DiffResult {
  const { users, groups, overwriteExisting, previous } = context;
  const changes: PlannedChange[] = [];
  const removals: PlannedChange[] = [];
  const previousUsers = previous.syncedUsers;
  const previousByExternalId = new Map<string, string>();
  const previousByEmail = new Map<string, string>();
  for (const synced of previousUsers ?? []) {
    previousByExternalId.set(synced.externalId, synced.email);
    const email = normalizeEmail(synced.email);
    if (email !== null && !previousByEmail.has(email)) previousByEmail.set(email, synced.externalId);
  }
  const activeIds = new Set<string>();
  for (const user of users) if (!user.deleted) activeIds.add(user.externalId);

  const removedIds = new Set<string>();
  const remove = (externalId: string, email: string, reason: string): void => {
    if (removedIds.has(externalId)) return;
    removedIds.add(externalId);
    const change: PlannedChange = { kind: 'remove', externalId, email, reason };
    changes.push(change);
    removals.push(change);
  };
  // Deleted entries that could match a member: previously synced ones, or all of them when nothing
  // is known about earlier syncs (conservative: the organization may hold them).
  for (const user of users) {
    if (!user.deleted || activeIds.has(user.externalId)) continue;
    if (previousUsers === null || previousByExternalId.has(user.externalId)) remove(user.externalId, user.email, removalReason(user));
  }
  let removalsUnknown = false;
  if (overwriteExisting) {
    if (previousUsers === null) removalsUnknown = true;
    else for (const synced of previousUsers) if (!activeIds.has(synced.externalId)) remove(synced.externalId, synced.email, REMOVAL_REASONS.overwrite);
  }

  let unchangedMembers = 0;
  for (const user of users) {
    if (user.deleted) continue;
    const previousEmail = previousByExternalId.get(user.externalId);
    if (previousEmail !== undefined) {
      if (normalizeEmail(previousEmail) !== user.email) {
        changes.push({
          kind: 'email-change',
          externalId: user.externalId,
          email: user.email,
          reason:
            `the last sync sent ${previousEmail} for this externalId and the directory now has ${user.email}; the server never updates a member's email, ` +
            `so the member most likely stays ${previousEmail} (organization not read, so this is not verified)`,
        });
      } else {
        unchangedMembers += 1;
      }
      continue;
    }
    const otherId = previousByEmail.get(user.email);
    if (otherId !== undefined) {
      const leaving = removedIds.has(otherId) ? ` and this sync removes "${otherId}", so the person loses access` : '';
      changes.push({
        kind: 'external-id-change',
        externalId: user.externalId,
        email: user.email,
        reason:
          `the last sync sent ${user.email} with externalId "${otherId}"; the server skips invites for emails already in the organization, so "${user.externalId}" ` +
          `will most likely not be invited (no duplicate is created)${leaving}. Correct the member's externalId in the organization if the directory id changed.`,
      });
      continue;
    }
    changes.push({
      kind: 'invite',
      externalId: user.externalId,
      email: user.email,
      reason:
        previousUsers === null
          ? 'not synced by dirconn before (organization not read: an existing member with this email would be linked instead)'
          : 'new since the last sync (organization not read: an existing member with this email would be linked instead)',
    });
  }

  let unchangedGroups = 0;
  const previousGroups = previous.syncedGroups === null ? null : new Set(previous.syncedGroups);
  for (const group of groups) {
    if (previousGroups !== null && previousGroups.has(group.externalId)) {
      unchangedGroups += 1;
      continue;
    }
    changes.push({
      kind: 'group-create',
      externalId: group.externalId,
      group: group.name,
      reason: `${previousGroups === null ? 'not synced by dirconn before' : 'new since the last sync'} (organization not read: an existing group with this externalId would be updated instead); ${group.userExternalIds.length} member(s)`,
    });
  }

  return { changes, removals, removalsUnknown, unchangedMembers, unchangedGroups, problems: [], warnings: [] };
}

// ---------------------------------------------------------------------------------------------
// Safety

interface SafetyInput {
  input: PlanInput;
  users: readonly PlanUser[];
  activeUsers: readonly PlanUser[];
  groups: readonly PlanGroup[];
  removals: readonly PlannedChange[];
  removalsUnknown: boolean;
  problems: readonly string[];
}

/** How many synced members the percentage applies to: org members with an externalId, else the last sync's. */
function removalBase(input: PlanInput): number {
  if (input.org !== null) {
    let count = 0;
    for (const member of input.org.members) if (hasExternalId(member)) count += 1;
    return count;
  }
  return input.previous.syncedUsers?.length ?? 0;
}

/** removalLimit = max(maxRemovals, floor(maxRemovalPercent% × base)), raised by --allow-removals. */
export function removalLimit(sync: Pick<SyncConfig, 'maxRemovals' | 'maxRemovalPercent'>, base: number, allowRemovals?: number): number {
  // Multiply first: 29 × 100 / 100 is exact where 0.29 × 100 is 28.999….
  const byPercent = Math.floor((sync.maxRemovalPercent * base) / 100 + 1e-9);
  const configured = Math.max(sync.maxRemovals, byPercent);
  return allowRemovals !== undefined ? Math.max(configured, allowRemovals) : configured;
}

function safetyChecks(s: SafetyInput): SyncPlan['safety'] {
  const { input } = s;
  const { sync, previous, snapshot } = input;
  const overrides = input.overrides ?? {};
  const base = removalBase(input);
  const limit = removalLimit(sync, base, overrides.allowRemovals);
  const limitText = `max(${sync.maxRemovals}, ${sync.maxRemovalPercent}% of ${base} synced members)${overrides.allowRemovals !== undefined ? ` raised to ${overrides.allowRemovals} by --allow-removals` : ''}`;
  const full = snapshot.mode === 'full';
  const checks: SafetyCheck[] = [];

  // max-removals
  const removalCount = s.removals.length;
  if (s.removalsUnknown && overrides.allowRemovals === undefined) {
    checks.push({
      rule: 'max-removals',
      passed: false,
      message:
        'overwriteExisting is on but neither the organization nor a previous sync is known, so dirconn cannot tell how many members it would remove ' +
        '(every member with an externalId that is not in this import).',
      override: '--allow-removals <n>',
    });
  } else if (removalCount > limit) {
    checks.push({
      rule: 'max-removals',
      passed: false,
      message: `This sync would remove ${removalCount} members, more than the limit of ${limit} (${limitText}): ${formatList(s.removals.map((c) => c.email ?? c.externalId))}.`,
      override: `--allow-removals ${removalCount}`,
    });
  } else {
    checks.push({ rule: 'max-removals', passed: true, message: `${removalCount} removal(s), within the limit of ${limit} (${limitText}).` });
  }

  // empty-read and count drops: only a complete read can say how many there are.
  const previousUsers = previous.lastCounts?.users ?? previous.syncedUsers?.length ?? 0;
  const previousGroups = previous.lastCounts?.groups ?? previous.syncedGroups?.length ?? 0;
  const usersChecked = full && snapshot.users !== null;
  const groupsChecked = full && snapshot.groups !== null;
  const active = s.activeUsers.length;
  if (!usersChecked) {
    checks.push({ rule: 'empty-read', passed: true, message: 'Not applicable: users were not read in full.' });
  } else if (active === 0 && previousUsers > 0) {
    checks.push(
      overrides.allowEmpty === true
        ? { rule: 'empty-read', passed: true, message: `The directory returned no active users (the last sync had ${previousUsers}); allowed by --allow-empty.` }
        : {
            rule: 'empty-read',
            passed: false,
            message: `The directory returned no active users but the last sync had ${previousUsers}. Check the filters, paths and the bind account's rights before allowing this.`,
            override: '--allow-empty',
          },
    );
  } else {
    checks.push({ rule: 'empty-read', passed: true, message: `${active} active user(s) read.` });
  }

  const userDrop = previousUsers - active;
  if (!usersChecked || previousUsers === 0) {
    checks.push({ rule: 'user-count-drop', passed: true, message: 'Not applicable: no complete user read to compare with the last sync.' });
  } else if (userDrop > limit) {
    checks.push({
      rule: 'user-count-drop',
      passed: false,
      message: `The directory returned ${active} active users, ${userDrop} fewer than the last sync (${previousUsers}); the limit is ${limit} (${limitText}). A partial read looks like this.`,
      override: `--allow-removals ${userDrop}`,
    });
  } else {
    checks.push({ rule: 'user-count-drop', passed: true, message: `${active} active users now, ${previousUsers} at the last sync.` });
  }

  const groupDrop = previousGroups - s.groups.length;
  if (!groupsChecked || previousGroups === 0) {
    checks.push({ rule: 'group-count-drop', passed: true, message: 'Not applicable: no complete group read to compare with the last sync.' });
  } else if (groupDrop > limit) {
    checks.push({
      rule: 'group-count-drop',
      passed: false,
      message: `The directory returned ${s.groups.length} groups, ${groupDrop} fewer than the last sync (${previousGroups}); the limit is ${limit} (${limitText}).`,
      override: `--allow-removals ${groupDrop}`,
    });
  } else {
    checks.push({ rule: 'group-count-drop', passed: true, message: `${s.groups.length} groups now, ${previousGroups} at the last sync.` });
  }

  // duplicate-external-id: the server answers 500 (after partial changes) and keeps doing so.
  const userDuplicates = findDuplicateExternalIds(s.users);
  const groupDuplicates = findDuplicateExternalIds(s.groups);
  const problems: string[] = [];
  if (userDuplicates.length > 0) problems.push(`users share externalIds: ${formatList(userDuplicates)}`);
  if (groupDuplicates.length > 0) problems.push(`groups share externalIds: ${formatList(groupDuplicates)}`);
  problems.push(...s.problems);
  checks.push(
    problems.length > 0
      ? {
          rule: 'duplicate-external-id',
          passed: false,
          message: `Duplicate externalIds would make the server fail with an error 500 after applying part of the import: ${problems.join('; ')}.`,
        }
      : { rule: 'duplicate-external-id', passed: true, message: 'Every user and group externalId is unique.' },
  );

  return { ok: checks.every((c) => c.passed), removalLimit: limit, checks };
}

// ---------------------------------------------------------------------------------------------
// Next state

interface NextStateInput {
  input: PlanInput;
  users: readonly PlanUser[];
  activeUsers: readonly PlanUser[];
  groups: readonly PlanGroup[];
  hash: string | null;
}

function buildNextState(s: NextStateInput): SyncState {
  const { snapshot, previous, sync, now } = s.input;
  const full = snapshot.mode === 'full';
  const nowText = now.toISOString();

  let syncedUsers: SyncedUser[] | null = previous.syncedUsers;
  if (snapshot.users !== null) {
    if (full) {
      syncedUsers = s.activeUsers.map((u) => ({ externalId: u.externalId, email: u.email }));
    } else {
      const merged = new Map<string, string>();
      for (const synced of previous.syncedUsers ?? []) merged.set(synced.externalId, synced.email);
      for (const user of s.users) {
        if (user.deleted) merged.delete(user.externalId);
        else merged.set(user.externalId, user.email);
      }
      syncedUsers = [...merged].map(([externalId, email]) => ({ externalId, email }));
    }
  }

  let syncedGroups: string[] | null = previous.syncedGroups;
  if (snapshot.groups !== null) {
    if (full) {
      syncedGroups = s.groups.map((g) => g.externalId);
    } else {
      const merged = new Set(previous.syncedGroups ?? []);
      for (const group of s.groups) merged.add(group.externalId);
      syncedGroups = [...merged];
    }
  }

  const lastCounts = {
    users: snapshot.users !== null ? (syncedUsers?.length ?? 0) : (previous.lastCounts?.users ?? 0),
    groups: snapshot.groups !== null ? (syncedGroups?.length ?? 0) : (previous.lastCounts?.groups ?? 0),
  };

  return {
    lastSyncHash: s.hash,
    lastUserSync: sync.users ? nowText : previous.lastUserSync,
    lastGroupSync: sync.groups ? nowText : previous.lastGroupSync,
    lastFullSync: full ? nowText : previous.lastFullSync,
    cursor: snapshot.cursor !== undefined ? snapshot.cursor : null,
    lastCounts: snapshot.users === null && snapshot.groups === null ? previous.lastCounts : lastCounts,
    syncedUsers,
    syncedGroups,
  };
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

/**
 * Hash of a canonical (sorted, order-independent) form of what would be sent: users by externalId and
 * groups by externalId with sorted members. Used by `sync --plan` to refuse a stale plan.
 */
export async function directoryFingerprint(users: readonly PlanUser[], groups: readonly PlanGroup[]): Promise<string> {
  // One JSON line per entry, sorted by the native (UTF-16 code unit) order: deterministic and fast.
  const userLines = users.map((u) => JSON.stringify([u.externalId, u.email, u.disabled, u.deleted, u.deletedReason ?? null])).sort();
  const groupLines = groups.map((g) => JSON.stringify([g.externalId, g.name, [...g.userExternalIds].sort()])).sort();
  // = sha256Base64(`users\n${userLines.join('\n')}\ngroups\n${groupLines.join('\n')}`), without the joined text.
  return sha256Base64OfPieces(['users\n', userLines, '\ngroups\n', groupLines]);
}

/** Hash of a canonical form of the organization's members and groups (order-independent). */
export async function organizationFingerprint(org: OrgSnapshot): Promise<string> {
  const memberLines = org.members.map((m) => JSON.stringify([m.id, m.email, m.externalId, m.type, m.status])).sort();
  const groupLines = org.groups.map((g) => JSON.stringify([g.id, g.name, g.externalId, [...g.memberIds].sort()])).sort();
  return sha256Base64OfPieces(['members\n', memberLines, '\ngroups\n', groupLines]);
}
