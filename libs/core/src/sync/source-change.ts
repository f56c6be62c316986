/**
 * "The source changed" (issue #9 item 2). Who was synced belongs to the organization, so a new
 * directory type or a new root (LDAP base DN, sample file) no longer starts afresh silently: the
 * people previously synced who are not in the new read would be removed as vanished. That is
 * shown, and the run stops unless the admin allows the change once.
 */
import type { DirectorySnapshot } from '../model/directory.js';
import type { SyncSource, SyncState } from '../model/state.js';
import { formatList } from './normalize.js';
import { knownUsers } from './pending-users.js';
import { isCompleteRead } from './read-completeness.js';
import { allowOnce } from './overrides.js';
import type { SafetyCheck } from './plan.types.js';

/**
 * The source of a read: its type and the definition's source fields with their values, normalised
 * (trimmed, lower-cased, no spaces around `,` and `=`, so `DC=Example, DC=com` equals
 * `dc=example,dc=com`), e.g. `rootPath dc=example,dc=com`. Identity null when the definition
 * declares no source fields.
 */
export function sourceOf(type: string, config: Readonly<Record<string, unknown>>, sourceFields: readonly string[] | undefined): SyncSource {
  if (sourceFields === undefined || sourceFields.length === 0) return { type, identity: null };
  const parts = sourceFields.map((field) => {
    const value = config[field];
    const text = typeof value === 'string' ? value.trim().toLowerCase().replace(/\s*([,=])\s*/g, '$1') : value === undefined || value === null ? '(not set)' : JSON.stringify(value);
    return `${field} ${text === '' ? '(not set)' : text}`;
  });
  return { type, identity: parts.join('; ') };
}

/** What changed between two sources, in words, or null when they are the same source. */
export function describeSourceChange(before: SyncSource, now: SyncSource): string | null {
  if (before.type !== now.type) return `the directory type changed from ${before.type} to ${now.type}`;
  // An identity unknown on either side (state saved before it was recorded) cannot show a change.
  if (before.identity !== null && now.identity !== null && before.identity !== now.identity) {
    return `the ${now.type} source changed from ${before.identity} to ${now.identity}`;
  }
  return null;
}

/** What the source-changed check looks at. */
export interface SourceChangeInput {
  snapshot: DirectorySnapshot;
  previous: SyncState;
  /** This read's source; undefined when the caller does not know it (the check does not apply). */
  source: SyncSource | undefined;
  allowSourceChange: boolean;
}

/**
 * source-changed: fails when the source changed and people previously synced are not in this read
 * (a complete user read is needed to say so; without one nothing is removed as vanished anyway).
 */
export function sourceChangeCheck(s: SourceChangeInput): SafetyCheck {
  const { previous, source, snapshot } = s;
  const change = previous.source === null || source === undefined ? null : describeSourceChange(previous.source, source);
  if (change === null) return { rule: 'source-changed', passed: true, message: 'Same source as the last sync.' };
  const known = knownUsers(previous);
  if (!isCompleteRead(snapshot) || snapshot.users === null || known === null) {
    return { rule: 'source-changed', passed: true, message: `Since the last sync ${change}; users were not read in full, so nobody is removed for it.` };
  }
  const present = new Set(snapshot.users.map((u) => u.externalId));
  const missing = known.filter((u) => !present.has(u.externalId));
  if (missing.length === 0) {
    return { rule: 'source-changed', passed: true, message: `Since the last sync ${change}; everyone previously synced is in the new read.` };
  }
  const who = formatList(missing.map((u) => u.email));
  if (s.allowSourceChange) {
    return {
      rule: 'source-changed',
      passed: true,
      message: `The source changed (${change}): ${missing.length} people previously synced are not in the new read (${who}); allowed by the override (the removal limits still apply).`,
    };
  }
  return {
    rule: 'source-changed',
    passed: false,
    message:
      `The source changed (${change}): ${missing.length} people previously synced are not in the new read and would be removed: ${who}. ` +
      'If the new source is meant to replace the old one, allow it once; otherwise set the previous value back.',
    ...allowOnce({ option: 'allowSourceChange' }),
  };
}
