/**
 * Pure LDAP mapping (reference-connector.md §4.2, §5.1, §6.1): search bases and filters, AD
 * defaults, objectGUID text, userAccountControl, entry → DirectoryUser / group, DN normalisation and
 * member resolution. No I/O here, so every rule is unit-testable.
 */
import { Filter } from 'ldapts';
import { DirconnError } from '@dirconn/core';
import type { DirectoryGroup, DirectoryUser, SyncConfig } from '@dirconn/core';
import type { ExternalIdAttribute } from './ldap.config.js';
import { normalizeFilterText } from './ldap.config.js';

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

function firstBinary(value: LdapValue | undefined): Buffer | string | null {
  if (value === undefined) return null;
  if (Array.isArray(value)) return value.length > 0 ? (value[0] ?? null) : null;
  return value;
}

// ---------------------------------------------------------------------------------------------
// objectGUID and userAccountControl

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const GUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * AD objectGUID bytes → GUID text (reference §6.1.3): bytes 0–3, 4–5 and 6–7 reversed (Microsoft
 * mixed-endian layout), 8–15 as stored, lower-case 8-4-4-4-12. Getting this wrong re-creates every
 * member, so it is pinned by a unit test with the reference example.
 */
export function guidToString(bytes: Uint8Array): string {
  if (bytes.length !== 16) throw new RangeError(`objectGUID must be 16 bytes, got ${bytes.length}`);
  const h = (i: number): string => HEX[bytes[i] ?? 0] ?? '00';
  return (
    `${h(3)}${h(2)}${h(1)}${h(0)}-${h(5)}${h(4)}-${h(7)}${h(6)}-` +
    `${h(8)}${h(9)}-${h(10)}${h(11)}${h(12)}${h(13)}${h(14)}${h(15)}`
  );
}

/** GUID text → the 16 objectGUID bytes as AD stores them (inverse of guidToString), or null. */
export function guidToBytes(text: string): Buffer | null {
  const t = text.trim().replace(/^\{|\}$/g, '');
  if (!GUID_TEXT.test(t)) return null;
  const hex = t.replace(/-/g, '');
  const b = Buffer.from(hex, 'hex');
  const order = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
  return Buffer.from(order.map((i) => b[i] ?? 0));
}

/** True when `text` is GUID text (8-4-4-4-12 hex, optional braces). */
export function isGuidText(text: string): boolean {
  return GUID_TEXT.test(text.trim().replace(/^\{|\}$/g, ''));
}

/** userAccountControl bit 2 (ACCOUNTDISABLE) is set. Missing or unparsable → not disabled. */
export function isDisabledByUac(value: string | null): boolean {
  if (value === null) return false;
  const flags = Number.parseInt(value.trim(), 10);
  return Number.isFinite(flags) && (flags & 2) === 2;
}

// ---------------------------------------------------------------------------------------------
// DN normalisation

const DN_SPECIAL = new Set([',', '+', '"', '\\', '<', '>', ';', '=']);

/**
 * Normalises a DN for comparison only (RFC 4514-ish): attribute types and values lower-cased, blanks
 * around `,` `=` `+` removed, escapes canonicalised (`\2C` and `\,` compare equal). So
 * `CN=Roland Dyke, DC=bitwarden, DC=com` equals `cn=roland dyke,dc=bitwarden,dc=com`. The reference
 * compares DNs as exact strings (§6.1.5 quirk) and mistakes such members for child groups.
 */
export function normalizeDn(dn: string): string {
  // Hot path (every user DN and every member value): one scan decides whether anything but
  // lower-casing is needed; only DNs with escapes, quotes or blanks next to separators pay more.
  let plain = true;
  for (let i = 0; i < dn.length; i++) {
    const c = dn.charCodeAt(i);
    if (c === 0x5c || c === 0x22) return normalizeEscapedDn(dn); // \ "
    if (c <= 0x20) {
      const prev = dn.charCodeAt(i - 1);
      const next = dn.charCodeAt(i + 1);
      if (i === 0 || i === dn.length - 1 || prev === 0x2c || prev === 0x3d || prev === 0x2b || next === 0x2c || next === 0x3d || next === 0x2b || next <= 0x20) plain = false;
    }
  }
  return plain ? dn.toLowerCase() : dn.trim().replace(/\s*([,=+])\s*/g, '$1').toLowerCase();
}

