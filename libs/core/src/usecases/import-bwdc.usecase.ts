/**
 * `dirconn import-bwdc [PATH]` (issue #13 item 6): takes over a Bitwarden Directory Connector
 * installation — the directory type and its settings, the sync options, the server URLs, the secrets
 * (from the file in bwdc's plaintext mode, else from bwdc's keychain entries when readable), the
 * API key, and the last sync hash and times, so that the first `dirconn sync` on an unchanged
 * directory posts nothing (the request bytes and hash formula are the reference's, §7.5–§7.6).
 * The bwdc file is only read (through the FileReader port), never written. What could not be taken
 * is listed with the reason and where to give it instead.
 */
import { resolveServerUrls } from '../bitwarden/urls.js';
import { AUTH_SECRET_ACCOUNTS } from '../config/secret-bindings.js';
import { DirconnError } from '../errors.js';
import { secretAccountFor } from '../model/provider-definition.js';
import { EMPTY_SYNC_STATE, type SyncState } from '../model/state.js';
import { fileErrorCode } from '../ports.js';
import { BWDC_DIRECTORY_TYPES, bwdcApiUrl, bwdcSecretAccounts, decodeBwdcKeychainValue, parseBwdcData, type BwdcData } from '../bwdc/bwdc-data.js';
import { mapBwdcData, type ImportedSetting, type SkippedSetting } from '../bwdc/bwdc-mapping.js';
import { CLIENT_SECRET_ACCOUNT, mintId, organizationIdFromClientId, stateScope, type UseCaseDeps } from './session.js';
import type { UseCaseWarning } from './use-case-warning.js';

/** Read access to bwdc's keychain entries (service "Bitwarden Directory Connector", §9.4). */
export interface BwdcKeychain {
  /** The raw stored value (bwdc JSON-encodes it), or null when there is no such entry. */
  get(account: string): Promise<string | null>;
}

/** What {@link importBwdc} needs. */
export interface ImportBwdcInput {
  /** Path of bwdc's data.json. */
  path: string;
  /** bwdc's keychain, or null when it is not to be read. */
  keychain: BwdcKeychain | null;
  /** Show what would be imported without saving anything. */
  dryRun?: boolean;
  /** Replace an existing dirconn configuration. */
  force?: boolean;
}

/** A secret taken over, or why not (never its value). */
export interface ImportedSecret {
  setting: string;
  /** Where it came from (`bwdc keychain secretLdap:<id>`, `bwdc data.json (plaintext mode)`), or null when not found. */
  from: string | null;
  /** Where it was stored, or why not and how to give it instead. */
  note: string;
}

/** What {@link importBwdc} did (or would do with `dryRun`). */
export interface ImportBwdcResult {
  path: string;
  stateVersion: number | null;
  layout: 'flat' | 'account';
  directory: string | null;
  imported: ImportedSetting[];
  secrets: ImportedSecret[];
  notImported: SkippedSetting[];
  login: { clientId: string | null; organizationId: string | null; note: string };
  /** The sync state carried over (hash and times), or null when bwdc had none. */
  state: { scope: string; lastSyncHash: string | null; lastUserSync: string | null; lastGroupSync: string | null } | null;
  saved: boolean;
  warnings: UseCaseWarning[];
}

