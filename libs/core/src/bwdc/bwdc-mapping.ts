/**
 * Mapping a bwdc data file onto dirconn's configuration (issue #13 item 6). Pure: every value goes
 * through the same parser and syntax checks as `dirconn config <key> <value>`; what cannot be taken
 * is listed with the reason. Settings that define who is synced (filters, paths, the base DN) and
 * fail a check block the whole import: dropping them would silently widen the sync.
 */
import { findConfigKey, writeKey, type ConfigKey } from '../config/config-keys.js';
import { DEFAULT_SERVER_CONFIG, DEFAULT_SYNC_CONFIG, type DirconnConfig } from '../config/config.js';
import { checkDnSyntax, checkFilterSyntax, parseSettingValue, settingText } from '../config/setting-value.js';
import { DirconnError } from '../errors.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { BWDC_DIRECTORY_TYPES, BWDC_STORED_SECURELY, type BwdcData } from './bwdc-data.js';

/** bwdc's secret field per directory type number (§3). */
const BWDC_SECRET_FIELD: Record<number, string> = { 0: 'password', 1: 'key', 2: 'privateKey', 3: 'token', 4: 'clientSecret' };

/** bwdc fields with no meaning for dirconn, and why (shown, never silently dropped). */
const UNUSED_FIELDS: Record<string, string> = {
  'ldap.currentUser': 'unused by bwdc itself since 2018',
  'sync.creationDateAttribute': 'not used for syncing (bwdc stores it but never reads it)',
};

/** Fields whose failure blocks the import: they decide who is synced. */
const SCOPE_FIELDS = new Set(['sync.userFilter', 'sync.groupFilter', 'sync.userPath', 'sync.groupPath', 'ldap.rootPath']);

/** One setting taken from the bwdc file. */
export interface ImportedSetting {
  setting: string;
  value: unknown;
}

/** One bwdc value not taken, with the reason. */
export interface SkippedSetting {
  /** dirconn setting, or the bwdc name when there is none (`directoryOnelogin.clientId`). */
  setting: string;
  reason: string;
}

/** A source's secret to look for (in the file in plaintext mode, else in bwdc's keychain). */
export interface SecretToImport {
  typeNumber: number;
  definition: ProviderDefinition;
  configId: string;
  /** The value when bwdc kept it in the file (plaintext mode). */
  plaintext: string | null;
}

/** The mapping of one bwdc file. */
export interface BwdcMapping {
  config: DirconnConfig;
  imported: ImportedSetting[];
  skipped: SkippedSetting[];
  /** Scope-defining settings that failed their check (the import must not go ahead). */
  blocking: SkippedSetting[];
  secrets: SecretToImport[];
  /** Settings of kind `path` taken (the caller checks they are readable). */
  paths: ImportedSetting[];
}

/** A fresh configuration with every default. */
function emptyConfig(): DirconnConfig {
  return { server: { ...DEFAULT_SERVER_CONFIG }, directory: null, sync: { ...DEFAULT_SYNC_CONFIG }, directories: {} };
}

/** Maps `data` onto a new dirconn configuration; `newId` gives ids to configurations without one. */
export function mapBwdcData(data: BwdcData, definitions: readonly ProviderDefinition[], newId: () => string): BwdcMapping {
  const out: BwdcMapping = { config: emptyConfig(), imported: [], skipped: [], blocking: [], secrets: [], paths: [] };
  const chosen = data.directoryType === null ? undefined : definitions.find((d) => d.referenceType === data.directoryType);
  const take = (name: string, raw: unknown, source?: ProviderDefinition): void => takeSetting(out, definitions, chosen ?? source, name, raw, newId);

  if (data.directoryType !== null) {
    if (chosen) take('directory', chosen.type);
    else out.skipped.push({ setting: 'directory', reason: `bwdc directory type ${data.directoryType} (${typeName(data.directoryType)}) is not available in this version` });
  }
  const urls = data.environmentUrls;
  if (urls) {
    take('server', urls.base);
    take('server.api', urls.api);
    take('server.identity', urls.identity);
    if (urls.webVault !== null) out.skipped.push({ setting: 'environmentUrls.webVault', reason: 'not needed by dirconn (it never opens the web vault)' });
  }

  for (const [typeNumber, stored] of data.directories) {
    const definition = definitions.find((d) => d.referenceType === typeNumber);
    const bwdcName = BWDC_DIRECTORY_TYPES.find((t) => t.number === typeNumber)?.flatKeys[0] ?? `directory ${typeNumber}`;
    if (definition === undefined) {
      out.skipped.push({ setting: bwdcName, reason: `${typeName(typeNumber)} is not available in this version; its settings were not imported` });
      continue;
    }
    const configId = typeof stored['id'] === 'string' && stored['id'] !== '' ? stored['id'] : newId();
    (out.config.directories[definition.type] ??= {}).id = configId;
    const secretField = BWDC_SECRET_FIELD[typeNumber];
    let plaintext: string | null = null;
    for (const [field, raw] of Object.entries(stored)) {
      if (field === 'id') continue;
      if (field === secretField) {
        if (typeof raw === 'string' && raw !== '' && raw !== BWDC_STORED_SECURELY) plaintext = raw;
        continue;
      }
      take(`${definition.type}.${field}`, raw, definition);
    }
    if (definition.secret !== null) out.secrets.push({ typeNumber, definition, configId, plaintext });
  }

  for (const [field, raw] of Object.entries(data.sync ?? {})) {
    if (field === 'interval' && typeof raw === 'number' && raw > 0 && raw < 5) {
      take('sync.interval', 5);
      continue;
    }
    take(`sync.${field}`, raw);
  }
  return out;
}

function typeName(typeNumber: number): string {
  return BWDC_DIRECTORY_TYPES.find((t) => t.number === typeNumber)?.name ?? `type ${typeNumber}`;
}

/** Parses and checks one value like `dirconn config` and writes it into the draft, or records why not. */
function takeSetting(out: BwdcMapping, definitions: readonly ProviderDefinition[], filterSource: ProviderDefinition | undefined, name: string, raw: unknown, newId: () => string): void {
  if (raw === null || raw === undefined || raw === '') return;
  if (UNUSED_FIELDS[name] !== undefined) {
    out.skipped.push({ setting: name, reason: UNUSED_FIELDS[name] });
    return;
  }
  const key = findConfigKey(definitions, name);
  if (key === undefined || key.field.secret) {
    out.skipped.push({ setting: name, reason: 'dirconn has no such setting' });
    return;
  }
  if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
    out.skipped.push({ setting: key.field.key, reason: 'not a single value' });
    return;
  }
  try {
    const value = checkedValue(key, filterSource, String(raw));
    writeKey(out.config, key, value, newId);
    out.imported.push({ setting: key.field.key, value });
    if (key.field.kind === 'path' && value !== null) out.paths.push({ setting: key.field.key, value });
  } catch (error) {
    const reason = DirconnError.is(error) ? error.message : String(error);
    (SCOPE_FIELDS.has(key.field.key) ? out.blocking : out.skipped).push({ setting: key.field.key, reason });
  }
}

function checkedValue(key: ConfigKey, filterSource: ProviderDefinition | undefined, raw: string): unknown {
  const value = parseSettingValue(key, raw);
  if (value === null) return value;
  const text = settingText(value);
  if (key.field.kind === 'filter') checkFilterSyntax(key, filterSource, text);
  if (key.field.kind === 'dn') checkDnSyntax(key, text);
  return value;
}
