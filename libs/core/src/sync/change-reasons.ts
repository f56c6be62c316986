/**
 * The stable reason texts a plan puts on its changes (shown to the admin, matched by the CLI, the
 * report and the specs). One shared string each: a 10k-group plan must not hold 10k copies.
 */
import type { PlanUser } from './plan.types.js';

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

/** The `remove` reason of a user sent as deleted, from why it is deleted. */
export function removalReason(user: PlanUser): string {
  switch (user.deletedReason) {
    case 'vanished':
      return REMOVAL_REASONS.vanished;
    case 'disabled':
      return REMOVAL_REASONS.disabled;
    default:
      return REMOVAL_REASONS.directory;
  }
}
