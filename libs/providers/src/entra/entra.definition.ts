/** The `entra` source as registered in the provider registry (reference directory type 1). */
import type { ProviderDefinition } from '@dirconn/core';
import type { EntraConfig } from './entra.config.js';
import { ENTRA_DEFAULTS, ENTRA_FIELDS, validateEntraConfig } from './entra.config.js';
import { checkEntraFilter } from './entra.filter.js';
import { EntraProvider } from './entra.provider.js';
import { LDAP_ONLY_SYNC_FIELDS } from '../shared/sync-fields.js';

/** Microsoft Entra ID (formerly Azure AD) over Microsoft Graph v1.0; store key `directoryEntra`. */
export const entraDefinition: ProviderDefinition<EntraConfig> = {
  type: 'entra',
  label: 'Microsoft Entra ID',
  description: 'Microsoft Entra ID (Azure AD) users and groups over Microsoft Graph, with change tracking (delta) and an app registration\'s secret or certificate.',
  referenceType: 1,
  fields: ENTRA_FIELDS,
  defaults: ENTRA_DEFAULTS,
  secret: {
    setting: 'entra.key',
    aliases: ['azure.key'],
    account: 'secretEntra',
    variable: 'DIRCONN_ENTRA_KEY',
    fileVariable: 'DIRCONN_ENTRA_KEY_FILE',
    fileContent: 'first-line',
    description: 'Microsoft Entra ID app registration client secret',
  },
  identityFields: ['tenant', 'applicationId'],
  validate(config, sync, secretPresent) {
    return validateEntraConfig(config, sync, secretPresent);
  },
  filter: {
    check: checkEntraFilter,
    example: 'includeGroup:<group object id>|exclude:someone@example.com',
    description:
      'Users: include:<emails>, exclude:<emails>, includeGroup:<group ids> (then |excludeGroup:<ids> and |exclude:<emails>) or excludeGroup:<group ids>. Groups: include:<names>, exclude:<names>, includeAdministrativeUnit:<ids> or excludeAdministrativeUnit:<ids>.',
  },
  unusedSyncFields: LDAP_ONLY_SYNC_FIELDS,
  create(deps) {
    return new EntraProvider(deps);
  },
};
