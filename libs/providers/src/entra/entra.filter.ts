/**
 * The Entra ID filter grammar (reference-connector.md §5.3, directory-apis.md §2.6), on the shared
 * clause parser of shared/set-filter.ts.
 *
 * User filter: a primary clause, optionally followed by `|`-separated secondary clauses.
 *   include:<emails> | exclude:<emails>            users by email
 *   includeGroup:<group ids>                        transitive members of these groups
 *   excludeGroup:<group ids>                        every user minus these groups' transitive members
 *   includeGroup:<ids>|excludeGroup:<ids>|…|exclude:<emails>   secondaries (any number) after includeGroup
 * Group filter:
 *   include:<names> | exclude:<names>               groups by display name
 *   includeAdministrativeUnit:<au ids> | excludeAdministrativeUnit:<au ids>   groups in these AUs
 *
 * Keywords are case-insensitive; values are split on `,`, trimmed and lower-cased. Unlike the
 * reference, which ignores what it does not understand (users-voice.md §1.6, #1067), every malformed
 * clause is an error naming it: a filter that silently switches off widens the sync to everyone.
 */
import { DirconnError } from '@dirconn/core';
import { passesSetFilter, splitValues, type SetFilter } from '../shared/set-filter.js';

/** A parsed Entra user filter. */
export interface EntraUserFilter {
  /** `include:`/`exclude:` emails as the primary clause, or null. */
  emails: SetFilter | null;
  /** `includeGroup:` ids (lower-cased), or null when the primary clause is not includeGroup. */
  includeGroupIds: ReadonlySet<string> | null;
  /** `excludeGroup:` ids from the primary clause or the secondaries (merged). */
  excludeGroupIds: ReadonlySet<string>;
  /** `exclude:` emails from the secondaries (after includeGroup). */
  excludeEmails: ReadonlySet<string>;
  /** The clauses as written (normalised), for `explain`. */
  clauses: readonly string[];
}

/** A parsed Entra group filter. */
export interface EntraGroupFilter {
  /** `include:`/`exclude:` display names, or null. */
  names: SetFilter | null;
  /** `includeAdministrativeUnit:`/`excludeAdministrativeUnit:` ids, or null. */
  administrativeUnits: { mode: 'include' | 'exclude'; ids: ReadonlySet<string> } | null;
  clause: string | null;
}

/** No user filter: every user of the tenant. */
export const NO_USER_FILTER: EntraUserFilter = { emails: null, includeGroupIds: null, excludeGroupIds: new Set(), excludeEmails: new Set(), clauses: [] };
/** No group filter: every group of the tenant. */
export const NO_GROUP_FILTER: EntraGroupFilter = { names: null, administrativeUnits: null, clause: null };

const USER_EXAMPLE = 'includeGroup:<group id>|excludeGroup:<group id>|exclude:someone@example.com';
const GROUP_EXAMPLE = 'include:Engineering,Sales';

type Fail = (why: string) => never;

function failer(key: string, text: string, hint: string): Fail {
  return (why) => {
    throw new DirconnError('config.invalid', `Invalid ${key} "${text}": ${why}.`, { hint });
  };
}

/** Splits `keyword:values` into the lower-cased keyword and its values; `fail` on anything else. */
function splitClause(clause: string, fail: Fail): { keyword: string; values: Set<string>; raw: string } {
  const parts = clause.split(':');
  if (parts.length < 2) fail(`"${clause.trim()}" is not a <keyword>:<values> clause`);
  if (parts.length > 2) fail(`a value in "${clause.trim()}" contains ":"`);
  const raw = (parts[0] ?? '').trim();
  const values = splitValues(parts[1] ?? '');
  if (values.size === 0) fail(`no values after "${raw}:"`);
  return { keyword: raw.toLowerCase(), values, raw };
}

const render = (keyword: string, values: ReadonlySet<string>): string => `${keyword}:${[...values].join(',')}`;

/**
 * Parses an Entra user filter (see the module comment). Blank → {@link NO_USER_FILTER}.
 * @throws DirconnError `config.invalid` naming the bad clause
 */
export function parseEntraUserFilter(text: string | null | undefined, key = 'sync.userFilter'): EntraUserFilter {
  if (text === null || text === undefined || text.trim() === '') return NO_USER_FILTER;
  const fail = failer(key, text, `Use include:<emails>, exclude:<emails>, includeGroup:<group ids> or excludeGroup:<group ids>; after includeGroup, add |excludeGroup:<ids> or |exclude:<emails>, e.g. "dirconn config ${key} ${USER_EXAMPLE}".`);
  const [primaryText = '', ...secondaryTexts] = text.split('|');
  if (primaryText.trim() === '') fail('the first clause is empty (Entra has no native query after |)');
  const primary = splitClause(primaryText, fail);
  const clauses: string[] = [];
  let emails: SetFilter | null = null;
  let includeGroupIds: Set<string> | null = null;
  const excludeGroupIds = new Set<string>();
  const excludeEmails = new Set<string>();
  switch (primary.keyword) {
    case 'include':
    case 'exclude':
      emails = { mode: primary.keyword, values: primary.values };
      clauses.push(render(primary.keyword, primary.values));
      break;
    case 'includegroup':
      includeGroupIds = primary.values;
      clauses.push(render('includeGroup', primary.values));
      break;
    case 'excludegroup':
      for (const id of primary.values) excludeGroupIds.add(id);
      clauses.push(render('excludeGroup', primary.values));
      break;
    default:
      fail(`unknown keyword "${primary.raw}" (expected include, exclude, includeGroup or excludeGroup)`);
  }
  for (const secondaryText of secondaryTexts) {
    if (secondaryText.trim() === '') fail('an empty clause between | separators');
    if (includeGroupIds === null) fail(`"${secondaryText.trim()}": clauses after | are only allowed after an includeGroup clause`);
    const secondary = splitClause(secondaryText, fail);
    if (secondary.keyword === 'excludegroup') {
      for (const id of secondary.values) excludeGroupIds.add(id);
      clauses.push(render('excludeGroup', secondary.values));
    } else if (secondary.keyword === 'exclude') {
      for (const email of secondary.values) excludeEmails.add(email);
      clauses.push(render('exclude', secondary.values));
    } else {
      fail(`"${secondary.raw}" cannot follow includeGroup (expected excludeGroup or exclude)`);
    }
  }
  return { emails, includeGroupIds, excludeGroupIds, excludeEmails, clauses };
}