function normalizeEscapedDn(dn: string): string {
  const rdns: string[] = [];
  let avas: string[] = [];
  let i = 0;
  const n = dn.length;
  const skipSpaces = (): void => {
    while (i < n && dn[i] === ' ') i++;
  };
  while (i < n) {
    skipSpaces();
    let type = '';
    while (i < n && dn[i] !== '=' && dn[i] !== ',' && dn[i] !== '+') type += dn[i++];
    if (dn[i] === '=') i++;
    skipSpaces();
    const bytes: number[] = [];
    let lastSignificant = 0; // bytes.length after the last escaped or non-space character
    let quoted = false;
    if (dn[i] === '"') {
      quoted = true;
      i++;
    }
    while (i < n) {
      const c = dn[i] ?? '';
      if (quoted) {
        if (c === '"') {
          i++;
          quoted = false;
          lastSignificant = bytes.length;
          continue;
        }
      } else if (c === ',' || c === '+' || c === ';') {
        break;
      }
      if (c === '\\' && i + 1 < n) {
        const pair = dn.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(pair)) {
          bytes.push(Number.parseInt(pair, 16));
          i += 3;
        } else {
          for (const b of Buffer.from(dn[i + 1] ?? '', 'utf8')) bytes.push(b);
          i += 2;
        }
        lastSignificant = bytes.length;
        continue;
      }
      for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
      i++;
      if (c !== ' ' || quoted) lastSignificant = bytes.length;
    }
    const value = Buffer.from(bytes.slice(0, lastSignificant)).toString('utf8').toLowerCase();
    avas.push(`${type.trim().toLowerCase()}=${escapeDnValue(value)}`);
    const sep = dn[i];
    i++;
    if (sep !== '+') {
      rdns.push(avas.join('+'));
      avas = [];
    }
  }
  if (avas.length > 0) rdns.push(avas.join('+'));
  return rdns.join(',');
}

