/**
 * The `ldap` source as registered in the provider registry: fields, defaults, secret naming,
 * AD save-time normalisation, validation, filter syntax check and provider construction.
 */
import type { ProviderDefinition, SyncConfig } from '@dirconn/core';
import type { LdapConfig } from './ldap.config.js';
import { LDAP_DEFAULTS, LDAP_FIELDS, checkLdapFilter, validateLdapConfig } from './ldap.config.js';
import { normalizeAdSync } from './ldap.mapping.js';
import { LdapProvider } from './ldap.provider.js';

/** Active Directory / LDAP (reference directory type 0, store key `directoryLdap`). */
export const ldapDefinition: ProviderDefinition<LdapConfig> = {
  type: 'ldap',
  label: 'Active Directory / LDAP',
  description: 'Active Directory or any LDAP v3 directory (OpenLDAP, FreeIPA, 389 DS…) over LDAP, LDAPS or StartTLS.',
  referenceType: 0,
  fields: LDAP_FIELDS,
  defaults: LDAP_DEFAULTS,
  secret: {
    setting: 'ldap.password',
    account: 'secretLdap',
    variable: 'DIRCONN_LDAP_PASSWORD',
    fileVariable: 'DIRCONN_LDAP_PASSWORD_FILE',
    fileContent: 'first-line',
    description: 'LDAP / Active Directory bind password',
  },
  identityFields: ['hostname', 'domain', 'username'],
  sourceFields: ['rootPath'],
  /** Reference §4.2: with `ldap.ad`, the AD attribute defaults. Core calls this only when `ldap` is the chosen directory. */
  normalizeSync(sync: SyncConfig, config: LdapConfig): SyncConfig {
    return normalizeAdSync(sync, config.ad);
  },
  validate(config, sync, secretPresent) {
    return validateLdapConfig(config, sync, secretPresent, (s) => normalizeAdSync(s, config.ad));
  },
  filter: {
    check: checkLdapFilter,
    example: '(&(objectClass=person)(mail=*))',
    description: 'An LDAP filter (RFC 4515), ANDed with the object class.',
  },
  create(deps) {
    return new LdapProvider(deps);
  },
};
