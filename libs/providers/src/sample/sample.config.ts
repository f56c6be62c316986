/**
 * The `sample` source: a directory read from a JSON file (the bundled demo company by default), for
 * trying dirconn without a directory server. Filters use the cloud sources' set syntax (reference
 * §5.2): `include:a,b` / `exclude:a,b`.
 */
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ConfigField, ConfigIssue, SyncConfig } from '@dirconn/core';
import { DirconnError } from '@dirconn/core';

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

/** A parsed set clause (reference §5.2). */
export interface SetFilter {
  mode: 'include' | 'exclude';
  /** Trimmed, lower-cased values. */
  values: Set<string>;
}

/**
 * Parses `include:a,b` / `exclude:a,b` (keyword case-insensitive; values split on `,`, trimmed and
 * lower-cased). Unlike the reference, malformed clauses are errors instead of silently disabling the
 * filter: a value containing `:`, an unknown keyword, no values. The sample source has no native
 * query, so text after `|` is an error too. Blank → null (no filter).
 */
export function parseSetFilter(text: string | null | undefined, key = 'filter'): SetFilter | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  const [clause = '', ...queries] = text.split('|');
  const fail = (why: string): never => {
    throw new DirconnError('config.invalid', `Invalid ${key} "${text}": ${why}.`, {
      hint: `Use include:<values> or exclude:<values>, e.g. "dirconn config ${key} include:alice@example.com,bob@example.com".`,
    });
  };
  if (queries.some((q) => q.trim() !== '')) fail('the sample source has no native query (text after |)');
  if (clause.trim() === '') return null;
  const parts = clause.split(':');
  if (parts.length !== 2) fail(parts.length < 2 ? 'expected <keyword>:<values>' : 'a value contains ":"');
  const keyword = (parts[0] ?? '').trim().toLowerCase();
  if (keyword !== 'include' && keyword !== 'exclude') fail(`unknown keyword "${(parts[0] ?? '').trim()}" (expected include or exclude)`);
  const values = new Set(
    (parts[1] ?? '')
      .split(',')
      .map((v) => v.trim().toLowerCase())
      .filter((v) => v !== ''),
  );
  if (values.size === 0) fail('no values after the keyword');
  return { mode: keyword as 'include' | 'exclude', values };
}

/** Does a candidate (email or name) pass the set filter? A missing value is compared as `--` (reference). */
export function passesSetFilter(filter: SetFilter | null, candidate: string | null | undefined): boolean {
  if (filter === null) return true;
  const value = candidate?.trim().toLowerCase() || '--';
  const member = filter.values.has(value);
  return filter.mode === 'include' ? member : !member;
}

/** Syntax check of a sample filter; returns the problem or undefined. */
export function checkSetFilter(filter: string): string | undefined {
  try {
    parseSetFilter(filter);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

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
