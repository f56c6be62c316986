/**
 * The data file's schema (`data.json`, schema version 2): TypeScript types, defaults and a
 * hand-written validator. The validator checks the type of every known key, fills defaults for
 * missing ones (so a file written before a field existed still loads) and keeps unknown keys as they
 * are (so a newer dirconn's additions survive a write by this one). A wrong type is rejected with
 * the key path, e.g. `config.sync.maxRemovals must be a number (found string)`.
 *
 * Rule for changes: anything an older dirconn would reject (a new directory type, a changed type)
 * must bump {@link DATA_FILE_SCHEMA_VERSION} and add a migration, so older versions refuse the file
 * as "too new" instead of treating it as damaged.
 */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_SERVER_CONFIG,
  DEFAULT_SYNC_CONFIG,
  EMPTY_SYNC_STATE,
  type DirconnConfig,
  type DirectoryType,
  type ServerConfig,
  type SyncConfig,
  type SyncState,
} from '@dirconn/core';

/** A directory type name as stored: `ldap`, `entra`, `onelogin`, a future source's id. */
const DIRECTORY_TYPE_NAME = /^[a-z][a-z0-9-]{0,40}$/;

/** Schema version this build reads and writes. */
export const DATA_FILE_SCHEMA_VERSION = 2;

/** Bitwarden organization login references (the client secret itself lives in the SecretStore). */
export interface AuthData {
  /** Organization API key client id (`organization.<guid>`); null when logged out. Default null. */
  clientId: string | null;
  /** Organization id the client id belongs to; null when logged out. Default null. */
  organizationId: string | null;
}

/** Contents of `data.json` (schema version 2). */
export interface DataFile {
  /** Always {@link DATA_FILE_SCHEMA_VERSION} once loaded (older files are migrated on load). */
  schemaVersion: typeof DATA_FILE_SCHEMA_VERSION;
  /** Device identifier (random UUID) created once with the file and sent with token requests. */
  appId: string;
  /** The configuration; secrets are never here (only account references in the SecretStore). */
  config: DirconnConfig;
  /** Login references. */
  auth: AuthData;
  /**
   * Sync state per scope key (an opaque string chosen by core: the organization id and the server's
   * API URL since schema version 2). Default `{}`.
   */
  state: Record<string, SyncState>;
  /** Secrets by account name; present only in plaintext mode (`DIRCONN_PLAINTEXT_SECRETS=true`). */
  plaintextSecrets?: Record<string, string>;
}

/** Default auth references: logged out. */
export const DEFAULT_AUTH: Readonly<AuthData> = { clientId: null, organizationId: null };

/** A fresh configuration with every default (deep copy, safe to mutate). */
export function defaultConfig(): DirconnConfig {
  return {
    server: { ...DEFAULT_SERVER_CONFIG },
    directory: null,
    sync: { ...DEFAULT_SYNC_CONFIG },
    directories: {},
  };
}

/** A fresh data file: defaults plus a new `appId` (from `newId`, default `crypto.randomUUID`). */
export function defaultDataFile(newId: () => string = randomUUID): DataFile {
  return {
    schemaVersion: DATA_FILE_SCHEMA_VERSION,
    appId: newId(),
    config: defaultConfig(),
    auth: { ...DEFAULT_AUTH },
    state: {},
  };
}

/** A validation failure: `path` names the key (e.g. `config.sync.users`), `problem` what is wrong. */
export class DataFileSchemaError extends Error {
  constructor(
    /** Key path in the document, e.g. `state["ldap:1"].syncedUsers[3].email`. */
    readonly path: string,
    /** What is wrong, e.g. `must be a boolean (found string)`. */
    readonly problem: string,
  ) {
    super(`${path || '(document)'} ${problem}`);
    this.name = 'DataFileSchemaError';
  }
}

/** Result of {@link validateDataFile}. */
export interface ValidationResult {
  /** The validated document with defaults filled in (unknown keys kept). */
  data: DataFile;
  /** Key paths that were missing and got their default, e.g. `["appId", "config.sync.fullSyncIntervalHours"]`. */
  filled: string[];
}

