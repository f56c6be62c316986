/** The LDAP / Active Directory source: public API of libs/providers/src/ldap. */
export { ldapDefinition } from './ldap.definition.js';
export { LdapProvider, deltaFilter, isMembershipFilter, parseLdapCursor, parseLdapUrl, SHOW_DELETED_OID, DELTA_OVERLAP_MS } from './ldap.provider.js';
export type { AdUsnMark, DeltaSpec, LdapCursor, LdapProviderOptions } from './ldap.provider.js';
export { LDAP_DEFAULTS, LDAP_FIELDS, EXTERNAL_ID_ATTRIBUTES, checkLdapFilter, validateLdapConfig, transportOf } from './ldap.config.js';
export type { LdapConfig, ExternalIdAttribute, LdapTransport } from './ldap.config.js';
export {
  AD_SYNC_DEFAULTS,
  composeFilter,
  guidToString,
  guidToBytes,
  isDisabledByUac,
  normalizeAdSync,
  normalizeDn,
  rootBase,
  searchBase,
  toDeltaTime,
} from './ldap.mapping.js';
export { translateLdapError, AD_BIND_DATA_CODES } from './ldap.errors.js';
