// The fake's subset of the Directory API search languages (directory-apis.md §3.5): space-separated
// clauses ANDed, `field=value` (exact), `field:value` (contains a word), `field:prefix*` (starts
// with), values optionally in single quotes. An unknown field or a clause without an operator is
// rejected like Google does ("Invalid Input"). Test-only.

import type { FakeGoogleGroup, FakeGoogleUser } from './state.js';

/** One parsed clause. */
interface Clause {
  field: string;
  op: '=' | ':';
  value: string;
}

/** Thrown for a query Google would reject with 400 "Invalid Input". */
export class InvalidQueryError extends Error {}

function splitClauses(query: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < query.length; i++) {
    const c = query[i] ?? '';
    if (c === '\\' && quoted && i + 1 < query.length) {
      current += c + (query[i + 1] ?? '');
      i++;
    } else if (c === "'") {
      quoted = !quoted;
      current += c;
    } else if (/\s/.test(c) && !quoted) {
      if (current !== '') out.push(current);
      current = '';
    } else current += c;
  }
  if (quoted) throw new InvalidQueryError('unterminated quote');
  if (current !== '') out.push(current);
  return out;
}

function parse(query: string, fields: readonly string[]): Clause[] {
  return splitClauses(query).map((text) => {
    const match = /^([A-Za-z][A-Za-z0-9_.]*)(=|:)(.*)$/.exec(text);
    if (!match) throw new InvalidQueryError(text);
    const [, field = '', op = '=', raw = ''] = match;
    if (!fields.includes(field)) throw new InvalidQueryError(field);
    let value = raw;
    if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) value = value.slice(1, -1).replace(/\\'/g, "'");
    return { field, op: op as '=' | ':', value };
  });
}

function textMatches(candidate: string, clause: Clause): boolean {
  const c = candidate.toLowerCase();
  const v = clause.value.toLowerCase();
  if (clause.op === '=') return c === v;
  const words = c.split(/[^a-z0-9]+/).filter((w) => w !== '');
  if (v.endsWith('*')) {
    const prefix = v.slice(0, -1);
    return c.startsWith(prefix) || words.some((w) => w.startsWith(prefix));
  }
  return words.includes(v) || c.includes(v);
}

const USER_FIELDS = ['email', 'name', 'givenName', 'familyName', 'orgUnitPath', 'isSuspended', 'isArchived', 'isAdmin'] as const;

/** A predicate for users matching a `users.list` query. @throws InvalidQueryError */
export function userQuery(query: string | undefined): (user: FakeGoogleUser) => boolean {
  if (query === undefined || query.trim() === '') return () => true;
  const clauses = parse(query, USER_FIELDS);
  return (user) =>
    clauses.every((clause) => {
      switch (clause.field) {
        case 'email':
          return textMatches(user.primaryEmail, clause) || user.emails.some((e) => textMatches(e.address, clause));
        case 'name':
          return textMatches(`${user.givenName} ${user.familyName}`, clause);
        case 'givenName':
          return textMatches(user.givenName, clause);
        case 'familyName':
          return textMatches(user.familyName, clause);
        case 'orgUnitPath': {
          // Google matches the unit and every unit under it.
          const path = clause.value.toLowerCase().replace(/\/+$/, '') || '/';
          const own = user.orgUnitPath.toLowerCase();
          return path === '/' || own === path || own.startsWith(`${path}/`);
        }
        case 'isSuspended':
          return String(user.suspended) === clause.value.toLowerCase();
        case 'isArchived':
          return String(user.archived) === clause.value.toLowerCase();
        default:
          return String(user.isAdmin) === clause.value.toLowerCase();
      }
    });
}

/** A predicate for groups matching a `groups.list` query (`name`, `email`, `memberKey`). @throws InvalidQueryError */
export function groupQuery(query: string | undefined, isMember: (group: FakeGoogleGroup, memberKey: string) => boolean): (group: FakeGoogleGroup) => boolean {
  if (query === undefined || query.trim() === '') return () => true;
  const clauses = parse(query, ['name', 'email', 'memberKey']);
  return (group) =>
    clauses.every((clause) => {
      if (clause.field === 'memberKey') return isMember(group, clause.value);
      return textMatches(clause.field === 'name' ? group.name : group.email, clause);
    });
}