function escapeDnValue(value: string): string {
  let out = '';
  for (let k = 0; k < value.length; k++) {
    const c = value[k] ?? '';
    if (DN_SPECIAL.has(c) || (k === 0 && (c === '#' || c === ' ')) || (k === value.length - 1 && c === ' ')) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/** Reference §6.1.5: a member value containing both `=` and `,` is a DN; anything else is a uid. */
export function isDnLike(value: string): boolean {
  return value.includes('=') && value.includes(',');
}

/** True when `dn` is `base` or lies below it (both normalised first). */
export function isUnder(dn: string, base: string): boolean {
  const d = normalizeDn(dn);
  const b = normalizeDn(base);
  return d === b || d.endsWith(`,${b}`);
}

// ---------------------------------------------------------------------------------------------
// Search bases, filters, delta time

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

// ---------------------------------------------------------------------------------------------
// AD defaults

/** The AD attribute defaults (reference §4.2). */
export const AD_SYNC_DEFAULTS = {
  userObjectClass: 'person',
  groupObjectClass: 'group',
  userEmailAttribute: 'mail',
  groupNameAttribute: 'name',
  memberAttribute: 'member',
  emailPrefixAttribute: 'sAMAccountName',
  creationDateAttribute: 'whenCreated',
  revisionDateAttribute: 'whenChanged',
} as const;

/**
 * Reference §4.2 save-time normalisation: with `ad`, the eight attribute fields are overwritten with
 * the AD values and `userPath`/`groupPath` become `CN=Users` when null. Without `ad`, unchanged.
 */
export function normalizeAdSync(sync: SyncConfig, ad: boolean): SyncConfig {
  if (!ad) return sync;
  return {
    ...sync,
    ...AD_SYNC_DEFAULTS,
    userPath: sync.userPath ?? 'CN=Users',
    groupPath: sync.groupPath ?? 'CN=Users',
  };
}

// ---------------------------------------------------------------------------------------------
// Entries → users and groups

/** The entry attribute that carries each externalId scheme (null: the DN). */
export function externalIdSourceAttribute(scheme: ExternalIdAttribute): string | null {
  switch (scheme) {
    case 'auto':
    case 'objectGUID':
      return 'objectGUID';
    case 'dn':
      return null;
    default:
      return scheme;
  }
}

/**
 * The externalId of an entry (reference §6.1.3 for `auto`: objectGUID text when present, else the DN
 * as returned by the server). With an explicit attribute, an entry without it fails the read rather
 * than mixing id schemes (which would re-create members).
 */
export function externalIdOf(dn: string, attrs: LowerAttributes, scheme: ExternalIdAttribute): string {
  if (scheme === 'dn') return dn;
  if (scheme === 'auto' || scheme === 'objectGUID') {
    const raw = firstBinary(attrs.get('objectguid'));
    if (raw === null) {
      if (scheme === 'auto') return dn;
      throw missingId(dn, 'objectGUID');
    }
    if (typeof raw === 'string') {
      if (isGuidText(raw)) return raw.trim().replace(/^\{|\}$/g, '').toLowerCase();
      throw new DirconnError('provider.error', `The objectGUID of ${dn} is not a 16-byte GUID.`, {
        hint: 'Set ldap.externalIdAttribute to entryUUID or dn for this server.',
      });
    }
    if (raw.length !== 16) {
      throw new DirconnError('provider.error', `The objectGUID of ${dn} has ${raw.length} bytes instead of 16.`, {
        hint: 'Set ldap.externalIdAttribute to entryUUID or dn for this server.',
      });
    }
    return guidToString(raw);
  }
  const value = firstString(attrs, scheme);
  if (value === null) throw missingId(dn, scheme);
  return value;
}

function missingId(dn: string, attribute: string): DirconnError {
  return new DirconnError('provider.error', `${dn} has no ${attribute} attribute, which ldap.externalIdAttribute requires.`, {
    hint: `Check that the bind user may read ${attribute}, or set ldap.externalIdAttribute to auto or dn.`,
  });
}

/** The sync settings that decide how a user entry is mapped. */
export interface UserMappingSettings {
  userEmailAttribute: string | null;
  useEmailPrefixSuffix: boolean;
  emailPrefixAttribute: string | null;
  emailSuffix: string | null;
  externalIdAttribute: ExternalIdAttribute;
}

/**
 * Reference §6.1.3 email: the first value of `userEmailAttribute`; else, with `useEmailPrefixSuffix`
 * and both prefix attribute and suffix set, prefix value + suffix. Trimmed and lower-cased; null
 * when there is none (core reports such users instead of dropping them silently).
 */
export function emailOf(attrs: LowerAttributes, settings: UserMappingSettings): string | null {
  const mail = firstString(attrs, settings.userEmailAttribute);
  if (mail !== null) return mail.toLowerCase();
  if (settings.useEmailPrefixSuffix && settings.emailPrefixAttribute && settings.emailSuffix) {
    const prefix = firstString(attrs, settings.emailPrefixAttribute);
    if (prefix !== null) return `${prefix}${settings.emailSuffix}`.trim().toLowerCase();
  }
  return null;
}

/** Maps one user entry (reference §6.1.3); `deleted` for AD tombstones (§6.1.4). */
export function mapUserEntry(entry: LdapEntry, attrs: LowerAttributes, settings: UserMappingSettings, deleted = false): DirectoryUser {
  const user: DirectoryUser = {
    externalId: externalIdOf(entry.dn, attrs, deleted ? 'objectGUID' : settings.externalIdAttribute),
    referenceId: entry.dn,
    email: emailOf(attrs, settings),
    disabled: isDisabledByUac(firstString(attrs, 'userAccountControl')),
    deleted,
  };
  const displayName = firstString(attrs, 'displayName') ?? firstString(attrs, 'cn') ?? firstString(attrs, 'name');
  if (displayName !== null) user.displayName = deleted ? displayName.split('\n')[0] ?? displayName : displayName;
  const uid = firstString(attrs, 'uid');
  if (uid !== null) user.uid = uid.toLowerCase();
  return user;
}

/** A group as read, before its member values are resolved. */
export interface RawGroup {
  referenceId: string;
  externalId: string;
  name: string;
  /** Raw values of the member attribute (DNs or uids), ranged retrieval already merged. */
  memberValues: string[];
}

/** Reference §6.1.5 group fields; null when the group has no name (skipped, as in the reference). */
export function mapGroupEntry(entry: LdapEntry, attrs: LowerAttributes, settings: { groupNameAttribute: string | null; memberAttribute: string | null; externalIdAttribute: ExternalIdAttribute }, memberValues?: string[]): RawGroup | null {
  const name = firstString(attrs, settings.groupNameAttribute) ?? firstString(attrs, 'cn');
  if (name === null) return null;
  return {
    referenceId: entry.dn,
    externalId: externalIdOf(entry.dn, attrs, settings.externalIdAttribute),
    name,
    memberValues: memberValues ?? (settings.memberAttribute ? stringValues(attrs.get(settings.memberAttribute.toLowerCase())) : []),
  };
}

/**
 * Lookup tables for member resolution. Member values are first looked up exactly as written (the
 * common case: servers store member DNs the way they return entry DNs), and only on a miss by
 * normalised DN; the normalised tables are built once, on the first miss. That keeps 100k users ×
 * 10k groups at one Map lookup per member value.
 */
export class MemberIndex {
  private readonly userByExactDn = new Map<string, string>();
  private readonly groupByExactDn = new Map<string, string>();
  private userByDn: Map<string, string> | null = null;
  private groupByDn: Map<string, string> | null = null;
  /** Lower-cased `uid` → user externalId. */
  readonly userByUid = new Map<string, string>();

  /** Registers a user of the full user scope. */
  addUser(dn: string, externalId: string, uids: readonly string[]): void {
    this.userByExactDn.set(dn, externalId);
    this.userByDn?.set(normalizeDn(dn), externalId);
    for (const uid of uids) {
      const key = uid.trim().toLowerCase();
      if (key !== '' && !this.userByUid.has(key)) this.userByUid.set(key, externalId);
    }
  }

  /** Registers a group read this run (child references resolve to its exact referenceId). */
  addGroup(referenceId: string): void {
    this.groupByExactDn.set(referenceId, referenceId);
    this.groupByDn?.set(normalizeDn(referenceId), referenceId);
  }

  /** A DN-like member value → the user's externalId or the group's referenceId, or undefined. */
  resolveDn(value: string): { user: string } | { group: string } | undefined {
    const exactUser = this.userByExactDn.get(value);
    if (exactUser !== undefined) return { user: exactUser };
    const exactGroup = this.groupByExactDn.get(value);
    if (exactGroup !== undefined) return { group: exactGroup };
    if (this.userByDn === null || this.groupByDn === null) {
      this.userByDn = new Map();
      for (const [dn, id] of this.userByExactDn) this.userByDn.set(normalizeDn(dn), id);
      this.groupByDn = new Map();
      for (const dn of this.groupByExactDn.keys()) this.groupByDn.set(normalizeDn(dn), dn);
    }
    const key = normalizeDn(value);
    const user = this.userByDn.get(key);
    if (user !== undefined) return { user };
    const group = this.groupByDn.get(key);
    return group === undefined ? undefined : { group };
  }

  /** A uid member value → the user's externalId, case-insensitively. */
  resolveUid(value: string): string | undefined {
    return this.userByUid.get(value.trim().toLowerCase());
  }
}

/** A group with resolved members, plus the member values that matched nothing in scope. */
export interface ResolvedGroup {
  group: DirectoryGroup;
  unresolved: string[];
}

/**
 * Reference §6.1.5 member resolution, with the DN quirk fixed: DN-like values are compared
 * normalised (case and spacing), first against users then against the groups read this run; a DN
 * that is neither (a user outside the user scope, a filtered-out group) contributes nothing and is
 * reported in `unresolved` instead of becoming a dangling child reference. Other values are uids,
 * matched case-insensitively. Members are de-duplicated, first occurrence kept.
 */
export function resolveMembers(raw: RawGroup, index: MemberIndex): ResolvedGroup {
  const users = new Set<string>();
  const groups = new Set<string>();
  const unresolved: string[] = [];
  for (const value of raw.memberValues) {
    if (isDnLike(value)) {
      const found = index.resolveDn(value);
      if (found === undefined) unresolved.push(value);
      else if ('user' in found) users.add(found.user);
      else groups.add(found.group);
    } else {
      const user = index.resolveUid(value);
      if (user !== undefined) users.add(user);
      else unresolved.push(value);
    }
  }
  return {
    group: {
      externalId: raw.externalId,
      referenceId: raw.referenceId,
      name: raw.name,
      userMemberExternalIds: [...users],
      groupMemberReferenceIds: [...groups],
    },
    unresolved,
  };
}
