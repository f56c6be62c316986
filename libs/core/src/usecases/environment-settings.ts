/**
 * The environment's settings for one run (issue #13 item 3), checked exactly like
 * `dirconn config <key> <value>`: the field's type, URL and host name, DN syntax, the chosen source's
 * filter syntax, a readable file for path settings, and the overwriteExisting/largeImport rule. The
 * first bad variable fails the run with `config.invalid` (exit 3) naming it. The composition root
 * calls this when it opens the data directory and gives the result to the workspace port, which
 * shows the effective configuration and keeps these values out of the data file.
 */
import { applyEnvironmentSettings, environmentValueError, parseEnvironmentSettings, type EnvironmentSetting } from '../config/env-settings.js';
import type { DirconnConfig } from '../config/config.js';
import { DEFAULT_SYNC_CONFIG } from '../config/config.js';
import { checkDnSyntax, checkFilterSyntax, settingText } from '../config/setting-value.js';
import { DirconnError } from '../errors.js';
import type { ProviderDefinition } from '../model/provider-definition.js';
import { fileErrorCode, type FileReader } from '../ports.js';
import { overwriteWithLargeImportError } from '../sync/request-builder.js';

/** What {@link resolveEnvironmentSettings} needs. */
export interface EnvironmentSettingsInput {
  definitions: readonly ProviderDefinition[];
  files: FileReader;
  env: Readonly<Record<string, string | undefined>>;
  /** The configuration in the data file. */
  stored: DirconnConfig;
}

/** Parses and checks every `DIRCONN_<SECTION>_<FIELD>` variable of `env`. */
export async function resolveEnvironmentSettings(input: EnvironmentSettingsInput): Promise<EnvironmentSetting[]> {
  const settings = parseEnvironmentSettings(input.definitions, input.env);
  if (settings.length === 0) return settings;
  const effective = applyEnvironmentSettings(input.stored, settings);
  const source = input.definitions.find((d) => d.type === effective.directory) ?? input.definitions.find((d) => d.filter !== undefined);
  for (const setting of settings) {
    const { key, variable, value } = setting;
    if (value === null) continue;
    const text = settingText(value);
    try {
      if (key.field.kind === 'filter') checkFilterSyntax(key, source, text);
      if (key.field.kind === 'dn') checkDnSyntax(key, text);
    } catch (error) {
      throw environmentValueError(variable, key, error);
    }
    if (key.field.kind === 'path') {
      try {
        await input.files.checkReadable(text);
      } catch (error) {
        throw environmentValueError(variable, key, new DirconnError('config.invalid', `the file ${text} cannot be read (${fileErrorCode(error) ?? 'error'}).`));
      }
    }
  }
  const sync = { ...DEFAULT_SYNC_CONFIG, ...effective.sync };
  const rule = settings.find((s) => s.key.field.key === 'sync.overwriteExisting' || s.key.field.key === 'sync.largeImport');
  if (sync.overwriteExisting && sync.largeImport && rule !== undefined) throw environmentValueError(rule.variable, rule.key, overwriteWithLargeImportError());
  return settings;
}
