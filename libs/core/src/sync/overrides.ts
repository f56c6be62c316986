/**
 * One-run safety overrides as data (issue #7 item 3): what the admin allowed for this plan or sync,
 * and what would let a failed safety check pass. Faces turn these into their own words (the CLI into
 * `--allow-removals 12`, the desktop into a confirmation); core only keeps an English fallback.
 */
import type { SafetyCheck } from './plan.types.js';

/**
 * One-run overrides given by the admin for a single plan or sync (never saved). New overrides are
 * added here and in {@link SafetyOverride}; each face then has to render them (its table is typed
 * against these names, so a missing one fails to compile).
 */
export interface SyncOverrides {
  /**
   * Allow up to this many removals for this run (raises the removal limit; CLI `--allow-removals <n>`),
   * or `all`: any number, the only way through when dirconn cannot count them (issue #9 item 3).
   */
  allowRemovals?: number | 'all';
  /** Allow a read with no active users, or only empty groups, although the last sync had some (CLI `--allow-empty`). */
  allowEmpty?: boolean;
  /** Allow up to this many group-membership removals for this run (CLI `--allow-membership-removals <n>`). */
  allowMembershipRemovals?: number;
  /** Allow a change of directory type or root that would remove the people previously synced (CLI `--allow-source-change`). */
  allowSourceChange?: boolean;
  /** Allow invitations beyond the organization's seats (autoscale or a refused import; CLI `--allow-seat-overflow`). */
  allowSeatOverflow?: boolean;
  /** Post even when the hash is unchanged (e.g. after a live-org diff shows drift). */
  ignoreHash?: boolean;
}

/**
 * What would let one failed safety check pass for one run: the override to give and, for a count,
 * the smallest value that does (`null` when dirconn cannot know it and the admin has to choose;
 * `all` when only an unlimited allowance can, because the count is unknown).
 */
export type SafetyOverride =
  | { option: 'allowRemovals'; atLeast: number | 'all' | null }
  | { option: 'allowMembershipRemovals'; atLeast: number }
  | { option: 'allowEmpty' }
  | { option: 'allowSourceChange' }
  | { option: 'allowSeatOverflow' };

/** The larger of two allowances (`all` beats any number; a known number beats `null`). */
function larger<T extends number | 'all' | null>(a: T, b: T): T {
  if (a === 'all' || b === null) return a;
  if (b === 'all' || a === null) return b;
  return Math.max(a, b) as T;
}

/**
 * One suggestion per option: the removal limit and the count-drop checks each ask for
 * `allowRemovals` (often together, with different counts); the option takes one value, so the largest
 * known count is the one that works. First-seen order is kept.
 */
export function combineOverrides(overrides: readonly SafetyOverride[]): SafetyOverride[] {
  const out: SafetyOverride[] = [];
  for (const override of overrides) {
    const at = out.findIndex((o) => o.option === override.option);
    const seen = out[at];
    if (seen === undefined) {
      out.push(override);
    } else if (seen.option === 'allowRemovals' && override.option === 'allowRemovals') {
      out[at] = { option: 'allowRemovals', atLeast: larger(seen.atLeast, override.atLeast) };
    } else if (seen.option === 'allowMembershipRemovals' && override.option === 'allowMembershipRemovals') {
      out[at] = { option: 'allowMembershipRemovals', atLeast: Math.max(seen.atLeast, override.atLeast) };
    }
  }
  return out;
}

/** The English fallback of a suggestion, in the reference wording (`--allow-removals 12`, `--allow-empty`). */
export function describeOverride(override: SafetyOverride): string {
  switch (override.option) {
    case 'allowRemovals':
      return `--allow-removals ${override.atLeast ?? '<n>'}`;
    case 'allowMembershipRemovals':
      return `--allow-membership-removals ${override.atLeast}`;
    case 'allowEmpty':
      return '--allow-empty';
    case 'allowSourceChange':
      return '--allow-source-change';
    case 'allowSeatOverflow':
      return '--allow-seat-overflow';
  }
}

/** The override fields of a failed check: the suggestion and its English fallback. */
export function allowOnce(allow: SafetyOverride): Pick<SafetyCheck, 'allow' | 'override'> {
  return { allow, override: describeOverride(allow) };
}
