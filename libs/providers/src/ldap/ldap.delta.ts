/**
 * The full-versus-delta decision of one LDAP read (reference §6.1.2, improved: our own cursor, a
 * settings fingerprint, a clock overlap, and on AD the DC's update sequence numbers when the same DC
 * answers). Pure: the provider gathers the facts (read options, plan fingerprint, the DC's USN mark)
 * and acts on the answer. The sync.fullSyncIntervalHours rule lives in core (`needsFullRead`), which
 * turns an elapsed interval into `force` and passes no cursor.
 */
import type { ReadWarning } from '@dirconn/core';
import type { AdUsnMark, DeltaSpec, LdapCursor } from './ldap.cursor.js';
import { parseLdapCursor, sameDc } from './ldap.cursor.js';
import { toDeltaTime } from './ldap.search-scope.js';

/** The facts the delta decision depends on. */
export interface DeltaDecisionInput {
  /** ReadOptions.force: core sets it when asked, on overwrite runs and when the full-sync interval elapsed. */
  force: boolean;
  /** ReadOptions.since: the cursor saved after the last successful sync (undefined/null on a first run; may be foreign). */
  since: unknown;
  /** sync.revisionDateAttribute, trimmed (null: no delta reads at all, and no cursor is produced). */
  revision: string | null;
  /** The fingerprint of this run's read settings; a cursor made under other settings is refused. */
  fingerprint: string;
  /** AD: the DC's USN mark read at the start of this run; null elsewhere or when the DC publishes none. */
  usnMark: AdUsnMark | null;
  /** Look-back of time deltas before the cursor's time, in ms (DELTA_OVERLAP_MS by default). */
  overlapMs: number;
}

/** The outcome: a full read (delta null) or a delta read, with what explains it. */
export interface DeltaDecision {
  /** The accepted previous cursor (its tombstone visibility carries on), or undefined for a full read. */
  cursor: LdapCursor | undefined;
  /** What a delta read asks for, or null for a full read. */
  delta: DeltaSpec | null;
  /** Why a saved cursor was refused, as a snapshot warning. */
  warning?: ReadWarning;
  /**
   * Set when the cursor holds a USN mark but the time filter is used: another DC or database
   * answered (or its USN went backwards). Both DC names, for the debug log.
   */
  usnFallback?: { previous: string; now: string };
}

/**
 * Decides between a full read and a delta read. Full when forced, on a first run (no cursor), without
 * a revision attribute, or when the saved cursor is foreign, was made under other settings, or saw
 * no revision attribute. Otherwise a delta: by uSNChanged when the same DC (same dsServiceName and
 * invocationId) answers with a USN not below the cursor's, else by the revision attribute
 * (whenChanged / modifyTimestamp) since the cursor's time minus the overlap.
 */
export function decideDelta(input: DeltaDecisionInput): DeltaDecision {
  if (input.force || input.since === undefined || input.since === null || input.revision === null) return { cursor: undefined, delta: null };
  const parsed = parseLdapCursor(input.since);
  if (parsed === undefined) {
    return { cursor: undefined, delta: null, warning: { code: 'ldap.cursor-unknown', message: 'The saved delta cursor was not made by this LDAP source; reading everything.' } };
  }
  if (parsed.fingerprint !== input.fingerprint) {
    return { cursor: undefined, delta: null, warning: { code: 'ldap.cursor-stale', message: 'The LDAP settings changed since the last sync; reading everything instead of only changes.' } };
  }
  if (!parsed.deltaCapable) {
    return {
      cursor: undefined,
      delta: null,
      warning: { code: 'ldap.delta-unavailable', message: `sync.revisionDateAttribute "${input.revision}" was not found on the entries last read, so changes cannot be detected by it; reading everything.` },
    };
  }
  const previous = parsed.usn;
  const usnMark = input.usnMark;
  if (usnMark !== null && previous !== undefined && sameDc(previous, usnMark) && BigInt(previous.highest) <= BigInt(usnMark.highest)) {
    return { cursor: parsed, delta: { kind: 'usn', from: String(BigInt(previous.highest) + 1n) } };
  }
  const decision: DeltaDecision = { cursor: parsed, delta: { kind: 'time', time: toDeltaTime(new Date(Date.parse(parsed.lastSync) - input.overlapMs)) } };
  if (usnMark !== null && previous !== undefined) decision.usnFallback = { previous: previous.server, now: usnMark.server };
  return decision;
}

/** True when an AD user filter depends on group membership (memberOf, in-chain or direct). */
export function isMembershipFilter(filter: string | null | undefined): boolean {
  return /memberof/i.test(filter ?? '');
}
