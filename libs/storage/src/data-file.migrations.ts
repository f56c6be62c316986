/**
 * Numbered migrations of the data file (STYLE.md §12). `MIGRATIONS[n]` turns a document at schema
 * version n-1 into version n; the loader runs them in order, then validates the result. A migration
 * works on plain JSON (never on the typed model, which only describes the newest version) and must
 * not drop keys it does not understand.
 */
import { DEFAULT_SERVER_CONFIG, DirconnError, resolveServerUrls, stateScope, type ServerConfig } from '@dirconn/core';
import { DATA_FILE_SCHEMA_VERSION, DataFileSchemaError } from './data-file.schema.js';

/** A parsed JSON object of some schema version. */
export type JsonDocument = Record<string, unknown>;

/** Upgrades a document by exactly one schema version. May throw a DirconnError to refuse a file. */
export type Migration = (doc: JsonDocument) => JsonDocument;

/**
 * Version 0 → 1. Version 0 is any object without `schemaVersion`: an empty `{}` (what the reference
 * connector creates) or a pre-release dirconn file of the same shape. Known keys are kept; the
 * validator fills the rest. A Bitwarden Directory Connector file (it has `stateVersion`) is refused
 * untouched: pointing dirconn at bwdc's folder must not rewrite bwdc's data.
 */
export function migrateTo1(doc: JsonDocument): JsonDocument {
  if (doc['stateVersion'] !== undefined) {
    throw new DirconnError(
      'config.invalid',
      `This is a Bitwarden Directory Connector data file (stateVersion ${JSON.stringify(doc['stateVersion'])}), not a dirconn one; it was left untouched.`,
      {
        hint: 'Point DIRCONN_DATA_DIR at a directory of its own (or unset it to use the default); dirconn keeps its data apart from bwdc.',
      },
    );
  }
  return { ...doc, schemaVersion: 1 };
}

/** A version-1 state key: `<organization id>:<directory type>:<config id>`. */
const VERSION_1_SCOPE = /^([^:]+):([a-z][a-z0-9-]{0,40}):(.+)$/;

function isObject(value: unknown): value is JsonDocument {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The latest sync time a version-1 state records ('' when none), to pick the freshest of several. */
function lastSyncOf(state: JsonDocument): string {
  let latest = '';
  for (const key of ['lastFullSync', 'lastUserSync', 'lastGroupSync']) {
    const value = state[key];
    if (typeof value === 'string' && value > latest) latest = value;
  }
  return latest;
}

/**
 * Version 1 → 2 (issue #9 item 2): the sync state belongs to the organization (server + organization
 * id) instead of organization + directory type + config id, so a setting change no longer forgets who
 * was synced. Each organization keeps ONE state: the one of the configured directory (type and config
 * id) when there is one, else the most recently synced. It records its directory type as its source
 * (identity unknown: `null`) and no per-group counts. Keys of another shape are kept as they are.
 */
export function migrateTo2(doc: JsonDocument): JsonDocument {
  const state = doc['state'];
  if (!isObject(state)) return { ...doc, schemaVersion: 2 };
  const config = isObject(doc['config']) ? doc['config'] : {};
  const server = isObject(config['server']) ? config['server'] : {};
  const apiUrl = resolveServerUrls({ ...DEFAULT_SERVER_CONFIG, ...(server as Partial<ServerConfig>) }).api;
  const directory = typeof config['directory'] === 'string' ? config['directory'] : null;
  const directories = isObject(config['directories']) ? config['directories'] : {};
  const configured = directory === null ? undefined : directories[directory];
  const configuredId = isObject(configured) && typeof configured['id'] === 'string' ? configured['id'] : 'default';

  const chosen = new Map<string, { state: JsonDocument; type: string; current: boolean; lastSync: string }>();
  const migrated: JsonDocument = {};
  for (const [key, value] of Object.entries(state)) {
    const match = VERSION_1_SCOPE.exec(key);
    if (match === null || !isObject(value)) {
      migrated[key] = value;
      continue;
    }
    const [, organization = '', type = '', configId = ''] = match;
    const candidate = { state: value, type, current: type === directory && configId === configuredId, lastSync: lastSyncOf(value) };
    const seen = chosen.get(organization);
    const better = seen === undefined || (candidate.current && !seen.current) || (candidate.current === seen.current && candidate.lastSync > seen.lastSync);
    if (better) chosen.set(organization, candidate);
  }
  for (const [organization, { state: kept, type }] of chosen) {
    migrated[stateScope(apiUrl, organization === 'no-organization' ? null : organization)] = { ...kept, groupMemberCounts: null, source: { type, identity: null } };
  }
  return { ...doc, state: migrated, schemaVersion: 2 };
}

/** Every migration, by the version it produces. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  1: migrateTo1,
  2: migrateTo2,
};

/**
 * The document's schema version: a missing `schemaVersion` is version 0. Throws
 * {@link DataFileSchemaError} when it is not a non-negative whole number.
 */
export function readSchemaVersion(doc: JsonDocument): number {
  const version = doc['schemaVersion'];
  if (version === undefined) return 0;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new DataFileSchemaError('schemaVersion', `must be a whole number (found ${JSON.stringify(version)})`);
  }
  return version;
}

/** Result of {@link migrateDocument}. */
export interface MigrationResult {
  /** The document at `targetVersion` (the input object itself when nothing ran). */
  doc: JsonDocument;
  /** Version found in the input. */
  fromVersion: number;
  /** Versions produced, in order (empty when already current). */
  applied: number[];
}

/** Options of {@link migrateDocument} (tests inject their own table). */
export interface MigrateOptions {
  /** Migration table (default {@link MIGRATIONS}). */
  migrations?: Readonly<Record<number, Migration>>;
  /** Version to reach (default {@link DATA_FILE_SCHEMA_VERSION}). */
  targetVersion?: number;
  /** Named in the "too new" message (default `the data file`). */
  fileLabel?: string;
}

/**
 * Brings `doc` up to `targetVersion`. A document NEWER than this build supports is refused with
 * `store.io` and must be left untouched by the caller: this dirconn cannot know what it would lose.
 */
export function migrateDocument(doc: JsonDocument, options: MigrateOptions = {}): MigrationResult {
  const migrations = options.migrations ?? MIGRATIONS;
  const target = options.targetVersion ?? DATA_FILE_SCHEMA_VERSION;
  const fromVersion = readSchemaVersion(doc);
  if (fromVersion > target) {
    throw new DirconnError(
      'store.io',
      `${options.fileLabel ?? 'The data file'} has schema version ${fromVersion}, but this dirconn only understands versions up to ${target}; it was left untouched.`,
      {
        hint: 'A newer dirconn wrote it: upgrade dirconn (CLI and desktop share this file), or point DIRCONN_DATA_DIR at another directory.',
        details: { schemaVersion: fromVersion, supported: target },
      },
    );
  }
  let current = doc;
  const applied: number[] = [];
  for (let version = fromVersion + 1; version <= target; version++) {
    const migration = migrations[version];
    if (!migration) {
      throw new DirconnError('internal', `No migration to data file schema version ${version}.`, {
        hint: 'This is a bug in dirconn; please report it.',
      });
    }
    current = migration(current);
    if (readSchemaVersion(current) !== version) {
      throw new DirconnError('internal', `Migration to data file schema version ${version} did not set schemaVersion.`, {
        hint: 'This is a bug in dirconn; please report it.',
      });
    }
    applied.push(version);
  }
  return { doc: current, fromVersion, applied };
}
