/**
 * Okta delta reads (reference §6.4, improved): the cursor dirconn saves after a successful sync, and
 * the decision between a full read and a delta read. A delta asks Okta for users whose `lastUpdated`
 * is after the cursor's time (deprovisioned and suspended ones included: any `filter` returns them),
 * and re-reads every group with its members when any group's `lastUpdated` or
 * `lastMembershipUpdated` moved. Core turns an elapsed `sync.fullSyncIntervalHours` into a forced
 * (full) read, which also reconciles anything a delta cannot see.
 */
import type { ReadWarning } from '@dirconn/core';
import type { OktaFilter } from './okta.config.js';

/** Look-back before the cursor's time: covers clock skew and Okta's eventual consistency. */
export const DELTA_OVERLAP_MS = 5 * 60_000;

/** The saved cursor. */
export interface OktaCursor {
  v: 1;
  source: 'okta';
  /** When the read that made this cursor started (local clock, ISO). */
  lastSync: string;
  /** Settings the read depended on; a cursor made under other settings is refused. */
  fingerprint: string;
}

/** The settings a delta depends on. */
export function oktaFingerprint(orgUrl: string, userFilter: string | null, groupFilter: string | null): string {
  return JSON.stringify([orgUrl.toLowerCase(), userFilter ?? '', groupFilter ?? '']);
}

function isCursor(value: unknown): value is OktaCursor {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Partial<OktaCursor>;
  return c.v === 1 && c.source === 'okta' && typeof c.lastSync === 'string' && !Number.isNaN(Date.parse(c.lastSync)) && typeof c.fingerprint === 'string';
}

/** The decision: a full read, or a delta since `since` (ISO, overlap applied). */
export interface OktaDeltaDecision {
  since: string | null;
  warning?: ReadWarning;
}

/** Facts the decision depends on. */
export interface OktaDeltaInput {
  force: boolean;
  cursor: unknown;
  fingerprint: string;
  /** Users and groups are both read and the group filter has a set clause (§5.4 needs every membership). */
  scopesUsersByGroups: boolean;
}

/** Full when forced, on a first run, with a foreign or stale cursor, or when §5.4 scoping needs every membership. */
export function decideOktaDelta(input: OktaDeltaInput): OktaDeltaDecision {
  if (input.force || input.cursor === undefined || input.cursor === null) return { since: null };
  if (!isCursor(input.cursor)) return { since: null, warning: { code: 'okta.cursor-unknown', message: 'The saved delta cursor was not made by this Okta source; reading everything.' } };
  if (input.cursor.fingerprint !== input.fingerprint) {
    return { since: null, warning: { code: 'okta.cursor-stale', message: 'The Okta settings or filters changed since the last sync; reading everything instead of only changes.' } };
  }
  if (input.scopesUsersByGroups) return { since: null };
  return { since: new Date(Date.parse(input.cursor.lastSync) - DELTA_OVERLAP_MS).toISOString() };
}

/** The native query of a read, with the delta condition ANDed: `(<q>) and lastUpdated gt "<since>"`. */
export function withDelta(filter: OktaFilter['query'], condition: string | null): OktaFilter['query'] {
  if (condition === null) return filter;
  if (filter === null) return { kind: 'filter', text: condition };
  return { kind: filter.kind, text: `(${filter.text}) and ${condition}` };
}
