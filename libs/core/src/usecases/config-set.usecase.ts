/**
 * Changing settings (`dirconn config <key> <value>`, the desktop's settings form): every check where
 * the value enters — its type, URL and host name, DN and filter syntax, a readable file for path
 * settings, the overwriteExisting/largeImport rule, and (when the directory can be reached) that a DN
 * exists. Nothing is half-saved: the configuration is written once, after every check passed.
 */
import { findConfigKey, readKey, requireConfigKey, writeKey, type ConfigKey } from '../config/config-keys.js';
import { DEFAULT_SYNC_CONFIG, type DirconnConfig } from '../config/config.js';
import { environmentSettingFor } from '../config/env-settings.js';
import { checkDnSyntax, checkFilterSyntax, parseSettingValue, settingText } from '../config/setting-value.js';
import { DirconnError } from '../errors.js';
import { secretAccountFor, type SettingExpansion } from '../model/provider-definition.js';
import { fileErrorCode, type FileReader } from '../ports.js';
import { overwriteWithLargeImportError } from '../sync/request-builder.js';
import { verifyLocation } from './config-location.js';
import { mintId, type UseCaseDeps } from './session.js';
import type { UseCaseWarning } from './use-case-warning.js';

/** What `setSetting` needs. */
export interface SetSettingInput {
  /** Setting name or alias, e.g. `ldap.hostname`. */
  key: string;
  /** The text the admin typed; `null` or empty clears an optional setting. */
  value: string;
  /** Check a DN against the directory when it can be reached (default true). */
  verify?: boolean;
  signal?: AbortSignal;
}

/** What `setSetting` saved. */
export interface SetSettingResult {
  key: string;
  /** The parsed value as saved (null when cleared). */
  value: unknown;
  warnings: UseCaseWarning[];
}

/** Validates and saves one (non-secret) setting. */
export async function setSetting(deps: UseCaseDeps, input: SetSettingInput): Promise<SetSettingResult> {
  const key = requireConfigKey(deps.definitions, input.key);
  if (key.field.secret) throw new DirconnError('usage', `${key.field.key} is a secret setting; it is set on its own, never as a plain value.`);
  const value = parseSettingValue(key, input.value);
  const current = deps.workspace.config;
  const draft: DirconnConfig = structuredClone(current);
  draft.sync = { ...DEFAULT_SYNC_CONFIG, ...draft.sync };
  writeKey(draft, key, value, () => mintId(deps));
  const warnings: UseCaseWarning[] = [];

  if (value !== null) {
    const text = settingText(value);
    if (key.field.kind === 'filter') checkFilterSyntax(key, filterSource(deps, draft), text);
    if (key.field.kind === 'path') await checkReadableFile(deps.files, key, text);
    if (key.field.kind === 'dn') checkDnSyntax(key, text);
  }
  if (draft.sync.overwriteExisting && draft.sync.largeImport && (key.field.key === 'sync.overwriteExisting' || key.field.key === 'sync.largeImport')) {
    throw overwriteWithLargeImportError();
  }
  const expansion = expandSetting(deps, draft, key, value);
  const renewed = renewIdentityIfChanged(deps, current, draft, key);
  if (renewed) warnings.push(renewed);
  const fromEnvironment = environmentSettingFor(deps.workspace.environment, key);
  if (fromEnvironment !== undefined) {
    warnings.push({
      code: 'config.environment-override',
      setting: key.field.key,
      message: `${fromEnvironment.variable} is set and overrides ${key.field.key} while it is; the data file ${value === fromEnvironment.value ? 'keeps its own value (the same as the variable\'s is not written)' : 'gets the new value'}.`,
    });
  }
  if (input.verify !== false && value !== null && key.field.kind === 'dn') {
    warnings.push(...(await verifyLocation(deps, draft, key, input.signal)));
  }
  await deps.workspace.saveConfig(draft);
  if (expansion?.secret !== undefined && key.location.section === 'provider') {
    const id = draft.directories[key.location.type]?.id;
    const account = typeof id === 'string' ? secretAccountFor(key.location.definition, id) : null;
    if (account !== null) await deps.secrets.set(account, expansion.secret.reveal());
  }
  return { key: key.field.key, value, warnings };
}

