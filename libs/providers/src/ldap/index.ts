/** The LDAP / Active Directory source: public API of libs/providers/src/ldap. */
export { ldapDefinition } from './ldap.definition.js';
export { LdapProvider } from './ldap.provider.js';
export type { LdapProviderOptions } from './ldap.provider.js';
export { deltaFilter, parseLdapCursor, DELTA_OVERLAP_MS } from './ldap.cursor.js';
export type { AdUsnMark, DeltaSpec, LdapCursor } from './ldap.cursor.js';
export { isMembershipFilter } from './ldap.delta.js';
export { parseLdapUrl } from './ldap.referrals.js';
export { SHOW_DELETED_OID } from './ldap.deleted-objects.js';
export { LDAP_DEFAULTS, LDAP_FIELDS, EXTERNAL_ID_ATTRIBUTES, checkLdapFilter, validateLdapConfig, transportOf } from './ldap.config.js';
export type { LdapConfig, ExternalIdAttribute, LdapTransport } from './ldap.config.js';
export { AD_SYNC_DEFAULTS, normalizeAdSync } from './ldap.ad-sync.js';
export { guidToString, guidToBytes, isDisabledByUac } from './ldap.ad-values.js';
export { normalizeDn } from './ldap.dn.js';
export { composeFilter, rootBase, searchBase, toDeltaTime } from './ldap.search-scope.js';
export { translateLdapError, AD_BIND_DATA_CODES } from './ldap.errors.js';
