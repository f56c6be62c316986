/**
 * `plan()`: the pure, deterministic heart of a sync (ARCHITECTURE.md "The path of one sync").
 *
 * normalise → vanished detection → de-duplicate → flatten nested groups → removeDisabled → build the
 * import request(s) → hash → what the import would change in the organization → safety checks →
 * the state to save after a successful apply.
 *
 * This module keeps the orchestration; each step lives in its own module (plan-users, dedupe, flatten,
 * request-builder, hash, diff-live / diff-directory-only, safety-checks, next-state, fingerprint).
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
import type { ReadWarning } from '../model/directory.js';
import { dedupeUsers } from './dedupe.js';
import { diffDirectoryOnly } from './diff-directory-only.js';
import { diffLive } from './diff-live.js';
import { directoryFingerprint, organizationFingerprint } from './fingerprint.js';
import { flattenGroups } from './flatten.js';
import { fullMembershipCheckDue, groupMembersDigests, groupsToRead } from './group-members-check.js';
import { computeSyncHashes, matchesLastSyncHash } from './hash.js';
import { buildNextState } from './next-state.js';
import { checkGroups, normalizeUsers, type NormalizedUser } from './normalize.js';
import type { DiffContext } from './org-diff.types.js';
import { knownUsers } from './pending-users.js';
import { findVanished, reportTombstones, scopeTombstones, toPlanUser } from './plan-users.js';
import type { PlanGroup, PlanInput, PlannedChange, PlanSummary, PlanUser, SyncPlan } from './plan.types.js';
import { buildImportRequests, IMPORT_BATCH_SIZE, serializeImportRequests } from './request-builder.js';
import { safetyChecks } from './safety-checks.js';
import { countSeats } from './seats-check.js';

// The plan's public API (re-exported from the modules that now hold each part).
export { MEMBERSHIP_REASONS, OWNER_PROTECTED_REASON, REMOVAL_REASONS } from './change-reasons.js';
export { directoryFingerprint, organizationFingerprint } from './fingerprint.js';
export { NO_REMOVAL_LIMIT, removalLimit } from './safety-checks.js';
export { membershipRemovalLimit } from './membership-safety.js';

/** The server refuses, on cloud without largeImport, more than this many groups or non-deleted members. */
export const CLOUD_IMPORT_LIMIT = 2000;

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

  // 1. Normalise (emails, unsupported users named, deleted users never dropped silently); deleted
  //    entries outside the user scope only when synced before.
  const normalized = normalizeUsers(scopeTombstones(snapshot.users ?? [], previous, warnings), { previousUsers: knownUsers(previous), removeDisabled: sync.removeDisabled });
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

  // 8. What the import would change. Group members are read only where needed (group-members-check.ts).
  const digests = groupMembersDigests(groupsRead ? groups : []);
  let liveOrg = org;
  if (org !== null) {
    const fullCheck = fullMembershipCheckDue(previous, sync.fullSyncIntervalHours, now, overrides.ignoreHash === true);
    const toRead = groupsToRead({ groups: groupsRead ? groups : [], orgGroups: org.groups, previous, digests, fullCheck });
    if (toRead.length > 0) {
      if (input.readGroupMembers === undefined) throw new Error('plan(): the organization has unread groups and no readGroupMembers');
      liveOrg = await input.readGroupMembers(org, toRead);
    }
  }
  const membershipChecked = liveOrg !== null && liveOrg.groups.every((g) => g.memberIds !== null);
  const context: DiffContext = {
    users,
    groups: groupsRead ? groups : [],
    overwriteExisting: sync.overwriteExisting,
    previous,
  };
  const diff = liveOrg !== null ? diffLive(context, liveOrg) : diffDirectoryOnly(context);
  warnings.push(...diff.warnings);
  if (unchanged && org !== null && diff.changes.some((c) => c.kind !== 'skip' && c.kind !== 'email-change' && c.kind !== 'external-id-change')) {
    warnings.push({
      code: 'organization-drift',
      message:
        'The request is identical to the last successful sync, so nothing will be posted, but the organization differs from it (see the changes). ' +
        'Use the ignore-hash override to post anyway.',
    });
  }

  // 9. Safety checks (seats read only when the live plan invites someone).
  const invites = countKind(diff.changes, 'invite');
  const subscription = liveOrg !== null && invites > 0 && input.readSeats !== undefined ? await input.readSeats() : undefined;
  const safety = safetyChecks({
    seats: { subscription, count: subscription ? countSeats(liveOrg?.members ?? [], diff.changes, subscription) : null },
    input,
    users,
    activeUsers,
    groups,
    removals: diff.removals,
    removalsUnknown: diff.removalsUnknown,
    problems: diff.problems,
    membership: diff.membership,
  });

  // 10. State to save after a successful apply.
  const nextState = buildNextState({ input, users, activeUsers, groups, digests, membershipChecked, hash: requests.length > 0 ? hash : previous.lastSyncHash });

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
    unresolvedMembers: snapshot.memberResolution?.unresolved ?? 0,
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
            organization: liveOrg !== null ? await organizationFingerprint(liveOrg) : null,
          },
    nextState,
  };
  if (diff.assumedGroups > 0) result.groupMembersAssumed = diff.assumedGroups;
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