// ---------------------------------------------------------------------------------------------
// Small typed checks. Each takes the parent path and the key, so messages name the full path.

type Json = Record<string, unknown>;

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function child(parent: string, key: string): string {
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : undefined;
  if (safe !== undefined) return parent ? `${parent}.${safe}` : safe;
  return `${parent}[${JSON.stringify(key)}]`;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new DataFileSchemaError(path, `must be ${expected} (found ${kindOf(value)})`);
}

function isPlainObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expectObject(value: unknown, path: string): Json {
  if (!isPlainObject(value)) fail(path, 'an object', value);
  return value;
}

/** Field types the validator understands; `?` means null is allowed. */
type FieldType = 'boolean' | 'number' | 'number?' | 'string' | 'string?';

type TypeOfField<T extends FieldType> = T extends 'boolean'
  ? boolean
  : T extends 'number'
    ? number
    : T extends 'number?'
      ? number | null
      : T extends 'string'
        ? string
        : string | null;

function checkField(value: unknown, type: FieldType, path: string): void {
  switch (type) {
    case 'boolean':
      if (typeof value !== 'boolean') fail(path, 'true or false', value);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a number', value);
      return;
    case 'number?':
      if (value !== null && (typeof value !== 'number' || !Number.isFinite(value))) fail(path, 'a number or null', value);
      return;
    case 'string':
      if (typeof value !== 'string') fail(path, 'a string', value);
      return;
    case 'string?':
      if (value !== null && typeof value !== 'string') fail(path, 'a string or null', value);
      return;
  }
}

/**
 * Validates a flat section against a field table: missing keys get the default (recorded in
 * `filled`), present keys must have the right type, unknown keys are kept.
 */
function validateSection<T extends object>(
  value: unknown,
  path: string,
  types: { readonly [K in keyof T]: FieldType },
  defaults: Readonly<T>,
  filled: string[],
): T {
  const input = value === undefined ? {} : expectObject(value, path);
  if (value === undefined) filled.push(path);
  const out: Json = { ...input };
  for (const key of Object.keys(types) as (keyof T & string)[]) {
    const fieldPath = child(path, key);
    if (input[key] === undefined) {
      if (value !== undefined) filled.push(fieldPath);
      out[key] = defaults[key];
      continue;
    }
    checkField(input[key], types[key], fieldPath);
  }
  return out as T;
}

// Field tables. The mapped types make a new core field a compile error here until it is added,
// and the `_…Check` aliases make a changed field type one too.
const SERVER_TYPES = {
  base: 'string?',
  api: 'string?',
  identity: 'string?',
  caFile: 'string?',
  allowUnauthorized: 'boolean',
} as const satisfies { readonly [K in keyof ServerConfig]-?: FieldType };

const SYNC_TYPES = {
  users: 'boolean',
  groups: 'boolean',
  interval: 'number?',
  userFilter: 'string?',
  groupFilter: 'string?',
  removeDisabled: 'boolean',
  overwriteExisting: 'boolean',
  largeImport: 'boolean',
  inviteUsersAfterProvisioning: 'boolean',
  userObjectClass: 'string?',
  groupObjectClass: 'string?',
  userPath: 'string?',
  groupPath: 'string?',
  userEmailAttribute: 'string?',
  groupNameAttribute: 'string?',
  memberAttribute: 'string?',
  useEmailPrefixSuffix: 'boolean',
  emailPrefixAttribute: 'string?',
  emailSuffix: 'string?',
  creationDateAttribute: 'string?',
  revisionDateAttribute: 'string?',
  maxRemovals: 'number',
  maxRemovalPercent: 'number',
  maxMembershipRemovals: 'number',
  maxMembershipRemovalPercent: 'number',
  removeVanished: 'boolean',
  fullSyncIntervalHours: 'number',
} as const satisfies { readonly [K in keyof SyncConfig]-?: FieldType };

