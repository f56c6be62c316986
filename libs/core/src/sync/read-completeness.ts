/**
 * A read that skipped part of the scope (issue #9 item 6: LDAP continuation references not followed,
 * a second referral hop) is not complete although the provider read everything it could: people on
 * the skipped server are simply not in it. Such a read is treated like a delta read for removals —
 * nobody is removed as vanished, the synced lists are merged instead of replaced, the count checks do
 * not apply — and an import that would remove everyone not in it (`sync.overwriteExisting`) stops.
 */
import type { SyncConfig } from '../config/config.js';
import type { DirectorySnapshot, ReadWarning } from '../model/directory.js';
import { formatList } from './normalize.js';
import type { SafetyCheck } from './plan.types.js';

/** True when absence from this read means "gone": a full read that skipped nothing. */
export function isCompleteRead(snapshot: Pick<DirectorySnapshot, 'mode' | 'skipped'>): boolean {
  return snapshot.mode === 'full' && (snapshot.skipped?.length ?? 0) === 0;
}

/** True when the read was full but skipped part of the scope. */
export function skippedPartOfScope(snapshot: Pick<DirectorySnapshot, 'mode' | 'skipped'>): boolean {
  return snapshot.mode === 'full' && !isCompleteRead(snapshot);
}

/**
 * The warning of a read that skipped part of the scope: what was skipped and how many previously
 * synced users it did not see and therefore keeps.
 */
export function skippedReadWarning(snapshot: Pick<DirectorySnapshot, 'skipped'>, notSeen: readonly string[]): ReadWarning {
  const kept = notSeen.length > 0 ? ` ${notSeen.length} previously synced user(s) are not in this read and are kept: ${formatList(notSeen)}.` : '';
  return {
    code: 'read-incomplete',
    message: `The directory read skipped part of the scope (${formatList(snapshot.skipped ?? [], 3)}), so nobody is removed as vanished in this run.${kept}`,
  };
}

/** incomplete-read: overwriteExisting would remove everyone the skipped part holds. */
export function incompleteReadCheck(snapshot: Pick<DirectorySnapshot, 'mode' | 'skipped'>, sync: Pick<SyncConfig, 'overwriteExisting'>): SafetyCheck {
  if (!skippedPartOfScope(snapshot)) return { rule: 'incomplete-read', passed: true, message: 'The read skipped nothing in scope (or was a delta read).' };
  const where = formatList(snapshot.skipped ?? [], 3);
  if (!sync.overwriteExisting) {
    return { rule: 'incomplete-read', passed: true, message: `The read skipped part of the scope (${where}): nobody is removed as vanished.` };
  }
  return {
    rule: 'incomplete-read',
    passed: false,
    message:
      `The read skipped part of the scope (${where}) and sync.overwriteExisting is on, so the import would remove every member there. ` +
      'Follow the referrals (ldap.followReferrals true, or a global catalog) or turn off sync.overwriteExisting.',
  };
}