/**
 * A setting that brings others with it (Google's key file → client email, token URL and the private
 * key as the secret): writes the other settings into `draft`; the caller stores the secret after the
 * configuration is saved.
 */
function expandSetting(deps: UseCaseDeps, draft: DirconnConfig, key: ConfigKey, value: unknown): SettingExpansion | undefined {
  if (value === null || key.location.section !== 'provider') return undefined;
  const expansion = key.location.definition.expandSetting?.(key.field.key, value);
  if (expansion === undefined) return undefined;
  for (const [name, expanded] of Object.entries(expansion.settings)) {
    const target = findConfigKey(deps.definitions, name);
    if (target === undefined) throw new DirconnError('internal', `${key.field.key} expands into the unknown setting ${name}.`);
    writeKey(draft, target, expanded, () => mintId(deps));
  }
  return expansion;
}

/** The source whose filter syntax applies: the chosen one, else the registry's first (its default). */
function filterSource(deps: UseCaseDeps, config: DirconnConfig) {
  return config.directory !== null ? deps.providers(config.directory) : deps.definitions.find((d) => d.filter !== undefined);
}

async function checkReadableFile(files: FileReader, key: ConfigKey, path: string): Promise<void> {
  try {
    await files.checkReadable(path);
  } catch (error) {
    throw new DirconnError('config.invalid', `Invalid value for ${key.field.key}: the file ${path} cannot be read (${fileErrorCode(error) ?? 'error'}).`, {
      hint: 'Give the full path of an existing, readable file.',
    });
  }
}

/**
 * Reference §9.4: a configuration keeps its id while its identity fields (LDAP hostname, domain,
 * username…) are unchanged and gets a new one when one of them changes, so a secret saved for one
 * server is never sent to another (and the sync state starts afresh). Giving a value to a field that
 * had none completes the identity and keeps the id.
 */
function renewIdentityIfChanged(deps: UseCaseDeps, current: DirconnConfig, draft: DirconnConfig, key: ConfigKey): UseCaseWarning | null {
  if (key.location.section !== 'provider') return null;
  const { type, field, definition } = key.location;
  if (!definition.identityFields.includes(field)) return null;
  const stored = current.directories[type];
  if (stored === undefined || typeof stored.id !== 'string') return null;
  const before = readKey(current, key);
  const after = readKey(draft, key);
  if (before === null || before === undefined || before === after) return null;
  const renewedConfig = draft.directories[type];
  if (renewedConfig === undefined) return null;
  renewedConfig.id = mintId(deps);
  const secret = definition.secret;
  if (secret === null) return null;
  return {
    code: 'config.new-identity',
    setting: secret.setting,
    message: `${key.field.key} changed, so the ${secret.description} saved for the previous value is not used any more: set ${secret.setting} again (unless ${secret.variable} or ${secret.fileVariable} supplies it).`,
  };
}

/** What `setSecret` saved (never the value). */
export interface SetSecretResult {
  key: string;
  /** Where it is kept, e.g. "OS keychain (Secret Service); environment variables override it where set". */
  storage: string;
}

/** Stores a source's secret (e.g. `ldap.password`) under its configuration's id, minting the id when there is none. */
export async function setSecret(deps: UseCaseDeps, input: { key: string; secret: string }): Promise<SetSecretResult> {
  const key = requireConfigKey(deps.definitions, input.key);
  if (!key.field.secret || key.location.section !== 'provider') throw new DirconnError('usage', `${key.field.key} is not a secret setting.`);
  const { type, definition } = key.location;
  let id = deps.workspace.config.directories[type]?.id;
  if (typeof id !== 'string') {
    const draft = structuredClone(deps.workspace.config);
    const minted = mintId(deps);
    (draft.directories[type] ??= {}).id = minted;
    await deps.workspace.saveConfig(draft);
    id = minted;
  }
  const account = secretAccountFor(definition, id);
  if (account === null) throw new DirconnError('internal', `The ${type} directory has no secret.`);
  await deps.secrets.set(account, input.secret);
  return { key: key.field.key, storage: deps.secrets.description };
}
