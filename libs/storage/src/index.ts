/**
 * @dirconn/storage — the store shared by the CLI and the desktop app: the per-OS data directory, the
 * lowdb data file (validated, migrated, atomic, 0600, corrupt files moved aside), the cross-process
 * lock, secret stores (OS keychain, env/file overrides, plaintext opt-in) and run reports.
 * This file is the only entry point; nothing else in src/ is imported from outside.
 */

// Data directory
export {
  APP_DIR_NAME,
  DATA_DIR_ENV,
  DATA_FILE_NAME,
  LOCK_DIR_NAME,
  LOCK_OWNER_FILE_NAME,
  REPORTS_DIR_NAME,
  resolveDataDir,
  storePaths,
  type StorePaths,
} from './data-dir.js';

// bwdc's data directory and keychain service (dirconn import-bwdc)
export { BWDC_APP_DIR_NAME, BWDC_KEYCHAIN_SERVICE, resolveBwdcDataDir } from './bwdc-data-dir.js';

// Workspace (lock + data file)
export { openWorkspace, type OpenWorkspaceOptions, type Workspace, type WorkspacePaths } from './workspace.js';

// Data file
export {
  DATA_FILE_SCHEMA_VERSION,
  DEFAULT_AUTH,
  DataFileSchemaError,
  defaultConfig,
  defaultDataFile,
  validateDataFile,
  type AuthData,
  type DataFile,
  type ValidationResult,
} from './data-file.schema.js';
export {
  MIGRATIONS,
  migrateDocument,
  migrateTo1,
  readSchemaVersion,
  type JsonDocument,
  type MigrateOptions,
  type Migration,
  type MigrationResult,
} from './data-file.migrations.js';
export {
  DataFileAdapter,
  loadDataFile,
  serializeDataFile,
  type DataFileAdapterOptions,
  type LoadedDataFile,
  type ReadInfo,
} from './data-file.js';

// Lock
export {
  DEFAULT_LOCK_STALE_MS,
  DEFAULT_LOCK_UPDATE_MS,
  acquireLock,
  readLockOwner,
  type AcquireLockOptions,
  type LockOwner,
  type StoreLock,
} from './lock.js';

// Secrets
export {
  EnvSecretSource,
  KEYCHAIN_SERVICE,
  KeychainSecretStore,
  LayeredSecretStore,
  PLAINTEXT_SECRETS_ENV,
  PlaintextSecretStore,
  createSecretStore,
  describeSecretSources,
  keychainUnavailableHint,
  plaintextSecretsEnabled,
  type ActiveOverride,
  type CreateSecretStoreOptions,
  type KeychainSecretStoreOptions,
  type KeyringEntry,
  type PlaintextWorkspace,
  type SecretOverrideDescription,
  type SecretSourcesDescription,
} from './secrets.js';

// Run reports
export {
  DEFAULT_REPORTS_KEPT,
  listRunReportFiles,
  listRunReports,
  pruneRunReports,
  readLastRunReport,
  readRunReport,
  writeRunReport,
  type RunReportEntry,
  type WriteRunReportOptions,
} from './reports.js';

// ---------------------------------------------------------------------------------------------
// Internal-ish building blocks, exported for the desktop app and tests of other libs.
export {
  AtomicTextFile,
  PRIVATE_DIR_MODE,
  PRIVATE_FILE_MODE,
  ensurePrivateDir,
  writeFileAtomic,
  type AtomicWriteOptions,
} from './atomic-file.js';
