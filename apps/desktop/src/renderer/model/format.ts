/** Plain words for the values the screens show: times, outcomes, change kinds, safety rules. */
import type { ChangeKind, RunOutcome, SafetyRule } from '@dirconn/core';

/** A local date and time ("4 Dec 2026, 17:45:02"), or "never" for null. */
export function formatTime(iso: string | null, locale?: string): string {
  if (iso === null) return 'never';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A duration in plain words ("850 ms", "12.3 s", "2 min 5 s"). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

const OUTCOMES: Record<RunOutcome | 'skipped', string> = {
  synced: 'Synced',
  unchanged: 'Nothing to change',
  'dry-run': 'Plan only (nothing sent)',
  'safety-stop': 'Stopped by a safety check',
  failed: 'Failed',
  skipped: 'Skipped',
};

/** A run outcome in words. */
export function outcomeLabel(outcome: RunOutcome | 'skipped' | null): string {
  return outcome === null ? 'no run yet' : OUTCOMES[outcome];
}

/** Headings of the plan's change kinds, in the order the Plan screen lists them. */
export const CHANGE_KINDS: readonly { kind: ChangeKind; title: string; explanation: string }[] = [
  { kind: 'invite', title: 'Invitations', explanation: 'People in the directory who are not in the organization yet; they get an invitation.' },
  { kind: 'remove', title: 'Removals', explanation: 'Members who are no longer in the directory (or are disabled there, when removing disabled users is on).' },
  { kind: 'email-change', title: 'Email changes', explanation: 'The directory has a new email for a member already linked by external id.' },
  { kind: 'external-id-change', title: 'External id changes', explanation: 'A member keeps the email but the directory now gives another external id.' },
  { kind: 'link', title: 'Links', explanation: 'Existing members matched by email who get linked to their directory entry.' },
  { kind: 'group-create', title: 'New groups', explanation: 'Directory groups the organization does not have yet.' },
  { kind: 'group-rename', title: 'Renamed groups', explanation: 'Groups whose name changed in the directory.' },
  { kind: 'group-member-add', title: 'Members added to groups', explanation: 'People who join a group, nested groups flattened.' },
  { kind: 'group-member-remove', title: 'Members removed from groups', explanation: 'People who leave a group.' },
  { kind: 'skip', title: 'Skipped entries', explanation: 'Directory entries that are not sent, with the reason.' },
];

const RULES: Record<SafetyRule, string> = {
  'max-removals': 'Removal limit',
  'empty-read': 'Empty directory read',
  'user-count-drop': 'Drop in user count',
  'group-count-drop': 'Drop in group count',
  'duplicate-external-id': 'Duplicate external ids',
  'incomplete-read': 'Incomplete directory read',
  'overwrite-with-batches': 'Overwrite with batches',
  'max-membership-removals': 'Group membership removal limit',
  'empty-groups': 'Groups emptied',
  'unresolved-members': 'Unresolved group members',
  'source-changed': 'Directory source changed',
  seats: 'Seats',
};

/** A safety rule's name in words (the raw rule for one this build does not know). */
export function ruleLabel(rule: string): string {
  return (RULES as Record<string, string>)[rule] ?? rule;
}

/** "1 user", "2 users". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}
