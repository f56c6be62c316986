/**
 * `dirconn config [key] [value]`: every setting, by `<section>.<field>` with the reference's names.
 * Values are validated where they enter (type, URL, LDAP filter syntax, file existence, and — when the
 * directory is reachable — that a DN exists); nothing is half-saved.
 */
import { accessSync, constants } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import {
  DEFAULT_SYNC_CONFIG,
  DirconnError,
  createProvider,
  normalizeServerUrl,
  parseFieldValue,
  resolveDirectory,
  secretAccountFor,
  toErrorData,
  type DirconnConfig,
} from '@dirconn/core';
import { getProviderDefinition } from '@dirconn/providers';
import type { Workspace } from '@dirconn/storage';
import type { CliContext } from '../context.js';
import { table } from '../output.js';
import { allConfigKeys, findConfigKey, readKey, suggestKeys, writeKey, type ConfigKey } from './config-keys.js';
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

Settings:
${allConfigKeys()
  .map((k) => `  ${k.field.key.padEnd(32)} ${k.field.description}`)
  .join('\n')}
`,
    )
    .action(async (keyName: string | undefined, value: string | undefined, flags: ConfigFlags) => {
      if (keyName === undefined) {
        await ctx.withWorkspace('config', (ws) => listSettings(ctx, ws), { lock: false });
        return;
      }
      const key = findConfigKey(keyName);
      if (!key) {
        const suggestions = suggestKeys(keyName);
        throw new DirconnError('usage', `Unknown setting "${keyName}".`, {
          hint: `${suggestions.length > 0 ? `Did you mean ${suggestions.join(', ')}? ` : ''}Run "dirconn config" to list every setting.`,
        });
      }
      if (key.field.secret) {
        await setOrShowSecret(ctx, key, value, flags);
        return;
      }
      if (flags.secretenv || flags.secretfile || flags.prompt) {
        throw new DirconnError('usage', `${key.field.key} is not a secret setting; give its value as an argument.`);
      }
      if (value === undefined) {
        await ctx.withWorkspace(
          'config',
          async (ws) => {
            const current = readKey(ws.data.config, key);
            ctx.output().result({ key: key.field.key, value: current ?? null }, (r) => display(r.value));
          },
          { lock: false },
        );
        return;
      }
      await ctx.withWorkspace('config', (ws) => setValue(ctx, ws, key, value, flags));
    });
}

async function listSettings(ctx: CliContext, ws: Workspace): Promise<void> {
  const secrets = ctx.secrets(ws);
  const config = ws.data.config;
  const rows: { key: string; value: unknown; secret: boolean }[] = [];
  for (const key of allConfigKeys()) {
    if (key.location.section === 'provider' && key.location.type !== config.directory) continue;
    if (key.field.secret) {
      rows.push({ key: key.field.key, value: (await secretIsSet(ctx, ws, key, secrets)) ? '(set)' : '(not set)', secret: true });
    } else {
      rows.push({ key: key.field.key, value: readKey(config, key) ?? null, secret: false });
    }
  }
  ctx.output().result({ settings: rows, dataFile: ws.paths.dataFile }, (r) =>
    `${table(
      ['SETTING', 'VALUE'],
      r.settings.map((s) => [s.key, display(s.value)]),
    )}\n\nSettings of other directory types are hidden; "dirconn config <key>" shows any one.`,
  );
}

async function secretIsSet(ctx: CliContext, ws: Workspace, key: ConfigKey, secrets = ctx.secrets(ws)): Promise<boolean> {
  if (key.location.section !== 'provider') return false;
  const id = ws.data.config.directories[key.location.type]?.id;
  const account = typeof id === 'string' ? secretAccountFor(key.location.definition, id) : null;
  if (account === null) return false;
  try {
    return (await secrets.get(account)) !== null;
  } catch {
    return false;
  }
}

async function setOrShowSecret(ctx: CliContext, key: ConfigKey, value: string | undefined, flags: ConfigFlags): Promise<void> {
  if (value !== undefined) {
    throw new DirconnError('usage', `Secrets are never accepted as command-line arguments (they would be visible in the process list and shell history).`, {
      hint: `Use "dirconn config ${key.field.key} --secretfile <file>", "--secretenv <VAR>" or "--prompt".`,
    });
  }
  if (key.location.section !== 'provider') throw new DirconnError('internal', `Secret key ${key.field.key} has no provider.`);
  const location = key.location;
  if (!flags.secretenv && !flags.secretfile && !flags.prompt) {
    await ctx.withWorkspace(
      'config',
      async (ws) => {
        const set = await secretIsSet(ctx, ws, key);
        ctx.output().result({ key: key.field.key, set }, (r) => (r.set ? '(set)' : '(not set)'));
      },
      { lock: false },
    );
    return;
  }
  const secret = await readSecretInput(ctx.io, flags, key.field.key);
  await ctx.withWorkspace('config', async (ws) => {
    let id = ws.data.config.directories[location.type]?.id;
    if (typeof id !== 'string') {
      const newId = randomUUID();
      id = newId;
      await ws.update((data) => {
        const stored = (data.config.directories[location.type] ??= {});
        stored.id = newId;
      });
    }
    const secrets = ctx.secrets(ws);
    const account = secretAccountFor(location.definition, id);
    if (account === null) throw new DirconnError('internal', `The ${location.type} directory has no secret.`);
    await secrets.set(account, secret);
    ctx.output().result({ key: key.field.key, saved: true, storage: secrets.description }, (r) => `Saved setting ${r.key} (in ${r.storage}).`);
  });
}

async function setValue(ctx: CliContext, ws: Workspace, key: ConfigKey, raw: string, flags: ConfigFlags): Promise<void> {
  const value = parseValue(key, raw);
  const current = ws.data.config;
  const draft: DirconnConfig = structuredClone(current);
  draft.sync = { ...DEFAULT_SYNC_CONFIG, ...draft.sync };
  writeKey(draft, key, value, randomUUID);

  if (value !== null) {
    if (key.field.kind === 'filter') checkFilter(key, draft, display(value));
    if (key.field.kind === 'path') checkReadableFile(key, display(value));
    if (key.field.kind === 'dn') checkDnSyntax(key, display(value));
  }
  if (draft.sync.overwriteExisting && draft.sync.largeImport && (key.field.key === 'sync.overwriteExisting' || key.field.key === 'sync.largeImport')) {
    throw new DirconnError('config.invalid', 'sync.overwriteExisting cannot be combined with sync.largeImport (batched imports cannot remove and re-add members safely).', {
      hint: 'Turn one of them off first.',
    });
  }
  const warnings: string[] = [];
  if (flags.verify && value !== null && (key.field.kind === 'dn' || key.field.key === 'ldap.rootPath')) {
    warnings.push(...(await verifyDn(ctx, ws, draft, key)));
  }
  await ws.update((data) => {
    data.config = draft;
  });
  for (const w of warnings) ctx.output().warn(w);
  ctx.output().result({ key: key.field.key, value, saved: true }, (r) => `Saved setting ${r.key} = ${r.value === null ? '(cleared)' : display(r.value)}.`);
}

/** The cloud shortcuts `server eu` / `server us` (README), kept as typed: resolveServerUrls maps them. */
const CLOUD_SHORTCUTS = new Set(['eu', 'us']);

/** A host name or IP address as it may appear in a server URL (underscores tolerated for intranets). */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** parseFieldValue plus the stricter URL check the core parser lacks (it accepts "ht!tp://x" as a host). */
function parseValue(key: ConfigKey, raw: string): unknown {
  if (key.field.key === 'server' && CLOUD_SHORTCUTS.has(raw.trim().toLowerCase())) return raw.trim().toLowerCase();
  const value = parseFieldValue(key.field, raw);
  if (key.field.kind === 'url' && typeof value === 'string') checkServerUrl(key, raw, value);
  return value;
}

function checkServerUrl(key: ConfigKey, raw: string, value: string): void {
  const invalid = (why: string) =>
    new DirconnError('config.invalid', `Invalid value "${raw}" for ${key.field.key}: ${why}.`, {
      hint: `Give a URL such as https://vault.example.com${key.field.key === 'server' ? ' (or "eu" for the EU cloud)' : ''}.`,
    });
  const text = raw.trim();
  // Without a scheme, "https://" is prepended; a "://" further in means a mistyped scheme.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && text.includes('://')) throw invalid('the scheme must be http:// or https://');
  let url: URL;
  try {
    url = new URL(value);
    normalizeServerUrl(value, key.field.key);
  } catch (error) {
    throw invalid(DirconnError.is(error) ? error.message.replace(/\.$/, '') : 'not a valid URL');
  }
  const host = url.hostname;
  if (!(/^\[[0-9a-f:.]+\]$/i.test(host) || HOST_NAME.test(host))) throw invalid(`"${host}" is not a valid host name`);
  if (url.pathname.includes('//')) throw invalid('the path contains "//"');
}

