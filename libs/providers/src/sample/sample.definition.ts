/** The `sample` source as registered in the provider registry. */
import type { ProviderDefinition } from '@dirconn/core';
import type { SampleConfig } from './sample.config.js';
import { SAMPLE_DEFAULTS, SAMPLE_FIELDS, checkSetFilter, validateSampleConfig } from './sample.config.js';
import { SampleProvider } from './sample.provider.js';
import { LDAP_ONLY_SYNC_FIELDS } from '../shared/sync-fields.js';

/** Bundled demo data or a JSON file; needs no secret. */
export const sampleDefinition: ProviderDefinition<SampleConfig> = {
  type: 'sample',
  label: 'Sample directory (demo data)',
  description: 'The bundled demo company (25 users, 6 groups) or your own JSON file: try dirconn without a directory server.',
  fields: SAMPLE_FIELDS,
  defaults: SAMPLE_DEFAULTS,
  secret: null,
  identityFields: ['file'],
  sourceFields: ['file'],
  validate(config, sync) {
    return validateSampleConfig(config, sync);
  },
  filter: {
    check: checkSetFilter,
    example: 'include:alice@example.com,bob@example.com',
    description: 'include:<values> or exclude:<values>: users by email, groups by name.',
  },
  unusedSyncFields: LDAP_ONLY_SYNC_FIELDS,
  create(deps) {
    return new SampleProvider(deps);
  },
};
