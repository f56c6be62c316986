/** The `okta` source as registered in the provider registry (reference directory type 3, store key `directoryOkta`). */
import type { ProviderDefinition } from '@dirconn/core';
import { LDAP_ONLY_SYNC_FIELDS } from '../shared/sync-fields.js';
import type { OktaConfig } from './okta.config.js';
import { OKTA_DEFAULTS, OKTA_FIELDS, checkOktaFilter, validateOktaConfig } from './okta.config.js';
import { OktaProvider } from './okta.provider.js';

/** Okta through the Management API, with an API token (SSWS) or an OAuth service app. */
export const oktaDefinition: ProviderDefinition<OktaConfig> = {
  type: 'okta',
  label: 'Okta',
  description: 'Okta users and groups through the Management API (API token of a read-only administrator, or an OAuth service app with okta.users.read and okta.groups.read).',
  referenceType: 3,
  fields: OKTA_FIELDS,
  defaults: OKTA_DEFAULTS,
  secret: {
    setting: 'okta.token',
    account: 'secretOkta',
    variable: 'DIRCONN_OKTA_TOKEN',
    fileVariable: 'DIRCONN_OKTA_TOKEN_FILE',
    fileContent: 'first-line',
    description: 'Okta API token',
  },
  identityFields: ['orgUrl'],
  validate(config, sync, secretPresent) {
    return validateOktaConfig(config, sync, secretPresent);
  },
  filter: {
    check: checkOktaFilter,
    example: 'include:alice@example.com|profile.lastName eq "Smith"',
    description: 'include:<values> or exclude:<values> (users by email, groups by name), optionally followed by |<Okta filter>, e.g. |profile.department eq "Sales" or |type eq "OKTA_GROUP", or |search:<Okta search expression>.',
  },
  unusedSyncFields: LDAP_ONLY_SYNC_FIELDS,
  create(deps) {
    return new OktaProvider(deps);
  },
};
