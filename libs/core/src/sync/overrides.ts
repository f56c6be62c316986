/**
 * One-run safety overrides as data (issue #7 item 3): what the admin allowed for this plan or sync,
 * and what would let a failed safety check pass. Faces turn these into their own words (the CLI into
 * `--allow-removals 12`, the desktop into a confirmation); core only keeps an English fallback.
 */

/**
 * One-run overrides given by the admin for a single plan or sync (never saved). New overrides are
 * added here and in {@link SafetyOverride}; each face then has to render them (its table is typed
 * against these names, so a missing one fails to compile).
 */
export interface SyncOverrides {
  /** Allow up to this many removals for this run (raises the removal limit; CLI `--allow-removals <n>`). */
  allowRemovals?: number;
  /** Allow a read with no active users although the last sync had users (CLI `--allow-empty`). */
  allowEmpty?: boolean;
  /** Post even when the hash is unchanged (e.g. after a live-org diff shows drift). */
  ignoreHash?: boolean;
}

/**
 * What would let one failed safety check pass for one run: the override to give and, for a count,
 * the smallest value that does (`null` when dirconn cannot know it and the admin has to choose).
 */
export type SafetyOverride = { option: 'allowRemovals'; atLeast: number | null } | { option: 'allowEmpty' };

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
    } else if (seen.option === 'allowRemovals' && override.option === 'allowRemovals' && override.atLeast !== null) {
      out[at] = { option: 'allowRemovals', atLeast: seen.atLeast === null ? override.atLeast : Math.max(seen.atLeast, override.atLeast) };
    }
  }
  return out;
}

/** The English fallback of a suggestion, in the reference wording (`--allow-removals 12`, `--allow-empty`). */
export function describeOverride(override: SafetyOverride): string {
  switch (override.option) {
    case 'allowRemovals':
      return `--allow-removals ${override.atLeast ?? '<n>'}`;
    case 'allowEmpty':
      return '--allow-empty';
  }
}
