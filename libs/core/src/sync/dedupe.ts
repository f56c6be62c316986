/**
 * De-duplication of users by email and detection of duplicate externalIds
 * (reference-connector.md §7.3, bitwarden-api.md §6.2 rule 4).
 *
 * The reference walks users in directory order, which makes its outcome depend on that order (an
 * active user after a deleted one with the same email is an error, before it the deleted one is
 * dropped). dirconn uses an ORDER-INDEPENDENT rule instead, per email (emails are already
 * normalised):
 *
 * 1. Active entries (raw `deleted` false; a disabled user counts as active, as in the reference):
 *    identical ones (same referenceId, externalId, email, disabled, deleted) collapse into one; if
 *    different active entries remain, the email is a duplicate and the run fails with
 *    `sync.duplicate-email`.
 * 2. If exactly one active entry remains, every deleted entry with that email is a tombstone of the
 *    live user and is dropped (reported in `droppedTombstones`), wherever it appears.
 * 3. If no active entry exists, all deleted entries are kept (identical ones collapse).
 *
 * Kept entries stay in directory order (first occurrence), so for every input the reference accepts
 * without depending on order, the result is the reference's.
 */
import { DirconnError } from '../errors.js';
import type { NormalizedUser } from './normalize.js';

/** A deleted entry dropped because an active user has the same email. */
export interface DroppedTombstone {
  user: NormalizedUser;
  /** The active user that keeps the email. */
  liveExternalId: string;
}

/** What `dedupeUsers` returns. */
export interface DedupeResult {
  /** Users to send, directory order. */
  users: NormalizedUser[];
  droppedTombstones: DroppedTombstone[];
  /** How many exact copies were collapsed. */
  identicalCopies: number;
}

function sameContent(a: NormalizedUser, b: NormalizedUser): boolean {
  return a.referenceId === b.referenceId && a.externalId === b.externalId && a.email === b.email && a.disabled === b.disabled && a.deleted === b.deleted;
}

/** How many duplicate emails the error message names before "and N more" (reference: 3). */
const EMAILS_IN_MESSAGE = 3;

/**
 * Applies the rule above. Throws `DirconnError('sync.duplicate-email')` whose `details.emails` lists
 * every offending email (sorted); the message names up to three and "and N more".
 */
export function dedupeUsers(users: readonly NormalizedUser[]): DedupeResult {
  // Only emails seen more than once need a closer look; most directories have none.
  const firstByEmail = new Map<string, NormalizedUser>();
  const shared = new Map<string, NormalizedUser[]>();
  for (const user of users) {
    const first = firstByEmail.get(user.email);
    if (first === undefined) {
      firstByEmail.set(user.email, user);
      continue;
    }
    const list = shared.get(user.email);
    if (list === undefined) shared.set(user.email, [first, user]);
    else list.push(user);
  }

  const duplicates: string[] = [];
  const dropped = new Set<NormalizedUser>();
  const liveOfTombstone = new Map<NormalizedUser, string>();
  let identicalCopies = 0;
  for (const [email, entries] of shared) {
    const active = entries.filter((u) => !u.deleted);
    const distinct: NormalizedUser[] = [];
    for (const entry of entries) {
      // Exact copies collapse into the first one, active or deleted.
      if (distinct.some((kept) => sameContent(kept, entry))) {
        dropped.add(entry);
        identicalCopies += 1;
      } else {
        distinct.push(entry);
      }
    }
    const distinctActive = distinct.filter((u) => !u.deleted);
    if (distinctActive.length > 1) {
      duplicates.push(email);
      continue;
    }
    const live = active[0];
    if (live === undefined) continue;
    for (const entry of distinct) {
      if (!entry.deleted) continue;
      dropped.add(entry);
      liveOfTombstone.set(entry, live.externalId);
    }
  }

  if (duplicates.length > 0) {
    duplicates.sort(compareStrings);
    const shown = duplicates.slice(0, EMAILS_IN_MESSAGE).join(', ');
    const more = duplicates.length > EMAILS_IN_MESSAGE ? ` and ${duplicates.length - EMAILS_IN_MESSAGE} more` : '';
    throw new DirconnError('sync.duplicate-email', `Emails must be unique. Multiple entries pulled with the following emails: ${shown}${more}.`, {
      hint: 'Each email may belong to only one active directory entry. Fix the entries in the directory or narrow the user filter, then run again.',
      details: { emails: duplicates },
    });
  }

  const droppedTombstones: DroppedTombstone[] = [];
  if (liveOfTombstone.size > 0) {
    for (const user of users) {
      const liveExternalId = liveOfTombstone.get(user);
      if (liveExternalId !== undefined) droppedTombstones.push({ user, liveExternalId });
    }
  }
  const kept = dropped.size === 0 ? [...users] : users.filter((u) => !dropped.has(u));
  return { users: kept, droppedTombstones, identicalCopies };
}

/**
 * ExternalIds used by more than one item, sorted. Comparison is exact (ordinal, case-sensitive), like
 * the server's index.
 */
export function findDuplicateExternalIds(items: Iterable<{ externalId: string }>): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const item of items) {
    if (seen.has(item.externalId)) duplicates.add(item.externalId);
    else seen.add(item.externalId);
  }
  return [...duplicates].sort(compareStrings);
}

/** Code-unit string order (locale independent, deterministic). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
