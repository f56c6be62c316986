/**
 * Who a plan sends: previously synced users that vanished from a complete read (sent as deleted),
 * the warning for deleted entries dropped by de-duplication, and the `PlanUser` of each entry.
 */
import type { SyncConfig } from '../config/config.js';
import type { DirectorySnapshot, DirectoryUser, ReadWarning } from '../model/directory.js';
import type { SyncState } from '../model/state.js';
import type { DroppedTombstone } from './dedupe.js';
import { knownUsers } from './pending-users.js';
import { skippedPartOfScope, skippedReadWarning } from './read-completeness.js';
import { describeUser, emailProblem, formatList, normalizeEmail, type NormalizedUser } from './normalize.js';
import type { PlanUser } from './plan.types.js';

/**
 * Previously synced users absent from a COMPLETE read (full mode, users read, removeVanished on, a
 * previous sync known), as deleted users carrying their stored email. "Previously synced" includes
 * the members an unfinished run sent (`pendingUsers`, issue #9 item 6). A read that skipped part of
 * the scope (`snapshot.skipped`) removes nobody and says so in a `read-incomplete` warning. Users whose stored email is
 * unusable cannot be sent; they are named in a `vanished-user-not-removable` warning pushed on
 * `warnings`.
 */
export function findVanished(snapshot: DirectorySnapshot, previous: SyncState, sync: SyncConfig, warnings: ReadWarning[]): NormalizedUser[] {
  const known = knownUsers(previous);
  if (skippedPartOfScope(snapshot)) {
    const seen = new Set((snapshot.users ?? []).map((u) => u.externalId));
    const notSeen = snapshot.users === null ? [] : (known ?? []).filter((u) => !seen.has(u.externalId)).map((u) => u.email);
    warnings.push(skippedReadWarning(snapshot, notSeen));
    return [];
  }
  if (snapshot.mode !== 'full' || snapshot.users === null || !sync.removeVanished || known === null) return [];
  // Present = anywhere in the read, even if excluded by normalisation: an entry whose email became
  // unusable is still in the directory and must not be removed as "vanished".
  const present = new Set(snapshot.users.map((u) => u.externalId));
  const vanished: NormalizedUser[] = [];
  const unusable: string[] = [];
  for (const synced of known) {
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

/** Pushes one `tombstone-of-live-user` warning naming the deleted entries not sent (none: nothing). */
export function reportTombstones(tombstones: readonly DroppedTombstone[], warnings: ReadWarning[]): void {
  if (tombstones.length === 0) return;
  warnings.push({
    code: 'tombstone-of-live-user',
    message:
      `${tombstones.length} deleted directory entr${tombstones.length === 1 ? 'y shares its' : 'ies share their'} email with an active user and ${tombstones.length === 1 ? 'is' : 'are'} not sent ` +
      `(the active user keeps the email): ${formatList(tombstones.map((t) => `${describeUser(t.user)} <${t.user.email}> (active: ${t.liveExternalId})`))}.`,
  });
}

/** The user as sent: deleted when the directory says so or (with removeDisabled) when disabled, with why. */
export function toPlanUser(user: NormalizedUser, isVanished: boolean, removeDisabled: boolean): PlanUser {
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

/**
 * Deleted entries the source placed outside the user scope (AD lists every tombstone of the domain)
 * are sent only when dirconn synced them before (issue #9 item 4): Vaultwarden revokes by email, so
 * an unrelated tombstone could revoke a member. The ones dropped are counted in a warning.
 */
export function scopeTombstones(users: readonly DirectoryUser[], previous: SyncState, warnings: ReadWarning[]): DirectoryUser[] {
  const synced = new Set((knownUsers(previous) ?? []).map((u) => u.externalId));
  let dropped = 0;
  const kept = users.filter((user) => {
    if (user.outsideUserScope !== true || !user.deleted || synced.has(user.externalId)) return true;
    dropped += 1;
    return false;
  });
  if (dropped > 0) {
    warnings.push({
      code: 'tombstone-outside-user-scope',
      message: `${dropped} deleted directory entr${dropped === 1 ? 'y lies' : 'ies lie'} outside the user path and ${dropped === 1 ? 'was' : 'were'} never synced by dirconn, so ${dropped === 1 ? 'it is' : 'they are'} not sent.`,
    });
  }
  return dropped > 0 ? kept : (users as DirectoryUser[]);
}
