/**
 * The safety checks that stop a plan from being applied unless overridden (ARCHITECTURE.md: "never
 * remove the wrong people"): too many removals (or a count dirconn cannot know), an empty read, user
 * or group counts dropping past the removal limit, overwriteExisting after a read that skipped part
 * of the scope (read-completeness.ts), duplicate externalIds (the server answers 500 after
 * applying part of the import), a changed source (source-change.ts) and the group-membership checks
 * (membership-safety.ts).
 */
import type { SyncConfig } from '../config/config.js';
import { findDuplicateExternalIds } from './dedupe.js';
import { formatList } from './normalize.js';
import { membershipChecks } from './membership-safety.js';
import type { DiffResult } from './org-diff.types.js';
import { hasExternalId } from './org-member-index.js';
import { allowOnce } from './overrides.js';
import type { PlanGroup, PlanInput, PlannedChange, PlanUser, SafetyCheck, SyncPlan } from './plan.types.js';
import { incompleteReadCheck, isCompleteRead } from './read-completeness.js';
import { seatsCheck, type SeatCount } from './seats-check.js';
import { sourceChangeCheck } from './source-change.js';
import type { OrgSubscription } from '../model/organization.js';

/** What the safety checks look at. */
export interface SafetyInput {
  input: PlanInput;
  users: readonly PlanUser[];
  activeUsers: readonly PlanUser[];
  groups: readonly PlanGroup[];
  removals: readonly PlannedChange[];
  removalsUnknown: boolean;
  problems: readonly string[];
  /** Groups that lose members and the current memberships (the membership checks). */
  membership: DiffResult['membership'];
  /** The seat pre-check's inputs (seats-check.ts); subscription undefined when not read. */
  seats?: { subscription: OrgSubscription | null | undefined; count: SeatCount | null };
}

/** How many synced members the percentage applies to: org members with an externalId, else the last sync's. */
export function removalBase(input: PlanInput): number {
  if (input.org !== null) {
    let count = 0;
    for (const member of input.org.members) if (hasExternalId(member)) count += 1;
    return count;
  }
  return input.previous.syncedUsers?.length ?? 0;
}

/** The removal limit of a run given `--allow-removals all`: no limit. */
export const NO_REMOVAL_LIMIT = Number.MAX_SAFE_INTEGER;

/**
 * removalLimit = max(maxRemovals, floor(maxRemovalPercent% × base)), raised by --allow-removals
 * ({@link NO_REMOVAL_LIMIT} for `all`).
 */
export function removalLimit(sync: Pick<SyncConfig, 'maxRemovals' | 'maxRemovalPercent'>, base: number, allowRemovals?: number | 'all'): number {
  if (allowRemovals === 'all') return NO_REMOVAL_LIMIT;
  // Multiply first: 29 × 100 / 100 is exact where 0.29 × 100 is 28.999….
  const byPercent = Math.floor((sync.maxRemovalPercent * base) / 100 + 1e-9);
  const configured = Math.max(sync.maxRemovals, byPercent);
  return allowRemovals !== undefined ? Math.max(configured, allowRemovals) : configured;
}

/** The removal limit in force and how it was reached (quoted in the check messages). */
interface LimitInForce {
  limit: number;
  text: string;
}

/**
 * The safety checks of a plan (max-removals, empty-read, user-count-drop, group-count-drop,
 * incomplete-read, duplicate-external-id, source-changed, max-membership-removals, empty-groups, unresolved-members, seats),
 * in that order; `ok` only when every one passed.
 */
export function safetyChecks(s: SafetyInput): SyncPlan['safety'] {
  const { sync } = s.input;
  const overrides = s.input.overrides ?? {};
  const base = removalBase(s.input);
  const raised = overrides.allowRemovals === 'all' ? ' lifted by --allow-removals all' : overrides.allowRemovals !== undefined ? ` raised to ${overrides.allowRemovals} by --allow-removals` : '';
  const limit: LimitInForce = {
    limit: removalLimit(sync, base, overrides.allowRemovals),
    text: `max(${sync.maxRemovals}, ${sync.maxRemovalPercent}% of ${base} synced members)${raised}`,
  };
  const membership = membershipChecks({ input: s.input, groups: s.groups, membership: s.membership });
  const source = sourceChangeCheck({ snapshot: s.input.snapshot, previous: s.input.previous, source: s.input.source, allowSourceChange: overrides.allowSourceChange === true });
  const incomplete = incompleteReadCheck(s.input.snapshot, sync);
  const seats = seatsCheck(s.seats?.count ?? null, s.seats?.subscription, overrides.allowSeatOverflow === true);
  const checks: SafetyCheck[] = [maxRemovalsCheck(s, limit), ...readCountChecks(s, limit), incomplete, duplicateExternalIdCheck(s), source, ...membership.checks, seats];
  return {
    ok: checks.every((c) => c.passed),
    removalLimit: limit.limit,
    membershipRemovalLimit: membership.limit,
    groupsLosingMembers: membership.losses,
    checks,
  };
}

