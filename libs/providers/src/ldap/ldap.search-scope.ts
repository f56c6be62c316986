/**
 * Where and what an LDAP read searches (reference §5.1, §6.1.1, §6.1.2): the root and search bases,
 * the Deleted Objects container, object-class filters and the delta time filter. Pure, no I/O.
 */
import { Filter } from 'ldapts';
import { DirconnError } from '@dirconn/core';
import { normalizeFilterText } from './ldap.config.js';
import { isUnder } from './ldap.dn.js';

/** The root part of the search bases and the text of `rootPath` that it ignores, if any. */
export interface RootBase {
  /** `rootPath` from its first `dc=` on, trimmed and lower-cased; or `rootPath` whole when it has no `dc=`. */
  root: string;
  /** Text before the first `dc=` that the reference silently discards (we keep the rule but report it). */
  ignoredPrefix: string | null;
}

/**
 * Reference §6.1.1, with two fixes: a null/blank `rootPath` is a config error (the reference crashes),
 * and a `rootPath` without `dc=` is used whole (the reference then uses only the user/group path).
 * Text before the first `dc=` is still dropped for compatibility; callers warn about it.
 */
export function rootBase(rootPath: string | null | undefined): RootBase {
  const trimmed = rootPath?.trim() ?? '';
  if (trimmed === '') {
    throw new DirconnError('config.incomplete', 'ldap.rootPath (the base DN) is not set.', {
      hint: 'Set it with "dirconn config ldap.rootPath dc=example,dc=com".',
    });
  }
  const match = /(^|,)\s*dc\s*=/i.exec(trimmed);
  if (!match) return { root: trimmed, ignoredPrefix: null };
  const start = match.index + (match[1]?.length ?? 0);
  const prefix = trimmed.slice(0, start).replace(/,\s*$/, '').trim();
  return { root: trimmed.slice(start).trim().toLowerCase(), ignoredPrefix: prefix === '' ? null : prefix };
}

/**
 * Search base for a user or group path: `<path>,<root>` when the path is set, else the root. A path
 * that already is a DN inside the root (the root itself included) is used as it is: admins paste
 * full DNs, and in AD mode, where an unset path means `CN=Users`, the base DN as path is how to
 * search the whole domain (the reference's blank path; our config stores blank as unset).
 */
export function searchBase(rootPath: string | null | undefined, path: string | null | undefined): string {
  const { root } = rootBase(rootPath);
  const prefix = path?.trim().replace(/\s*,+\s*$/, '') ?? '';
  if (prefix === '') return root;
  return isUnder(prefix, root) ? prefix : `${prefix},${root}`;
}

/** `CN=Deleted Objects,<dc part of rootPath>`: where AD keeps tombstones (reference §6.1.4). */
export function deletedObjectsBase(rootPath: string | null | undefined): string {
  return `CN=Deleted Objects,${rootBase(rootPath).root}`;
}

/** Escapes a value for use inside an LDAP filter (RFC 4515) with ldapts's escaper. */
export function escapeFilterValue(value: string | Buffer): string {
  return Filter.escape(value);
}

/**
 * Reference §5.1: `(&(objectClass=<class>))` without a filter, else `(&(&(objectClass=<class>))<filter>)`.
 * A filter without parentheses is wrapped in them.
 */
export function composeFilter(objectClass: string, filter: string | null | undefined): string {
  const base = `(&(objectClass=${escapeFilterValue(objectClass.trim())}))`;
  if (!filter || filter.trim() === '') return base;
  return `(&${base}${normalizeFilterText(filter)})`;
}

/** Reference §6.1.2: `(&<filter>(<attr>>=<time>))`. */
export function withRevisionFilter(filter: string, attribute: string, time: string): string {
  return `(&${filter}(${attribute.trim()}>=${time}))`;
}

/**
 * Reference §6.1.2 delta time: the ISO time with `-`, `:` and `T` removed, cut to 16 characters,
 * plus `Z` (a GeneralizedTime): `2024-01-02T03:04:05.678Z` → `20240102030405.6Z`.
 */
export function toDeltaTime(time: Date | string): string {
  const iso = typeof time === 'string' ? new Date(time).toISOString() : time.toISOString();
  return `${iso.replace(/[-:T]/g, '').slice(0, 16)}Z`;
}