const AUTH_TYPES = { clientId: 'string?', organizationId: 'string?' } as const satisfies {
  readonly [K in keyof AuthData]-?: FieldType;
};

type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type FieldsOf<T extends Record<string, FieldType>> = { -readonly [K in keyof T]: TypeOfField<T[K]> };
/** Compile-time: the tables above describe exactly core's types. */
type _ServerCheck = Exact<FieldsOf<typeof SERVER_TYPES>, ServerConfig>;
type _SyncCheck = Exact<FieldsOf<typeof SYNC_TYPES>, SyncConfig>;
type _AuthCheck = Exact<FieldsOf<typeof AUTH_TYPES>, AuthData>;
const _typeChecks: [_ServerCheck, _SyncCheck, _AuthCheck] = [true, true, true];
void _typeChecks;

function validateConfig(value: unknown, filled: string[]): DirconnConfig {
  const path = 'config';
  const input = value === undefined ? {} : expectObject(value, path);
  if (value === undefined) filled.push(path);
  const server = validateSection<ServerConfig>(input['server'], 'config.server', SERVER_TYPES, DEFAULT_SERVER_CONFIG, filled);
  const sync = validateSection<SyncConfig>(input['sync'], 'config.sync', SYNC_TYPES, DEFAULT_SYNC_CONFIG, filled);

  let directory: DirectoryType | null = null;
  if (input['directory'] === undefined) {
    if (value !== undefined) filled.push('config.directory');
  } else if (input['directory'] !== null) {
    const candidate = input['directory'];
    // Any source name is kept: the provider registry decides what this version can read (a file
    // written by a newer version with a new source stays loadable; using it gives a clear error).
    if (typeof candidate !== 'string' || !DIRECTORY_TYPE_NAME.test(candidate)) {
      throw new DataFileSchemaError(
        'config.directory',
        `must be null or a directory type name such as "ldap" (found ${typeof candidate === 'string' ? JSON.stringify(candidate) : kindOf(candidate)})`,
      );
    }
    directory = candidate;
  }

  const directories: DirconnConfig['directories'] = {};
  if (input['directories'] === undefined) {
    if (value !== undefined) filled.push('config.directories');
  } else {
    const map = expectObject(input['directories'], 'config.directories');
    for (const [type, entry] of Object.entries(map)) {
      const entryPath = child('config.directories', type);
      if (!DIRECTORY_TYPE_NAME.test(type)) {
        throw new DataFileSchemaError(entryPath, 'is not a directory type name (expected lower-case letters, digits and dashes, e.g. "ldap")');
      }
      const settings = expectObject(entry, entryPath);
      if (settings['id'] !== undefined) checkField(settings['id'], 'string', child(entryPath, 'id'));
      directories[type] = settings;
    }
  }
  return { ...input, server, directory, sync, directories };
}

/** A `SyncedUser[]` or null (`syncedUsers`, `pendingUsers`). */
function checkSyncedUsers(v: unknown, p: string): void {
  if (v === null) return;
  if (!Array.isArray(v)) fail(p, 'an array or null', v);
  for (let i = 0; i < v.length; i++) {
    const user: unknown = v[i];
    if (!isPlainObject(user) || typeof user['externalId'] !== 'string' || typeof user['email'] !== 'string') {
      const itemPath = `${p}[${i}]`;
      const entry = expectObject(user, itemPath);
      checkField(entry['externalId'], 'string', `${itemPath}.externalId`);
      checkField(entry['email'], 'string', `${itemPath}.email`);
    }
  }
}