/** Imports a bwdc data.json into the open dirconn workspace. */
export async function importBwdc(deps: UseCaseDeps, input: ImportBwdcInput): Promise<ImportBwdcResult> {
  let text: string;
  try {
    text = await deps.files.readText(input.path);
  } catch (error) {
    throw new DirconnError('config.invalid', `Cannot read the bwdc data file ${input.path} (${fileErrorCode(error) ?? 'error'}).`, {
      hint: 'Give the path of bwdc\'s data.json ("bwdc data-file" prints it), or set BITWARDENCLI_CONNECTOR_APPDATA_DIR.',
    });
  }
  const data = parseBwdcData(text);
  refuseOverwrite(deps, input.force === true);
  const mapping = mapBwdcData(data, deps.definitions, () => mintId(deps));
  for (const path of mapping.paths) {
    try {
      await deps.files.checkReadable(String(path.value));
    } catch (error) {
      mapping.imported.splice(mapping.imported.indexOf(path), 1);
      mapping.skipped.push({ setting: path.setting, reason: `the file ${String(path.value)} cannot be read here (${fileErrorCode(error) ?? 'error'}); copy it and set ${path.setting}` });
      clearSetting(mapping.config, path.setting);
    }
  }
  if (mapping.blocking.length > 0) {
    throw new DirconnError('config.invalid', `bwdc settings that decide who is synced cannot be taken over:\n${mapping.blocking.map((b) => `  - ${b.setting}: ${b.reason}`).join('\n')}`, {
      hint: 'Nothing was imported. Correct them in bwdc (or a copy of its data.json) and import again; dirconn refuses what bwdc silently ignored.',
      details: { blocking: mapping.blocking },
    });
  }
  const warnings: UseCaseWarning[] = [];
  const keychain = guardedKeychain(input.keychain, warnings);
  const secrets: ImportedSecret[] = [];
  const toStore: { account: string; value: string; index: number }[] = [];
  for (const wanted of mapping.secrets) {
    const descriptor = wanted.definition.secret;
    const account = secretAccountFor(wanted.definition, wanted.configId);
    if (descriptor === null || account === null) continue;
    const found = wanted.plaintext !== null ? { value: wanted.plaintext, from: 'bwdc data.json (plaintext mode)' } : await keychain.find(bwdcSecretAccounts(wanted.typeNumber, wanted.configId, data.accountId));
    const alternatives = `set it with "dirconn config ${descriptor.setting} --secretfile <file>" (or --secretenv/--prompt), or give ${descriptor.variable} / ${descriptor.fileVariable ?? descriptor.variable} at run time`;
    if (found === null) {
      secrets.push({ setting: descriptor.setting, from: null, note: `not found in bwdc's keychain${keychain.failure ? ` (${keychain.failure})` : ''}: ${alternatives}` });
    } else {
      secrets.push({ setting: descriptor.setting, from: found.from, note: 'stored' });
      toStore.push({ account, value: found.value, index: secrets.length - 1 });
    }
  }
  const login = await loginOf(data, keychain);
  const state = stateOf(mapping.config, data, login.organizationId, warnings);
  if (data.userDeltaToken !== null) mapping.skipped.push({ setting: 'userDeltaToken', reason: 'the Entra delta link is not carried over: the first sync reads everything (the hash still matches)' });
  const chosen = mapping.config.directory;

  const saved = input.dryRun !== true;
  if (saved) {
    await deps.workspace.saveConfig(mapping.config);
    for (const item of toStore) {
      const entry = secrets[item.index];
      if (entry === undefined) continue;
      try {
        await deps.secrets.set(item.account, item.value);
        entry.note = `stored in ${deps.secrets.description}`;
      } catch (error) {
        entry.note = `found but not stored (${DirconnError.is(error) ? error.message : String(error)})`;
      }
    }
    if (login.clientId !== null && login.organizationId !== null) await deps.workspace.saveLogin({ clientId: login.clientId, organizationId: login.organizationId });
    if (login.secret !== null) {
      try {
        await deps.secrets.set(CLIENT_SECRET_ACCOUNT, login.secret);
      } catch (error) {
        login.note = `${login.note}; the client secret was found but not stored (${DirconnError.is(error) ? error.message : String(error)}): give BW_CLIENTSECRET or DIRCONN_CLIENT_SECRET_FILE at run time`;
      }
    }
    if (state !== null) await deps.workspace.saveStates({ [state.scope]: state.value });
  }
  return {
    path: input.path,
    stateVersion: data.stateVersion,
    layout: data.layout,
    directory: chosen,
    imported: mapping.imported,
    secrets,
    notImported: mapping.skipped,
    login: { clientId: login.clientId, organizationId: login.organizationId, note: login.note },
    state: state === null ? null : { scope: state.scope, lastSyncHash: state.value.lastSyncHash, lastUserSync: state.value.lastUserSync, lastGroupSync: state.value.lastGroupSync },
    saved,
    warnings,
  };
}

function refuseOverwrite(deps: UseCaseDeps, force: boolean): void {
  const workspace = deps.workspace;
  const configured = workspace.config.directory !== null || workspace.clientId !== null || workspace.stateScopes().length > 0;
  if (configured && !force) {
    throw new DirconnError('config.invalid', `dirconn is already configured in ${workspace.location}; import-bwdc would replace its settings, login and sync state.`, {
      hint: 'Run it with --force to replace them, or point DIRCONN_DATA_DIR at an empty directory.',
    });
  }
}