function maxRemovalsCheck(s: SafetyInput, { limit, text }: LimitInForce): SafetyCheck {
  const removalCount = s.removals.length;
  if (s.removalsUnknown) {
    // Issue #9 item 3: an unknown count is never covered by a small allowance; only `all` does.
    const known = removalCount > 0 ? ` Of these, ${removalCount} are known (deleted or vanished entries): ${formatList(s.removals.map((c) => c.email ?? c.externalId))}.` : '';
    const why =
      'overwriteExisting is on but neither the organization nor a previous sync is known, so dirconn cannot tell how many members this sync would remove ' +
      `(every member with an externalId that is not in this import).${known}`;
    return s.input.overrides?.allowRemovals === 'all'
      ? { rule: 'max-removals', passed: true, message: `The number of removals is unknown: ${why} Allowed by --allow-removals all.` }
      : { rule: 'max-removals', passed: false, message: `The number of removals is unknown: ${why}`, ...allowOnce({ option: 'allowRemovals', atLeast: 'all' }) };
  }
  if (removalCount > limit) {
    return {
      rule: 'max-removals',
      passed: false,
      message: `This sync would remove ${removalCount} members, more than the limit of ${limit} (${text}): ${formatList(s.removals.map((c) => c.email ?? c.externalId))}.`,
      ...allowOnce({ option: 'allowRemovals', atLeast: removalCount }),
    };
  }
  return { rule: 'max-removals', passed: true, message: `${removalCount} removal(s), within the limit of ${limit} (${text}).` };
}

/** empty-read, user-count-drop and group-count-drop: only a complete read can say how many there are. */
function readCountChecks(s: SafetyInput, { limit, text }: LimitInForce): SafetyCheck[] {
  const { previous, snapshot } = s.input;
  const overrides = s.input.overrides ?? {};
  // A read that skipped part of the scope cannot say how many there are either.
  const full = isCompleteRead(snapshot);
  const checks: SafetyCheck[] = [];
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
            ...allowOnce({ option: 'allowEmpty' }),
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
      message: `The directory returned ${active} active users, ${userDrop} fewer than the last sync (${previousUsers}); the limit is ${limit} (${text}). A partial read looks like this.`,
      ...allowOnce({ option: 'allowRemovals', atLeast: userDrop }),
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
      message: `The directory returned ${s.groups.length} groups, ${groupDrop} fewer than the last sync (${previousGroups}); the limit is ${limit} (${text}).`,
      ...allowOnce({ option: 'allowRemovals', atLeast: groupDrop }),
    });
  } else {
    checks.push({ rule: 'group-count-drop', passed: true, message: `${s.groups.length} groups now, ${previousGroups} at the last sync.` });
  }
  return checks;
}

/** duplicate-external-id: the server answers 500 (after partial changes) and keeps doing so. */
function duplicateExternalIdCheck(s: SafetyInput): SafetyCheck {
  const userDuplicates = findDuplicateExternalIds(s.users);
  const groupDuplicates = findDuplicateExternalIds(s.groups);
  const problems: string[] = [];
  if (userDuplicates.length > 0) problems.push(`users share externalIds: ${formatList(userDuplicates)}`);
  if (groupDuplicates.length > 0) problems.push(`groups share externalIds: ${formatList(groupDuplicates)}`);
  problems.push(...s.problems);
  return problems.length > 0
    ? {
        rule: 'duplicate-external-id',
        passed: false,
        message: `Duplicate externalIds would make the server fail with an error 500 after applying part of the import: ${problems.join('; ')}.`,
      }
    : { rule: 'duplicate-external-id', passed: true, message: 'Every user and group externalId is unique.' };
}
