/**
 * The `sample` source: a directory read from a JSON file (the bundled demo company by default), for
 * trying dirconn without a directory server. Filters use the cloud sources' set syntax (reference
 * §5.2): `include:a,b` / `exclude:a,b`.
 */
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConfigField, ConfigIssue, SyncConfig } from '@dirconn/core';
import { cloudFilterChecker, parseCloudFilter, passesSetFilter, type SetFilter } from '../shared/set-filter.js';

export type { SetFilter };

/** The sample source's configuration. */
export type SampleConfig = {
  /** Path of a sample directory JSON file; null = the bundled demo company. Default null. */
  file: string | null;
};

/** Defaults of a new sample configuration (the bundled file). */
export const SAMPLE_DEFAULTS: SampleConfig = { file: null };

/** Settable fields of the `sample` section. */
export const SAMPLE_FIELDS: readonly ConfigField[] = [
  {
    key: 'sample.file',
    kind: 'path',
    defaultValue: null,
    description: 'Sample directory JSON file ({users:[{id,email,displayName,disabled}], groups:[{id,name,members,groups}]}). Default: the bundled demo company (25 users, 6 groups).',
  },
];

/**
 * The bundled sample directory. Resolved relative to this module: `src/sample/` (tests) and
 * `dist/sample/` (built) both sit two levels below `libs/providers/`, next to `data/`.
 */
export function bundledSampleFile(): string {
  return fileURLToPath(new URL('../../data/sample-directory.json', import.meta.url));
}

/** The sample source's filter options: the set clause only (it has no native query). */
const SAMPLE_FILTER = { nativeQuery: false } as const;

/** Parses a sample filter (`include:a,b` / `exclude:a,b`); blank → null. See shared/set-filter.ts. */
export function parseSetFilter(text: string | null | undefined, key = 'filter'): SetFilter | null {
  return parseCloudFilter(text, { ...SAMPLE_FILTER, key }).set;
}

/** Syntax check of a sample filter; returns the problem or undefined. */
export const checkSetFilter = cloudFilterChecker(SAMPLE_FILTER);

export { passesSetFilter };

/** Whole-config validation of the sample source. */
export function validateSampleConfig(config: SampleConfig, sync: SyncConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const file = config.file?.trim();
  if (file) {
    if (!existsSync(file)) issues.push({ key: 'sample.file', message: `file not found: ${file}` });
    else if (!statSync(file).isFile()) issues.push({ key: 'sample.file', message: `not a file: ${file}` });
  }
  for (const key of ['userFilter', 'groupFilter'] as const) {
    const problem = sync[key] ? checkSetFilter(sync[key] ?? '') : undefined;
    if (problem) issues.push({ key: `sync.${key}`, message: problem });
  }
  return issues;
}
