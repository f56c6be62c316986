/**
 * Reading attribute values off an ldapts search entry: case-insensitive lookup, values as strings
 * or raw bytes, and attribute lists for search requests. Pure, no I/O.
 */

/** Attribute values as ldapts returns them (strings, or Buffers for binary/explicit attributes). */
export type LdapValue = string | string[] | Buffer | Buffer[];

/** One search entry as ldapts returns it: the DN plus attributes keyed by the server's spelling. */
export interface LdapEntry {
  dn: string;
  [attribute: string]: LdapValue;
}

/** Attributes of one entry keyed by lower-cased attribute name. */
export type LowerAttributes = Map<string, LdapValue>;

const lowerKeyCache = new Map<string, string>();
function lowerKey(key: string): string {
  let lower = lowerKeyCache.get(key);
  if (lower === undefined) {
    lower = key.toLowerCase();
    if (lowerKeyCache.size < 10_000) lowerKeyCache.set(key, lower);
  }
  return lower;
}

/**
 * Indexes an entry's attributes by lower-cased name (servers may spell names differently from the
 * config). Attributes without values are left out: ldapts adds every requested attribute the
 * server did not return as `[]`, so presence means "has a value".
 */
export function lowerAttributes(entry: LdapEntry): LowerAttributes {
  const map: LowerAttributes = new Map();
  for (const key of Object.keys(entry)) {
    if (key === 'dn') continue;
    const value = entry[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    map.set(lowerKey(key), value);
  }
  return map;
}

/** All values of an attribute as strings (Buffers decoded as UTF-8); [] when absent. */
export function stringValues(value: LdapValue | undefined): string[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.map((v: string | Buffer) => (typeof v === 'string' ? v : v.toString('utf8')));
  return [typeof value === 'string' ? value : value.toString('utf8')];
}

/** The first non-blank value of an attribute, trimmed, or null. */
export function firstString(attrs: LowerAttributes, name: string | null | undefined): string | null {
  if (!name) return null;
  for (const value of stringValues(attrs.get(name.toLowerCase()))) {
    const trimmed = value.trim();
    if (trimmed !== '') return trimmed;
  }
  return null;
}

/** The first value of an attribute as returned (string or bytes), or null when absent. */
export function firstBinary(value: LdapValue | undefined): Buffer | string | null {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.length > 0 ? (value[0] ?? null) : null;
  return value;
}

/** Adds names to a list once, case-insensitively, skipping blanks. */
export function attributeList(...names: (string | null | undefined | false)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    if (!name) continue;
    const trimmed = name.trim();
    const key = trimmed.toLowerCase();
    if (trimmed === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(trimmed);
  }
  return out;
}
