/**
 * Reading settings (`dirconn config`, `dirconn config <key>`, the desktop's settings page): every key
 * of the chosen source with its value, default and where it comes from. Secrets are never read out:
 * only whether one is set and where from (the store, or an environment override by name).
 */
import { allConfigKeys, isKeyStored, readKey, requireConfigKey, type ConfigKey } from '../config/config-keys.js';
import type { DirconnConfig } from '../config/config.js';
import { environmentSettingFor } from '../config/env-settings.js';
import type { FieldKind } from '../config/fields.js';
import { secretAccountFor, type ProviderDefinition } from '../model/provider-definition.js';
import type { SecretOverride } from '../ports.js';
import type { UseCaseDeps } from './session.js';

/** Whether a secret setting is set, and where its value comes from (never the value). */
export interface SecretStatus {
  set: boolean;
  /** An environment override by name, the writable store, or null when not set. */
  origin: SecretOverride | { kind: 'store'; name: string } | null;
}

/** One setting as shown to an admin. */
export interface SettingView {
  key: string;
  kind: FieldKind;
  description: string;
  /** The stored value, else the default; null for secrets (see `secret`). */
  value: unknown;
  defaultValue: unknown;
  /**
   * `environment` when a `DIRCONN_<SECTION>_<FIELD>` variable gives the value for this run (see
   * `variable`), `stored` when the data file has a value of its own, else `default`.
   */
  source: 'stored' | 'default' | 'environment';
  /** The environment variable giving the value, when `source` is `environment`. */
  variable?: string;
  /** For secret settings only. */
  secret?: SecretStatus;
}

/** The settings of the chosen source (other sources' keys and the sync keys it does not use are left out). */
export interface SettingsList {
  settings: SettingView[];
  /** Where the data lives (the data file's path). */
  location: string;
}

/** Lists every setting that applies to the chosen directory. */
export async function listSettings(deps: UseCaseDeps): Promise<SettingsList> {
  const config = deps.workspace.config;
  const chosen = deps.definitions.find((d) => d.type === config.directory);
  const settings: SettingView[] = [];
  for (const key of allConfigKeys(deps.definitions)) {
    if (key.location.section === 'provider' && key.location.type !== config.directory) continue;
    if (key.location.section === 'sync' && chosen?.unusedSyncFields?.includes(key.field.key) === true) continue;
    settings.push(await viewOf(deps, config, key));
  }
  return { settings, location: deps.workspace.location };
}

/** One setting by name or alias (`usage` error with suggestions when unknown). */
export async function getSetting(deps: UseCaseDeps, name: string): Promise<SettingView> {
  return viewOf(deps, deps.workspace.config, requireConfigKey(deps.definitions, name));
}

async function viewOf(deps: UseCaseDeps, config: DirconnConfig, key: ConfigKey): Promise<SettingView> {
  const base = { key: key.field.key, kind: key.field.kind, description: key.field.description, defaultValue: key.field.defaultValue ?? null };
  if (key.field.secret && key.location.section === 'provider') {
    const secret = await secretStatus(deps, config, key.location.type, key.location.definition);
    return { ...base, value: null, source: secret.set ? 'stored' : 'default', secret };
  }
  const fromEnvironment = environmentSettingFor(deps.workspace.environment, key);
  if (fromEnvironment !== undefined) return { ...base, value: fromEnvironment.value, source: 'environment', variable: fromEnvironment.variable };
  return { ...base, value: readKey(config, key) ?? null, source: isKeyStored(config, key) ? 'stored' : 'default' };
}

/** Whether the source's secret is set for its current configuration id. */
async function secretStatus(deps: UseCaseDeps, config: DirconnConfig, type: string, definition: ProviderDefinition): Promise<SecretStatus> {
  // A source with no configuration id yet (configured by the environment only) uses the `default`
  // id, as resolveDirectory does; an environment variable then still counts as set.
  const id = config.directories[type]?.id;
  const account = secretAccountFor(definition, typeof id === 'string' ? id : 'default');
  if (account === null) return { set: false, origin: null };
  try {
    if ((await deps.secrets.get(account)) === null) return { set: false, origin: null };
    return { set: true, origin: deps.secrets.overrideFor?.(account) ?? { kind: 'store', name: deps.secrets.description } };
  } catch {
    // An unreachable keychain or an unreadable override file: shown as not set; `test` names the cause.
    return { set: false, origin: null };
  }
}
