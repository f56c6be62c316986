/**
 * `dirconn config [key] [value]`: every setting, by `<section>.<field>` with the reference's names.
 * Parsing and rendering only: listing, reading, validating (type, URL, filter and DN syntax, file
 * existence, a DN that exists) and saving are the core config use cases.
 */
import { Command } from 'commander';
import {
  allConfigKeys,
  DirconnError,
  getSetting,
  listSettings,
  requireConfigKey,
  setSecret,
  setSetting,
  settingText,
  type ConfigKey,
  type SettingView,
} from '@dirconn/core';
import type { CliContext } from '../context.js';
import { table } from '../output.js';
import { readSecretInput } from './secret-input.js';

interface ConfigFlags {
  secretenv?: string;
  secretfile?: string;
  prompt?: boolean;
  verify: boolean;
}

export function configCommand(ctx: CliContext): Command {
  return new Command('config')
    .description('Show or change settings (run without arguments to list every setting)')
    .argument('[key]', 'setting name, e.g. ldap.hostname, sync.userFilter, server, directory')
    .argument('[value]', 'new value ("null" clears an optional setting); omit to show the current value')
    .option('--secretenv <VAR>', 'for secret settings: read the value from this environment variable')
    .option('--secretfile <file>', 'for secret settings: read the value from the first line of this file')
    .option('--prompt', 'for secret settings: ask for the value on the terminal (hidden)')
    .option('--no-verify', 'do not contact the directory to check that a DN exists')
    .addHelpText(
      'after',
      `
Examples:
  $ dirconn config                                   # list all settings
  $ dirconn config directory ldap
  $ dirconn config ldap.hostname dc1.example.com
  $ dirconn config ldap.password --secretfile /run/secrets/ldap-password
  $ dirconn config sync.userFilter '(memberOf=cn=vault-users,ou=groups,dc=example,dc=com)'
  $ dirconn config server https://vault.example.com
  $ dirconn config sync.userPath null                # clear

Every setting can also come from the environment as DIRCONN_<SECTION>_<FIELD> (upper snake case,
e.g. DIRCONN_LDAP_HOSTNAME, DIRCONN_SYNC_USER_FILTER, DIRCONN_DIRECTORY, DIRCONN_SERVER): checked like
"dirconn config", it overrides the data file for that run and is never written to it.

Settings:
${allConfigKeys(ctx.platform().definitions)
  .map((k) => `  ${k.field.key.padEnd(32)} ${k.field.description}`)
  .join('\n')}
`,
    )
    .action(async (keyName: string | undefined, value: string | undefined, flags: ConfigFlags) => {
      if (keyName === undefined) {
        await ctx.withDeps('config', async (deps) => renderList(ctx, await listSettings(deps)), { lock: false });
        return;
      }
      const key = requireConfigKey(ctx.platform().definitions, keyName);
      if (key.field.secret) {
        await setOrShowSecret(ctx, key, value, flags);
        return;
      }
      if (flags.secretenv || flags.secretfile || flags.prompt) {
        throw new DirconnError('usage', `${key.field.key} is not a secret setting; give its value as an argument.`);
      }
      if (value === undefined) {
        const setting = await ctx.withDeps('config', (deps) => getSetting(deps, key.field.key), { lock: false });
        ctx.output().result({ key: setting.key, value: setting.value }, (r) => settingText(r.value));
        return;
      }
      const saved = await ctx.withDeps('config', (deps) => setSetting(deps, { key: key.field.key, value, verify: flags.verify, signal: ctx.abort.signal }));
      ctx.warn(saved.warnings);
      ctx.output().result({ key: saved.key, value: saved.value, saved: true }, (r) => `Saved setting ${r.key} = ${r.value === null ? '(cleared)' : settingText(r.value)}.`);
    });
}

/** Secrets are shown as (set)/(not set), never their value. */
function shown(setting: SettingView): unknown {
  if (setting.secret) return setting.secret.set ? '(set)' : '(not set)';
  return setting.value;
}

/** `from: 'environment'` and the variable when a DIRCONN_* variable (setting or secret) gives the value. */
function origin(setting: SettingView): { from?: 'environment'; variable?: string } {
  if (setting.source === 'environment' && setting.variable !== undefined) return { from: 'environment', variable: setting.variable };
  const secretOrigin = setting.secret?.origin;
  if (secretOrigin !== undefined && secretOrigin !== null && secretOrigin.kind !== 'store') return { from: 'environment', variable: secretOrigin.name };
  return {};
}

function renderList(ctx: CliContext, list: Awaited<ReturnType<typeof listSettings>>): void {
  const settings = list.settings.map((s) => ({ key: s.key, value: shown(s), secret: s.secret !== undefined, ...origin(s) }));
  ctx.output().result({ settings, dataFile: list.location }, (r) =>
    `${table(
      ['SETTING', 'VALUE'],
      r.settings.map((s) => [s.key, `${settingText(s.value)}${s.variable !== undefined ? `  (from environment ${s.variable})` : ''}`]),
    )}\n\nSettings of other directory types are hidden; "dirconn config <key>" shows any one.`,
  );
}

async function setOrShowSecret(ctx: CliContext, key: ConfigKey, value: string | undefined, flags: ConfigFlags): Promise<void> {
  if (value !== undefined) {
    throw new DirconnError('usage', `Secrets are never accepted as command-line arguments (they would be visible in the process list and shell history).`, {
      hint: `Use "dirconn config ${key.field.key} --secretfile <file>", "--secretenv <VAR>" or "--prompt".`,
    });
  }
  if (!flags.secretenv && !flags.secretfile && !flags.prompt) {
    const setting = await ctx.withDeps('config', (deps) => getSetting(deps, key.field.key), { lock: false });
    ctx.output().result({ key: setting.key, set: setting.secret?.set === true }, (r) => (r.set ? '(set)' : '(not set)'));
    return;
  }
  const secret = await readSecretInput(ctx.io, flags, key.field.key);
  const saved = await ctx.withDeps('config', (deps) => setSecret(deps, { key: key.field.key, secret }));
  ctx.output().result({ key: saved.key, saved: true, storage: saved.storage }, (r) => `Saved setting ${r.key} (in ${r.storage}).`);
}
