/**
 * How the CLI words the structured parts of core's hints and safety checks (issue #7 item 3): a
 * command as `"dirconn <name> <args>"`, a setting as `"dirconn config <key> <value>"`, a one-run
 * override as its flag. Core keeps an English fallback; the CLI renders from the data.
 */
import { renderHint, type ErrorHint, type HintWords, type SafetyOverride } from '@dirconn/core';

/** The flag of each one-run override (typed: a new override fails to compile until it has a flag). */
const OVERRIDE_FLAGS: Record<SafetyOverride['option'], string> = {
  allowRemovals: '--allow-removals',
  allowMembershipRemovals: '--allow-membership-removals',
  allowEmpty: '--allow-empty',
  allowSourceChange: '--allow-source-change',
  allowSeatOverflow: '--allow-seat-overflow',
};

/**
 * A one-run override as the flag that gives it, e.g. `--allow-removals 12` (`<n>` when the admin has
 * to choose, `all` when the count is unknown).
 */
export function overrideFlag(override: SafetyOverride): string {
  const flag = OVERRIDE_FLAGS[override.option];
  switch (override.option) {
    case 'allowRemovals':
      return `${flag} ${override.atLeast ?? '<n>'}`;
    case 'allowMembershipRemovals':
      return `${flag} ${override.atLeast}`;
    default:
      return flag;
  }
}

/** The CLI's words for hints. */
export const CLI_HINT_WORDS: HintWords = {
  command: (c) => `"dirconn ${[c.name, ...c.args].join(' ')}"`,
  setting: (s) => `"dirconn config ${s.key} ${s.value}"`,
  override: overrideFlag,
};

/** A structured hint as the CLI prints it. */
export function renderCliHint(hint: ErrorHint): string {
  return renderHint(hint, CLI_HINT_WORDS);
}