function checkFilter(key: ConfigKey, config: DirconnConfig, filter: string): void {
  const definition = getProviderDefinition(config.directory ?? 'ldap');
  const problem = definition.filter?.check(filter);
  if (problem !== undefined) {
    throw new DirconnError('config.invalid', `Invalid value for ${key.field.key}: ${problem}`, {
      hint: `Check the ${definition.label} filter syntax (${definition.filter?.description ?? ''}), e.g. ${definition.filter?.example ?? ''}.`,
    });
  }
}

function checkReadableFile(key: ConfigKey, path: string): void {
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    throw new DirconnError('config.invalid', `Invalid value for ${key.field.key}: the file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, {
      hint: 'Give the full path of an existing, readable file.',
    });
  }
}

function checkDnSyntax(key: ConfigKey, dn: string): void {
  const parts = dn.split(/(?<!\\),/);
  if (parts.some((p) => !/^\s*[A-Za-z][A-Za-z0-9-]*(\.[0-9]+)*\s*=\s*\S/.test(p) && !/^\s*[0-9.]+\s*=/.test(p))) {
    throw new DirconnError('config.invalid', `Invalid value "${dn}" for ${key.field.key}: expected a DN such as ou=People or ou=People,dc=example,dc=com.`);
  }
}

/** Checks that the DN exists when the directory can be reached; a missing DN is rejected. */
async function verifyDn(ctx: CliContext, ws: Workspace, draft: DirconnConfig, key: ConfigKey): Promise<string[]> {
  if (draft.directory !== 'ldap') return [];
  const deps = ctx.deps(ws);
  let provider;
  try {
    // Whether users or groups are synced does not matter for "does this DN exist": the check runs
    // before sync.users/sync.groups are set too.
    const probe: DirconnConfig = draft.sync.users || draft.sync.groups ? draft : { ...draft, sync: { ...draft.sync, users: true } };
    const setup = resolveDirectory(deps, probe);
    provider = await createProvider({ ...deps, workspace: { ...deps.workspace, config: probe } }, setup);
  } catch (error) {
    const issues = (DirconnError.is(error) ? (error.details as { issues?: { key: string }[] } | undefined)?.issues : undefined) ?? [];
    const missing = issues.length > 0 ? ` (${[...new Set(issues.map((i) => i.key))].join(', ')})` : '';
    return [`${key.field.key} was not checked against the directory: the LDAP settings are not complete yet${missing}; run "dirconn test" once they are.`];
  }
  if (!provider.verifyLocations) return [];
  let problems;
  try {
    problems = await provider.verifyLocations(ctx.abort.signal);
  } catch (error) {
    return [`${key.field.key} was not checked against the directory: ${toErrorData(error).message}`];
  }
  const mine = problems.filter((p) => p.key === key.field.key || (key.field.key === 'ldap.rootPath' && p.key === 'ldap.rootPath'));
  if (mine.length > 0) {
    throw new DirconnError('config.invalid', `Invalid value for ${key.field.key}: ${mine.map((p) => p.message).join('; ')}`, {
      hint: 'Check the DN in your directory (e.g. with ldapsearch -b "<dn>" -s base), or pass --no-verify to save it anyway.',
    });
  }
  return [];
}

/** Text form of a setting value ('' when unset). */
function display(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
