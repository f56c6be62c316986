/**
 * The group-membership safety checks (issue #9 item 1). In Bitwarden, groups carry collection access,
 * so a read that looks complete but empties groups (the bind account lost read access to `member`,
 * `sync.memberAttribute` names an attribute no group has, an empty user index in a groups-only sync,
 * every member re-keyed) is a mass loss of access even when no member leaves the organization:
 *
 * - max-membership-removals: at most max(maxMembershipRemovals, maxMembershipRemovalPercent% of the
 *   current memberships) per run; a group emptied counts every member it had;
 * - empty-groups: every group read is empty although the groups had members (refused like an empty
 *   user read);
 * - unresolved-members: most member values of the groups match no user read.
 */
import type { SyncConfig } from '../config/config.js';
import { formatList } from './normalize.js';
import type { DiffResult } from './org-diff.types.js';
import { allowOnce } from './overrides.js';
import type { GroupMembershipLoss, PlanGroup, PlanInput, SafetyCheck } from './plan.types.js';

/** What the membership checks look at. */
export interface MembershipSafetyInput {
  input: PlanInput;
  /** Groups as sent. */
  groups: readonly PlanGroup[];
  /** What the organization diff found. */
  membership: DiffResult['membership'];
}

/** The membership checks' verdicts, the limit in force and the groups that lose members (largest loss first). */
export interface MembershipSafety {
  checks: SafetyCheck[];
  limit: number;
  losses: GroupMembershipLoss[];
}

/** membershipRemovalLimit = max(maxMembershipRemovals, floor(maxMembershipRemovalPercent% × base)), raised by the override. */
export function membershipRemovalLimit(
  sync: Pick<SyncConfig, 'maxMembershipRemovals' | 'maxMembershipRemovalPercent'>,
  base: number,
  allowMembershipRemovals?: number,
): number {
  // Multiply first: 29 × 100 / 100 is exact where 0.29 × 100 is 28.999….
  const byPercent = Math.floor((sync.maxMembershipRemovalPercent * base) / 100 + 1e-9);
  const configured = Math.max(sync.maxMembershipRemovals, byPercent);
  return allowMembershipRemovals !== undefined ? Math.max(configured, allowMembershipRemovals) : configured;
}

/** The memberships the last successful sync left in the groups (its per-group counts), 0 when unknown. */
function lastSyncMemberships(input: PlanInput): number {
  let total = 0;
  for (const count of Object.values(input.previous.groupMemberCounts ?? {})) total += count;
  return total;
}

/** The three membership checks, in order: max-membership-removals, empty-groups, unresolved-members. */
export function membershipChecks(s: MembershipSafetyInput): MembershipSafety {
  const { sync, snapshot } = s.input;
  const overrides = s.input.overrides ?? {};
  const base = s.membership.currentMemberships;
  const limit = membershipRemovalLimit(sync, base, overrides.allowMembershipRemovals);
  const losses = [...s.membership.losses].sort((a, b) => b.removed - a.removed || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  let total = 0;
  for (const loss of losses) total += loss.removed;
  const text =
    `max(${sync.maxMembershipRemovals}, ${sync.maxMembershipRemovalPercent}% of ${base} current group memberships)` +
    (overrides.allowMembershipRemovals !== undefined ? ` raised to ${overrides.allowMembershipRemovals} by the override` : '');
  const checks: SafetyCheck[] = [];

  if (total > limit) {
    checks.push({
      rule: 'max-membership-removals',
      passed: false,
      message: `This sync would remove ${total} group memberships, more than the limit of ${limit} (${text}): ${describeLosses(losses)}. A read that lost the groups' members looks like this.`,
      ...allowOnce({ option: 'allowMembershipRemovals', atLeast: total }),
    });
  } else {
    checks.push({
      rule: 'max-membership-removals',
      passed: true,
      message: `${total} group membership removal(s), within the limit of ${limit} (${text})${losses.length > 0 ? `: ${describeLosses(losses)}` : ''}.`,
    });
  }

  const groupsChecked = snapshot.mode === 'full' && snapshot.groups !== null;
  const before = Math.max(base, lastSyncMemberships(s.input));
  const allEmpty = s.groups.length > 0 && s.groups.every((g) => g.userExternalIds.length === 0);
  if (!groupsChecked) {
    checks.push({ rule: 'empty-groups', passed: true, message: 'Not applicable: groups were not read in full.' });
  } else if (allEmpty && before > 0) {
    checks.push(
      overrides.allowEmpty === true
        ? { rule: 'empty-groups', passed: true, message: `Every group read is empty (they had ${before} memberships); allowed by the override.` }
        : {
            rule: 'empty-groups',
            passed: false,
            message:
              `Every one of the ${s.groups.length} groups read is empty, but they had ${before} memberships. ` +
              'Check sync.memberAttribute, the user and group filters and paths, and the bind account\'s right to read group members before allowing this.',
            ...allowOnce({ option: 'allowEmpty' }),
          },
    );
  } else {
    checks.push({ rule: 'empty-groups', passed: true, message: allEmpty ? 'Every group read is empty, as before.' : 'The groups read have members.' });
  }

  checks.push(unresolvedCheck(s.input));
  return { checks, limit, losses };
}

/** unresolved-members: most member values match no user read (the user index is empty or out of scope). */
function unresolvedCheck(input: PlanInput): SafetyCheck {
  const resolution = input.snapshot.memberResolution;
  if (input.snapshot.groups === null || resolution === undefined) {
    return { rule: 'unresolved-members', passed: true, message: 'Not applicable: the source does not report unresolved members.' };
  }
  const { resolved, unresolved } = resolution;
  const allowed = input.overrides?.allowMembershipRemovals;
  if (unresolved > resolved && (allowed === undefined || allowed < unresolved)) {
    return {
      rule: 'unresolved-members',
      passed: false,
      message:
        `${unresolved} of the ${resolved + unresolved} member values of the groups match no user read (only ${resolved} do), so they would not be synced. ` +
        'Check sync.userPath, sync.userFilter and sync.memberAttribute: an empty or wrong user scope looks like this.',
      ...allowOnce({ option: 'allowMembershipRemovals', atLeast: unresolved }),
    };
  }
  return {
    rule: 'unresolved-members',
    passed: true,
    message: unresolved === 0 ? `All ${resolved} member values resolved.` : `${unresolved} of ${resolved + unresolved} member values match no user read and are not synced.`,
  };
}

/** "Red Team: 5 of 5 (emptied), Blue Team: 2 of 7". */
function describeLosses(losses: readonly GroupMembershipLoss[]): string {
  return formatList(losses.map((l) => `${l.name}: ${l.removed} of ${l.before}${l.emptied ? ' (emptied)' : ''}`));
}
