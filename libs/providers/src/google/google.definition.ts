/** The `google` source as registered in the provider registry (reference directory type 2, store key `directoryGsuite`). */
import { Secret } from '@dirconn/core';
import type { ProviderDefinition } from '@dirconn/core';
import { LDAP_ONLY_SYNC_FIELDS } from '../shared/sync-fields.js';
import type { GoogleConfig } from './google.config.js';
import { GOOGLE_DEFAULTS, GOOGLE_FIELDS, checkGoogleFilter, readServiceAccountKey, validateGoogleConfig } from './google.config.js';
import { GoogleProvider } from './google.provider.js';

/** Google Workspace through the Admin SDK Directory API, as a service account with domain-wide delegation. */
export const googleDefinition: ProviderDefinition<GoogleConfig> = {
  type: 'google',
  label: 'Google Workspace',
  description: 'Google Workspace users and groups through the Admin SDK Directory API (service account with domain-wide delegation, read-only scopes).',
  referenceType: 2,
  fields: GOOGLE_FIELDS,
  defaults: GOOGLE_DEFAULTS,
  secret: {
    setting: 'google.privateKey',
    aliases: ['gsuite.key'],
    account: 'secretGsuite',
    variable: 'DIRCONN_GOOGLE_PRIVATE_KEY',
    fileVariable: 'DIRCONN_GOOGLE_PRIVATE_KEY_FILE',
    fileContent: 'whole',
    description: 'Google Workspace service-account private key (PEM, or the whole JSON key file)',
  },
  identityFields: ['clientEmail', 'domain', 'customer'],
  validate(config, sync, secretPresent) {
    return validateGoogleConfig(config, sync, secretPresent);
  },
  filter: {
    check: checkGoogleFilter,
    example: "include:alice@example.com|orgUnitPath='/Sales'",
    description: "include:<values> or exclude:<values> (users by primary email, groups by name), optionally followed by |<Google query>, e.g. |orgUnitPath='/Sales' or |name:Eng*.",
  },
  unusedSyncFields: LDAP_ONLY_SYNC_FIELDS,
  /** `google.keyFile`: fills the client email and token URL from the file and stores its private key as the secret. */
  expandSetting(key, value) {
    if (key !== 'google.keyFile' || typeof value !== 'string' || value.trim() === '') return undefined;
    const path = value.trim();
    const file = readServiceAccountKey(path);
    const settings: Record<string, unknown> = { 'google.keyFile': path, 'google.clientEmail': file.clientEmail };
    if (file.tokenUri !== null) settings['google.tokenUrl'] = file.tokenUri;
    return { settings, secret: new Secret(file.privateKey) };
  },
  create(deps) {
    return new GoogleProvider(deps);
  },
};