/** Checks one scope's state in place (no copy of the potentially 100k-entry arrays). */
function validateSyncState(value: unknown, path: string, filled: string[]): SyncState {
  const input = expectObject(value, path);
  const out: Json = { ...input };
  // Every SyncState key is listed here; the mapped type makes a new core key a compile error.
  const checks: { readonly [K in keyof SyncState]-?: (v: unknown, p: string) => void } = {
    lastSyncHash: (v, p) => checkField(v, 'string?', p),
    lastUserSync: (v, p) => checkField(v, 'string?', p),
    lastGroupSync: (v, p) => checkField(v, 'string?', p),
    lastFullSync: (v, p) => checkField(v, 'string?', p),
    cursor: () => undefined,
    lastCounts: (v, p) => {
      if (v === null) return;
      const counts = expectObject(v, p);
      checkField(counts['users'], 'number', child(p, 'users'));
      checkField(counts['groups'], 'number', child(p, 'groups'));
    },
    syncedUsers: checkSyncedUsers,
    pendingUsers: checkSyncedUsers,
    syncedGroups: (v, p) => {
      if (v === null) return;
      if (!Array.isArray(v)) fail(p, 'an array or null', v);
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'string') fail(`${p}[${i}]`, 'a string', v[i]);
      }
    },
    groupMemberCounts: (v, p) => {
      if (v === null) return;
      for (const [id, count] of Object.entries(expectObject(v, p))) checkField(count, 'number', child(p, id));
    },
    groupMemberDigests: (v, p) => {
      if (v === null) return;
      for (const [id, digest] of Object.entries(expectObject(v, p))) checkField(digest, 'string', child(p, id));
    },
    lastMembershipCheck: (v, p) => checkField(v, 'string?', p),
    source: (v, p) => {
      if (v === null) return;
      const source = expectObject(v, p);
      checkField(source['type'], 'string', child(p, 'type'));
      checkField(source['identity'], 'string?', child(p, 'identity'));
    },
  };
  for (const key of Object.keys(checks) as (keyof SyncState)[]) {
    const keyPath = child(path, key);
    if (input[key] === undefined) {
      filled.push(keyPath);
      out[key] = EMPTY_SYNC_STATE[key];
      continue;
    }
    checks[key](input[key], keyPath);
  }
  return out as unknown as SyncState;
}

/**
 * Validates a document that is already at the current schema version (run migrations first).
 * Throws {@link DataFileSchemaError} naming the first wrong key.
 *
 * @param doc the parsed JSON document
 * @param newId creates the `appId` when it is missing (default `crypto.randomUUID`)
 */
export function validateDataFile(doc: unknown, newId: () => string = randomUUID): ValidationResult {
  const filled: string[] = [];
  const input = expectObject(doc, '');
  if (input['schemaVersion'] !== DATA_FILE_SCHEMA_VERSION) {
    throw new DataFileSchemaError('schemaVersion', `must be ${DATA_FILE_SCHEMA_VERSION} (found ${JSON.stringify(input['schemaVersion']) ?? 'nothing'})`);
  }

  let appId: string;
  if (input['appId'] === undefined) {
    appId = newId();
    filled.push('appId');
  } else {
    checkField(input['appId'], 'string', 'appId');
    appId = input['appId'] as string;
    if (appId.trim() === '') throw new DataFileSchemaError('appId', 'must not be empty');
  }

  const config = validateConfig(input['config'], filled);
  const auth = validateSection<AuthData>(input['auth'], 'auth', AUTH_TYPES, DEFAULT_AUTH, filled);

  const state: Record<string, SyncState> = {};
  if (input['state'] === undefined) {
    filled.push('state');
  } else {
    for (const [scope, entry] of Object.entries(expectObject(input['state'], 'state'))) {
      state[scope] = validateSyncState(entry, child('state', scope), filled);
    }
  }

  // Canonical key order first, unknown top-level keys after (kept for newer versions).
  const data: Json = { schemaVersion: DATA_FILE_SCHEMA_VERSION, appId, config, auth, state };
  if (input['plaintextSecrets'] !== undefined) {
    const secrets = expectObject(input['plaintextSecrets'], 'plaintextSecrets');
    for (const [account, secret] of Object.entries(secrets)) {
      // The value is never echoed: only its type.
      checkField(secret, 'string', child('plaintextSecrets', account));
    }
    data['plaintextSecrets'] = secrets;
  }
  for (const [key, value] of Object.entries(input)) {
    if (!(key in data)) data[key] = value;
  }
  return { data: data as unknown as DataFile, filled };
}
