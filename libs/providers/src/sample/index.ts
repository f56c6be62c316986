/** The sample source (bundled demo company or a JSON file): public API of libs/providers/src/sample. */
export { sampleDefinition } from './sample.definition.js';
export { SampleProvider, parseSampleDirectory } from './sample.provider.js';
export type { SampleDirectoryFile, SampleUserRecord, SampleGroupRecord } from './sample.provider.js';
export { SAMPLE_DEFAULTS, SAMPLE_FIELDS, bundledSampleFile, parseSetFilter, passesSetFilter, checkSetFilter, validateSampleConfig } from './sample.config.js';
export type { SampleConfig, SetFilter } from './sample.config.js';