function clearSetting(config: { directories: Record<string, Record<string, unknown>>; server: object; sync: object }, setting: string): void {
  const [section, field] = setting.split('.', 2);
  if (section === undefined || field === undefined) return;
  if (section === 'server') (config.server as Record<string, unknown>)[field] = null;
  else if (section === 'sync') (config.sync as Record<string, unknown>)[field] = null;
  else delete config.directories[section]?.[field];
}

/** bwdc's keychain, read account by account; after the first failure (none reachable) it is not asked again. */
function guardedKeychain(keychain: BwdcKeychain | null, warnings: UseCaseWarning[]) {
  const guarded = {
    failure: keychain === null ? 'not read' : (null as string | null),
    async find(accounts: readonly string[]): Promise<{ value: string; from: string } | null> {
      if (keychain === null || guarded.failure !== null) return null;
      for (const account of accounts) {
        try {
          const value = decodeBwdcKeychainValue(await keychain.get(account));
          if (value !== null) return { value, from: `bwdc keychain entry ${account}` };
        } catch (error) {
          guarded.failure = DirconnError.is(error) ? error.message : String(error);
          warnings.push({ code: 'bwdc.keychain-unreadable', message: `bwdc's keychain could not be read (${guarded.failure}); its secrets were not imported.` });
          return null;
        }
      }
      return null;
    },
  };
  return guarded;
}

async function loginOf(data: BwdcData, keychain: ReturnType<typeof guardedKeychain>): Promise<{ clientId: string | null; organizationId: string | null; secret: string | null; note: string }> {
  const clientId = data.clientId ?? (await keychain.find([AUTH_SECRET_ACCOUNTS.clientId]))?.value ?? null;
  const secret = data.clientSecret ?? (await keychain.find([AUTH_SECRET_ACCOUNTS.clientSecret]))?.value ?? null;
  let organizationId = data.organizationId?.toLowerCase() ?? null;
  if (clientId === null) {
    return { clientId, organizationId, secret: null, note: 'the API key was not found: run "dirconn login" (BW_CLIENTID/BW_CLIENTSECRET, --secretfile or the prompt)' };
  }
  try {
    organizationId = organizationIdFromClientId(clientId);
  } catch {
    return { clientId: null, organizationId, secret: null, note: `bwdc's client id "${clientId}" is not an organization API key: run "dirconn login"` };
  }
  const note = secret === null ? 'client id taken over (not checked against the server); the client secret was not found: run "dirconn login" or give BW_CLIENTSECRET / DIRCONN_CLIENT_SECRET_FILE' : 'API key taken over (not checked against the server: run "dirconn test" or "dirconn plan")';
  return { clientId, organizationId, secret, note };
}

function stateOf(config: ReturnType<typeof mapBwdcData>['config'], data: BwdcData, organizationId: string | null, warnings: UseCaseWarning[]): { scope: string; value: SyncState } | null {
  if (data.lastSyncHash === null && data.lastUserSync === null && data.lastGroupSync === null) return null;
  if (organizationId === null) {
    warnings.push({ code: 'bwdc.no-organization', message: 'bwdc\'s file names no organization, so its last sync hash and times were not carried over: the first sync posts once.' });
    return null;
  }
  const apiUrl = resolveServerUrls(config.server).api;
  const theirs = bwdcApiUrl(data.environmentUrls);
  if (data.lastSyncHash !== null && apiUrl !== theirs) {
    warnings.push({ code: 'bwdc.api-url-differs', message: `bwdc hashed its requests with the API URL ${theirs} and dirconn uses ${apiUrl}, so the carried-over hash cannot match: the first sync posts once (same content).` });
  }
  return { scope: stateScope(apiUrl, organizationId), value: { ...EMPTY_SYNC_STATE, lastSyncHash: data.lastSyncHash, lastUserSync: data.lastUserSync, lastGroupSync: data.lastGroupSync } };
}

/** bwdc's directory type names by number, for help text. */
export const BWDC_TYPE_NAMES = BWDC_DIRECTORY_TYPES.map((t) => `${t.number} ${t.name}`).join(', ');
