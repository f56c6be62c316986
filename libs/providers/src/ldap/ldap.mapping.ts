/**
 * Pure LDAP entry mapping (reference-connector.md §6.1.3–§6.1.5): one user entry → DirectoryUser
 * (email, externalId, disabled, display name) and one group entry → a group before member
 * resolution. No I/O here, so every rule is unit-testable. The helpers it builds on live beside it:
 * ldap.attributes.ts, ldap.ad-values.ts, ldap.dn.ts, ldap.search-scope.ts, ldap.external-id.ts,
 * ldap.members.ts and ldap.ad-sync.ts.
 */
import type { DirectoryUser } from '@dirconn/core';
import type { ExternalIdAttribute } from './ldap.config.js';
import { isDisabledByUac } from './ldap.ad-values.js';
import type { LdapEntry, LowerAttributes } from './ldap.attributes.js';
import { firstString, stringValues } from './ldap.attributes.js';
import { externalIdOf } from './ldap.external-id.js';

// ldap.definition.ts imports the AD normalisation from here (kept so the definition stays unchanged).
export { AD_SYNC_DEFAULTS, normalizeAdSync } from './ldap.ad-sync.js';

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
