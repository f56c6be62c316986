/** The `sample` source as registered in the provider registry. */
import type { ProviderDefinition } from '@dirconn/core';
import type { SampleConfig } from './sample.config.js';
import { SAMPLE_DEFAULTS, SAMPLE_FIELDS, checkSetFilter, validateSampleConfig } from './sample.config.js';
import { SampleProvider } from './sample.provider.js';

/** Bundled demo data or a JSON file; needs no secret (secretField '' → core resolves none). */
export const sampleDefinition: ProviderDefinition<SampleConfig> = {
  type: 'sample',
  label: 'Sample directory (demo data)',
  fields: SAMPLE_FIELDS,
  defaults: SAMPLE_DEFAULTS,
  secretAccount: '',
  secretField: '',
  identityFields: ['file'],
  validate(config, sync) {
    return validateSampleConfig(config, sync);
  },
  checkFilter: checkSetFilter,
  create(deps) {
    return new SampleProvider(deps);
  },
};