/**
 * Parses an Entra group filter (see the module comment). Blank → {@link NO_GROUP_FILTER}.
 * @throws DirconnError `config.invalid` naming the bad clause
 */
export function parseEntraGroupFilter(text: string | null | undefined, key = 'sync.groupFilter'): EntraGroupFilter {
  if (text === null || text === undefined || text.trim() === '') return NO_GROUP_FILTER;
  const fail = failer(key, text, `Use include:<names>, exclude:<names>, includeAdministrativeUnit:<ids> or excludeAdministrativeUnit:<ids>, e.g. "dirconn config ${key} ${GROUP_EXAMPLE}".`);
  if (text.includes('|')) fail('the group filter takes one clause (no |)');
  const clause = splitClause(text, fail);
  switch (clause.keyword) {
    case 'include':
    case 'exclude':
      return { names: { mode: clause.keyword, values: clause.values }, administrativeUnits: null, clause: render(clause.keyword, clause.values) };
    case 'includeadministrativeunit':
      return { names: null, administrativeUnits: { mode: 'include', ids: clause.values }, clause: render('includeAdministrativeUnit', clause.values) };
    case 'excludeadministrativeunit':
      return { names: null, administrativeUnits: { mode: 'exclude', ids: clause.values }, clause: render('excludeAdministrativeUnit', clause.values) };
    default:
      return fail(`unknown keyword "${clause.raw}" (expected include, exclude, includeAdministrativeUnit or excludeAdministrativeUnit)`);
  }
}

function checker(parse: (text: string) => unknown): (filter: string) => string | undefined {
  return (filter) => {
    try {
      parse(filter);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  };
}

/** Syntax check of a user filter: the problem, or undefined. */
export const checkEntraUserFilter = checker((f) => parseEntraUserFilter(f));
/** Syntax check of a group filter: the problem, or undefined. */
export const checkEntraGroupFilter = checker((f) => parseEntraGroupFilter(f));
/** Either check, for the definition's single `filter.check` (which does not say which setting it is). */
export function checkEntraFilter(filter: string): string | undefined {
  const asUser = checkEntraUserFilter(filter);
  if (asUser === undefined) return undefined;
  return checkEntraGroupFilter(filter) === undefined ? undefined : asUser;
}

/** Group memberships that decide a user's scope, resolved by the provider (transitive members). */
export interface UserScopeSets {
  /** Union of the transitive members of the includeGroup ids, or null without includeGroup. */
  included: ReadonlySet<string> | null;
  /** Union of the transitive members of the excludeGroup ids. */
  excluded: ReadonlySet<string>;
}

/** Why a user is outside the user filter, or null when it passes. */
export function userFilterRejection(filter: EntraUserFilter, user: { id: string; email: string | null }, scope: UserScopeSets): string | null {
  if (filter.emails !== null && !passesSetFilter(filter.emails, user.email)) {
    return `${filter.emails.mode === 'include' ? 'not listed in' : 'listed in'} ${render(filter.emails.mode, filter.emails.values)}`;
  }
  if (filter.includeGroupIds !== null && scope.included !== null && !scope.included.has(user.id)) {
    return `not a member (direct or nested) of ${render('includeGroup', filter.includeGroupIds)}`;
  }
  if (filter.excludeGroupIds.size > 0 && scope.excluded.has(user.id)) return `a member of ${render('excludeGroup', filter.excludeGroupIds)}`;
  if (filter.excludeEmails.size > 0 && user.email !== null && filter.excludeEmails.has(user.email.trim().toLowerCase())) {
    return `listed in ${render('exclude', filter.excludeEmails)}`;
  }
  return null;
}

/** True when the user filter needs group memberships (includeGroup / excludeGroup). */
export function userFilterNeedsGroups(filter: EntraUserFilter): boolean {
  return filter.includeGroupIds !== null || filter.excludeGroupIds.size > 0;
}

/** Why a group is outside the group filter, or null when it passes; `inUnits` = group ids of the AUs. */
export function groupFilterRejection(filter: EntraGroupFilter, group: { id: string; displayName: string | null }, inUnits: ReadonlySet<string> | null): string | null {
  if (filter.names !== null && !passesSetFilter(filter.names, group.displayName)) {
    return `${filter.names.mode === 'include' ? 'not listed in' : 'listed in'} ${filter.clause ?? ''}`;
  }
  if (filter.administrativeUnits !== null && inUnits !== null) {
    const member = inUnits.has(group.id.toLowerCase());
    if (filter.administrativeUnits.mode === 'include' ? !member : member) return `${member ? 'in' : 'not in'} ${filter.clause ?? ''}`;
  }
  return null;
}

/** True when a group set filter is present (reference §5.4: it then scopes users to kept groups). */
export function hasGroupSetFilter(filter: EntraGroupFilter): boolean {
  return filter.names !== null || filter.administrativeUnits !== null;
}
