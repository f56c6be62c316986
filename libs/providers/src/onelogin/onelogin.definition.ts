/** The `onelogin` source as registered in the provider registry (reference directory type 4, store key `directoryOnelogin`). */
import type { ProviderDefinition } from '@dirconn/core';
import { LDAP_ONLY_SYNC_FIELDS } from '../shared/sync-fields.js';
import type { OneLoginConfig } from './onelogin.config.js';
import { checkOneLoginFilter, ONELOGIN_DEFAULTS, ONELOGIN_FIELDS, validateOneLoginConfig } from './onelogin.config.js';
import { OneLoginProvider } from './onelogin.provider.js';

/** OneLogin through the API v2 with a client-credentials API credential ("Read users" scope); roles are the groups. */
export const oneLoginDefinition: ProviderDefinition<OneLoginConfig> = {
  type: 'onelogin',
  label: 'OneLogin',
  description: 'OneLogin users and roles (synced as groups) through the API v2, with an API credential that has the "Read users" scope.',
  referenceType: 4,
  fields: ONELOGIN_FIELDS,
  defaults: ONELOGIN_DEFAULTS,
  secret: {
    setting: 'onelogin.clientSecret',
    aliases: ['onelogin.secret'],
    account: 'secretOneLogin',
    variable: 'DIRCONN_ONELOGIN_SECRET',
    fileVariable: 'DIRCONN_ONELOGIN_SECRET_FILE',
    fileContent: 'first-line',
    description: 'OneLogin API credential client secret',
  },
  identityFields: ['clientId', 'region', 'baseUrl'],
  validate(config, sync, secretPresent) {
    return validateOneLoginConfig(config, sync, secretPresent);
  },
  filter: {
    check: checkOneLoginFilter,
    example: 'exclude:test@example.com|email=*@example.com',
    description: 'include:<values> or exclude:<values> (users by email, roles by name), optionally followed by |<OneLogin query>, e.g. |email=*@example.com&directory_id=7 for users or |name=*-us for roles.',
  },
  // The email prefix is always the username, so of the prefix/suffix settings only sync.emailSuffix applies.
  unusedSyncFields: LDAP_ONLY_SYNC_FIELDS,
  create(deps) {
    return new OneLoginProvider(deps);
  },
};
