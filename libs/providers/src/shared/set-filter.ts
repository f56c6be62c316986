/**
 * The cloud sources' filter syntax (reference §5.2): `<set clause>|<native query>`, where the set
 * clause is `include:a,b` or `exclude:a,b` and the native query is passed to the directory's own API
 * (Google `query`, Okta `filter`, OneLogin query string). Shared by the sample, Google, Okta and
 * OneLogin sources; Entra has its own richer grammar built on the same clause parser.
 *
 * Unlike the reference, malformed clauses are errors instead of silently disabling the filter (a
 * filter that silently turns off widens the sync to everyone).
 */
import { DirconnError } from '@dirconn/core';

/** A parsed set clause. */
export interface SetFilter {
  mode: 'include' | 'exclude';
  /** Trimmed, lower-cased values. */
  values: Set<string>;
}

/** A parsed `<set clause>|<native query>` filter. */
export interface CloudFilter {
  /** The set clause, or null when there is none. */
  set: SetFilter | null;
  /** The trimmed native query (text between the first and second `|`), or null. */
  query: string | null;
}

/** Options of {@link parseCloudFilter}. */
export interface CloudFilterOptions {
  /** The setting being parsed, for messages (`sync.userFilter`). */
  key?: string;
  /** Whether the source accepts a native query after `|`; when false, a query is an error. */
  nativeQuery: boolean;
  /** Example shown in the hint. */
  example?: string;
}

/**
 * Parses `include:a,b|<query>` / `exclude:a,b` / `|<query>` (keyword case-insensitive; values split on
 * `,`, trimmed and lower-cased). Blank → no set and no query.
 * @throws DirconnError `config.invalid` naming what is wrong
 */
export function parseCloudFilter(text: string | null | undefined, options: CloudFilterOptions): CloudFilter {
  if (text === null || text === undefined || text.trim() === '') return { set: null, query: null };
  const key = options.key ?? 'filter';
  const [clause = '', query = '', ...rest] = text.split('|');
  const fail = (why: string): never => {
    throw new DirconnError('config.invalid', `Invalid ${key} "${text}": ${why}.`, {
      hint: `Use include:<values> or exclude:<values>${options.nativeQuery ? ', optionally followed by |<query>' : ''}, e.g. "dirconn config ${key} ${options.example ?? 'include:alice@example.com,bob@example.com'}".`,
    });
  };
  if (!options.nativeQuery && (query.trim() !== '' || rest.some((q) => q.trim() !== ''))) fail('this source has no native query (text after |)');
  const set = clause.trim() === '' ? null : parseSetClause(clause, fail);
  const trimmedQuery = query.trim();
  return { set, query: trimmedQuery === '' ? null : trimmedQuery };
}

/** Parses one `keyword:values` clause with keyword include or exclude; `fail` throws. */
export function parseSetClause(clause: string, fail: (why: string) => never): SetFilter {
  const parts = clause.split(':');
  if (parts.length !== 2) fail(parts.length < 2 ? 'expected <keyword>:<values>' : 'a value contains ":"');
  const keyword = (parts[0] ?? '').trim().toLowerCase();
  if (keyword !== 'include' && keyword !== 'exclude') fail(`unknown keyword "${(parts[0] ?? '').trim()}" (expected include or exclude)`);
  const values = splitValues(parts[1] ?? '');
  if (values.size === 0) fail('no values after the keyword');
  return { mode: keyword, values };
}

/** Splits a comma list into trimmed, lower-cased, non-empty values. */
export function splitValues(list: string): Set<string> {
  return new Set(
    list
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter((v) => v !== ''),
  );
}

/** Does a candidate (email or name) pass the set filter? A missing value is compared as `--` (reference). */
export function passesSetFilter(filter: SetFilter | null, candidate: string | null | undefined): boolean {
  if (filter === null) return true;
  const value = candidate?.trim().toLowerCase() || '--';
  const member = filter.values.has(value);
  return filter.mode === 'include' ? member : !member;
}

/** A syntax checker for `ProviderDefinition.filter.check`: the problem, or undefined. */
export function cloudFilterChecker(options: CloudFilterOptions): (filter: string) => string | undefined {
  return (filter) => {
    try {
      parseCloudFilter(filter, options);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
}

/**
 * Reference §5.4 (cloud sources, not LDAP): with groups synced and a group set filter present, users
 * who are not a direct member of a kept group are dropped, except deleted users and (with
 * removeDisabled) disabled ones. Runs before nested groups are flattened.
 */
export function scopeUsersToKeptGroups<U extends { externalId: string; deleted: boolean; disabled: boolean }>(
  users: U[],
  keptGroups: readonly { userMemberExternalIds: readonly string[] }[],
  removeDisabled: boolean,
): U[] {
  const kept = new Set<string>();
  for (const group of keptGroups) for (const id of group.userMemberExternalIds) kept.add(id);
  return users.filter((u) => u.deleted || (removeDisabled && u.disabled) || kept.has(u.externalId));
}
