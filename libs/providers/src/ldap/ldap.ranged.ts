/**
 * Ranged retrieval of large multi-valued attributes (Active Directory's MaxValRange, default 1500
 * values). A group with more members comes back as `member;range=0-1499`; the rest must be asked for
 * with base searches for `member;range=1500-*`, `member;range=3000-*`… until the server answers with
 * a range ending in `*`. Skipping this silently truncates big groups (reference §13.1), so any
 * inconsistency in the replies fails the read.
 */
import { DirconnError } from '@dirconn/core';
import type { LdapValue } from './ldap.attributes.js';
import { stringValues } from './ldap.attributes.js';

/** A parsed `<attribute>;range=<start>-<end>` attribute description. */
export interface RangedAttribute {
  attribute: string;
  start: number;
  /** Last index included, or null for `*` (the final chunk). */
  end: number | null;
}

const RANGED = /^([^;]+);range=(\d+)-(\d+|\*)$/i;

/** Parses `member;range=0-1499` → {attribute: 'member', start: 0, end: 1499}; undefined otherwise. */
export function parseRangedAttribute(name: string): RangedAttribute | undefined {
  const m = RANGED.exec(name);
  if (!m?.[1] || m[2] === undefined || m[3] === undefined) return undefined;
  return { attribute: m[1], start: Number(m[2]), end: m[3] === '*' ? null : Number(m[3]) };
}

/** Finds the ranged form of `attribute` among an entry's attribute names. */
export function findRangedAttribute(attributes: Record<string, unknown>, attribute: string): { name: string; range: RangedAttribute } | undefined {
  const wanted = attribute.toLowerCase();
  for (const name of Object.keys(attributes)) {
    const range = parseRangedAttribute(name);
    if (range && range.attribute.toLowerCase() === wanted) return { name, range };
  }
  return undefined;
}

/**
 * Asks the server for `<attribute>;range=<start>-*` of one entry and returns that entry's attributes
 * (as ldapts returns them), or undefined when the entry is gone.
 */
export type FetchRange = (dn: string, attribute: string, start: number) => Promise<Record<string, unknown> | undefined>;

/** Safety stop for a server that never ends the range (10 million values). */
const MAX_CHUNKS = 10_000;

/**
 * Completes a ranged attribute: starts from the values of the first chunk (`first`, as found on the
 * search entry) and fetches the following chunks one after the other until the range ends in `*`.
 * Throws `provider.incomplete-read` when a reply is missing, out of order or does not advance.
 */
export async function collectRangedValues(dn: string, attribute: string, first: { range: RangedAttribute; values: LdapValue | undefined }, fetchRange: FetchRange): Promise<string[]> {
  const values = stringValues(first.values);
  if (first.range.start !== 0) throw inconsistent(dn, attribute, `the first chunk starts at ${first.range.start}`);
  let end = first.range.end;
  let chunks = 1;
  while (end !== null) {
    const start = end + 1;
    if (++chunks > MAX_CHUNKS) throw inconsistent(dn, attribute, `more than ${MAX_CHUNKS} chunks`);
    const reply = await fetchRange(dn, attribute, start);
    if (reply === undefined) throw inconsistent(dn, attribute, `the entry disappeared while reading values from ${start}`);
    const found = findRangedAttribute(reply, attribute);
    if (found === undefined) {
      // A server may return the plain attribute when the rest fits; only acceptable as "no more values".
      const plain = Object.keys(reply).find((k) => k.toLowerCase() === attribute.toLowerCase());
      const rest = plain === undefined ? [] : stringValues(reply[plain] as LdapValue);
      if (rest.length === 0) break;
      throw inconsistent(dn, attribute, `the reply for values from ${start} is not ranged`);
    }
    if (found.range.start !== start) throw inconsistent(dn, attribute, `asked for values from ${start}, got a chunk starting at ${found.range.start}`);
    const chunk = stringValues(reply[found.name] as LdapValue | undefined);
    if (found.range.end !== null && found.range.end < start) throw inconsistent(dn, attribute, `the chunk from ${start} ends at ${found.range.end}`);
    for (const v of chunk) values.push(v);
    end = found.range.end;
  }
  return values;
}

function inconsistent(dn: string, attribute: string, why: string): DirconnError {
  return new DirconnError('provider.incomplete-read', `Could not read all ${attribute} values of ${dn}: ${why}.`, {
    hint: 'The group was not read completely, so the sync was stopped. Retry; if it persists, check the directory server logs.',
  });
}
