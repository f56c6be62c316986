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
  fields: LDAP_FIELDS,
  defaults: LDAP_DEFAULTS,
  secretAccount: 'secretLdap',
  secretField: 'password',
  identityFields: ['hostname', 'domain', 'username'],
  /** Reference §4.2: with `ldap.ad`, the AD attribute defaults. Core calls this only when `ldap` is the chosen directory. */
  normalizeSync(sync: SyncConfig, config: LdapConfig): SyncConfig {
    return normalizeAdSync(sync, config.ad);
  },
  validate(config, sync, secretPresent) {
    return validateLdapConfig(config, sync, secretPresent, (s) => normalizeAdSync(s, config.ad));
  },
  checkFilter: checkLdapFilter,
  create(deps) {
    return new LdapProvider(deps);
  },
};
