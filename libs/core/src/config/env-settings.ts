/**
 * Settings from the environment (issue #13 item 3): every non-secret setting can be given as
 * `DIRCONN_<SECTION>_<FIELD>` in upper snake case (`DIRCONN_LDAP_HOSTNAME`, `DIRCONN_SYNC_USER_FILTER`,
 * `DIRCONN_DIRECTORY`, `DIRCONN_SERVER`). A variable overrides the data file for the run that sees it
 * and is never written to it. Secrets keep their own variables (`DIRCONN_LDAP_PASSWORD[_FILE]`…, the
 * secret bindings), which follow the same spelling.
 *
 * Pure: the caller passes the environment; checks that need I/O (a readable file) are in
 * `usecases/environment-settings.ts`.
 */
import { DirconnError } from '../errors.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { allConfigKeys, readKey, type ConfigKey } from './config-keys.js';
import type { DirconnConfig } from './config.js';
import { secretBindings } from './secret-bindings.js';
import { parseSettingValue } from './setting-value.js';

/** Prefix of every dirconn environment variable. */
export const ENV_PREFIX = 'DIRCONN_';

/**
 * The environment variable of a setting: `DIRCONN_` + the key in upper snake case
 * (`ldap.sslCaPath` → `DIRCONN_LDAP_SSL_CA_PATH`, `server` → `DIRCONN_SERVER`).
 */
export function settingVariable(key: string): string {
  return ENV_PREFIX + key.replace(/\./g, '_').replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

/** One setting given by an environment variable, parsed and checked like `dirconn config`. */
export interface EnvironmentSetting {
  key: ConfigKey;
  /** The variable, e.g. `DIRCONN_LDAP_HOSTNAME`. */
  variable: string;
  /** The parsed value (what `dirconn config <key> <value>` would save). */
  value: unknown;
}

/** Every non-secret key with its variable, in the key table's order. */
export function environmentKeys(definitions: readonly ProviderDefinition[]): { key: ConfigKey; variable: string }[] {
  return allConfigKeys(definitions)
    .filter((key) => key.field.secret !== true)
    .map((key) => ({ key, variable: settingVariable(key.field.key) }));
}

/** The error for a bad value in `variable`: names the variable, keeps the validator's reason. */
export function environmentValueError(variable: string, key: ConfigKey, error: unknown): DirconnError {
  const reason = DirconnError.is(error) ? error.message : String(error);
  return new DirconnError('config.invalid', `Invalid environment variable ${variable} (setting ${key.field.key}): ${reason}`, {
    hint: `Fix or unset ${variable}; it is checked like "dirconn config ${key.field.key} <value>".`,
    details: { variable, setting: key.field.key },
  });
}

/**
 * Reads the setting variables of `env` and parses each value with the setting's own parser (type,
 * URL and host name, enum of registered sources). An empty variable counts as unset (container
 * templates often pass empty ones). Throws `config.invalid` naming the first bad variable.
 */
export function parseEnvironmentSettings(definitions: readonly ProviderDefinition[], env: Readonly<Record<string, string | undefined>>): EnvironmentSetting[] {
  const settings: EnvironmentSetting[] = [];
  for (const { key, variable } of environmentKeys(definitions)) {
    const raw = env[variable];
    if (raw === undefined || raw.trim() === '') continue;
    let value: unknown;
    try {
      value = parseSettingValue(key, raw);
    } catch (error) {
      throw environmentValueError(variable, key, error);
    }
    settings.push({ key, variable, value });
  }
  return settings;
}

/**
 * `DIRCONN_*` variables that look like a setting (their section is `server`, `sync`, `directory` or a
 * registered source) but are neither a setting nor a secret variable: probably mistyped.
 */
export function unknownSettingVariables(definitions: readonly ProviderDefinition[], env: Readonly<Record<string, string | undefined>>): string[] {
  const known = new Set(environmentKeys(definitions).map((k) => k.variable));
  for (const binding of secretBindings(definitions)) {
    known.add(binding.variable);
    if (binding.fileVariable !== null) known.add(binding.fileVariable);
  }
  const sections = ['SERVER', 'SYNC', 'DIRECTORY', ...definitions.map((d) => d.type.toUpperCase())];
  return Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !known.has(name))
    .filter((name) => sections.some((section) => name === `${ENV_PREFIX}${section}` || name.startsWith(`${ENV_PREFIX}${section}_`)))
    .sort();
}

/** `config` with the environment's values in place (a copy; `config` is not changed). */
export function applyEnvironmentSettings(config: DirconnConfig, settings: readonly EnvironmentSetting[]): DirconnConfig {
  if (settings.length === 0) return config;
  const effective = structuredClone(config);
  for (const { key, value } of settings) setRaw(effective, key, value);
  return effective;
}

/**
 * The configuration to write to the data file when a face saves `next` (which started as the
 * effective configuration): every value still equal to its environment override is put back to what
 * the data file had, so an environment value never ends up in the file. A value the admin changed on
 * purpose (different from the variable's) is saved.
 */
export function withoutEnvironmentSettings(next: DirconnConfig, stored: DirconnConfig, settings: readonly EnvironmentSetting[]): DirconnConfig {
  if (settings.length === 0) return next;
  const result = structuredClone(next);
  for (const { key, value } of settings) {
    if (!sameValue(readRaw(result, key), value)) continue;
    if (hasRaw(stored, key)) setRaw(result, key, readRaw(stored, key));
    else deleteRaw(result, key);
  }
  return result;
}

/** The environment setting of a key, if one is in force. */
export function environmentSettingFor(settings: readonly EnvironmentSetting[] | undefined, key: ConfigKey): EnvironmentSetting | undefined {
  return settings?.find((s) => s.key.field.key === key.field.key);
}

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** The value as held in the configuration object (no default applied); undefined when absent. */
function readRaw(config: DirconnConfig, key: ConfigKey): unknown {
  const loc = key.location;
  if (loc.section === 'provider') return config.directories[loc.type]?.[loc.field];
  if (loc.section === 'sync') return (config.sync as unknown as Record<string, unknown>)[loc.field];
  return readKey(config, key);
}

function hasRaw(config: DirconnConfig, key: ConfigKey): boolean {
  const loc = key.location;
  if (loc.section === 'provider') return config.directories[loc.type] !== undefined && loc.field in (config.directories[loc.type] ?? {});
  if (loc.section === 'sync') return loc.field in config.sync;
  return true;
}

/** Writes without minting a configuration id: an environment-only source uses the `default` id. */
function setRaw(config: DirconnConfig, key: ConfigKey, value: unknown): void {
  const loc = key.location;
  switch (loc.section) {
    case 'server':
      (config.server as unknown as Record<string, unknown>)[loc.field] = value;
      return;
    case 'directory':
      config.directory = value as string | null;
      return;
    case 'sync':
      (config.sync as unknown as Record<string, unknown>)[loc.field] = value;
      return;
    case 'provider':
      (config.directories[loc.type] ??= {})[loc.field] = value;
      return;
  }
}

function deleteRaw(config: DirconnConfig, key: ConfigKey): void {
  const loc = key.location;
  if (loc.section === 'sync') {
    delete (config.sync as unknown as Record<string, unknown>)[loc.field];
  } else if (loc.section === 'provider') {
    const section = config.directories[loc.type];
    if (section === undefined) return;
    delete section[loc.field];
    if (Object.keys(section).length === 0) delete config.directories[loc.type];
  }
}
