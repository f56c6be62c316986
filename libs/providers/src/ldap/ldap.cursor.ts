/**
 * The LDAP delta cursor (reference §6.1.2, improved): what a read hands back to core for the next
 * run, how a saved one is parsed, and the filter a delta read adds. Pure, no I/O.
 */
import { withRevisionFilter } from './ldap.search-scope.js';

/**
 * Delta reads look back this far before the cursor's time, so a skew between our clock and the
 * directory's (whose timestamps the filter compares) cannot hide a change. Re-reading a few users
 * is harmless; missing one is not.
 */
export const DELTA_OVERLAP_MS = 10 * 60 * 1000;

/**
 * Where an AD domain controller stood when a read started: its identity and its update sequence
 * number (USN) high-water mark. USNs are per DC and per database instance, so a cursor is only
 * trusted by the same DC with the same invocationId (a DC restored from backup gets a new one).
 */
export interface AdUsnMark {
  /** rootDSE dsServiceName: the DN of the DC's NTDS Settings object. */
  server: string;
  /** invocationId of that DC's database, lower-case hex. */
  invocationId: string;
  /** rootDSE highestCommittedUSN when the read started (decimal). */
  highest: string;
}

/** The cursor an LDAP read returns; opaque to core, stored after a successful sync. */
export interface LdapCursor {
  v: 1;
  /** ISO time at which the read that produced this cursor started. */
  lastSync: string;
  /** Digest of the settings that decide what is read; any change forces a full read. */
  fingerprint: string;
  /** False when the revision attribute was missing on the entries read: deltas would miss changes. */
  deltaCapable: boolean;
  /**
   * AD only: the DC's USN mark at the start of the read. The next delta read on the same DC asks for
   * `uSNChanged` above it (exact, no clock involved); on another DC it falls back to the time filter.
   */
  usn?: AdUsnMark;
  /**
   * AD only: false when the bind user could see no deleted users on the last full read (it probably
   * lacks the right to list CN=Deleted Objects), so delta reads repeat the warning instead of
   * staying silent.
   */
  tombstonesVisible?: boolean;
}

/** What a delta read asks for: entries changed since a time (revision attribute) or above a USN. */
export type DeltaSpec = { kind: 'time'; time: string } | { kind: 'usn'; from: string };

/** `(&<filter>(<revision>>=<time>))` or, for USN deltas, `(&<filter>(uSNChanged>=<usn>))`. */
export function deltaFilter(filter: string, revision: string, delta: DeltaSpec): string {
  return delta.kind === 'usn' ? `(&${filter}(uSNChanged>=${delta.from}))` : withRevisionFilter(filter, revision, delta.time);
}

/** Parses a cursor we produced earlier; anything else (foreign or older formats) is ignored. */
export function parseLdapCursor(value: unknown): LdapCursor | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Partial<LdapCursor>;
  if (c.v !== 1 || typeof c.lastSync !== 'string' || Number.isNaN(Date.parse(c.lastSync)) || typeof c.fingerprint !== 'string' || typeof c.deltaCapable !== 'boolean') return undefined;
  const cursor: LdapCursor = { v: 1, lastSync: c.lastSync, fingerprint: c.fingerprint, deltaCapable: c.deltaCapable };
  const usn = c.usn as Partial<AdUsnMark> | undefined;
  if (typeof usn === 'object' && usn !== null && typeof usn.server === 'string' && typeof usn.invocationId === 'string' && typeof usn.highest === 'string' && /^\d{1,20}$/.test(usn.highest)) {
    cursor.usn = { server: usn.server, invocationId: usn.invocationId, highest: usn.highest };
  }
  if (typeof c.tombstonesVisible === 'boolean') cursor.tombstonesVisible = c.tombstonesVisible;
  return cursor;
}

/** Same DC and same database instance (USNs of one are meaningless on the other). */
export function sameDc(a: AdUsnMark, b: AdUsnMark): boolean {
  return a.server.trim().toLowerCase() === b.server.trim().toLowerCase() && a.invocationId === b.invocationId;
}
