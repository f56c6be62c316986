/**
 * Reading a Bitwarden Directory Connector (`bwdc`) `data.json` (reference-connector.md §9.3, §9.5):
 * the flat layout of state versions 5–8 (`directoryLdap`… or `directory_ldap`…, `sync`,
 * `lastSyncHash`, `environmentUrls`) and the older account layout of versions 3–4
 * (`authenticatedAccounts`/`activeUserId` → `<userId>.directoryConfigurations` and
 * `.directorySettings`, `global`). Pure: the text comes in, a normalised view goes out.
 */
import { DirconnError } from '../errors.js';

/** The reference's directory type numbers (§3) and their store key stems. */
export const BWDC_DIRECTORY_TYPES = [
  { number: 0, name: 'ldap', flatKeys: ['directoryLdap', 'directory_ldap'], accountKeys: ['ldap'] },
  { number: 1, name: 'entra', flatKeys: ['directoryEntra', 'directory_entra', 'directoryAzure'], accountKeys: ['entra', 'azure'] },
  { number: 2, name: 'gsuite', flatKeys: ['directoryGsuite', 'directory_gsuite'], accountKeys: ['gsuite'] },
  { number: 3, name: 'okta', flatKeys: ['directoryOkta', 'directory_okta'], accountKeys: ['okta'] },
  { number: 4, name: 'onelogin', flatKeys: ['directoryOnelogin', 'directory_onelogin', 'directoryOneLogin'], accountKeys: ['oneLogin', 'onelogin'] },
] as const;

/** The reference's server URLs (§8). */
export interface BwdcEnvironmentUrls {
  base: string | null;
  api: string | null;
  identity: string | null;
  webVault: string | null;
}

/** What dirconn takes from a bwdc data file. */
export interface BwdcData {
  /** `stateVersion` (flat) or `global.stateVersion` (account layout); null when absent. */
  stateVersion: number | null;
  layout: 'flat' | 'account';
  /** 0–4, or null when none is chosen. */
  directoryType: number | null;
  organizationId: string | null;
  /** Directory configurations present, by reference type number. */
  directories: Map<number, Record<string, unknown>>;
  sync: Record<string, unknown> | null;
  lastSyncHash: string | null;
  lastUserSync: string | null;
  lastGroupSync: string | null;
  /** Entra delta link (not carried over: dirconn reads in full first). */
  userDeltaToken: string | null;
  environmentUrls: BwdcEnvironmentUrls | null;
  /** The API key client id when the file holds it (profile, or plaintext mode). */
  clientId: string | null;
  /** The API key secret when the file holds it (plaintext mode, or old `clientKeys`). */
  clientSecret: string | null;
  /** The account id of the old layout (old keychain names are prefixed with it). */
  accountId: string | null;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** A date as stored by bwdc (JSON of a Date: ISO text) → ISO text, or null. */
function isoDate(value: unknown): string | null {
  const raw = text(value);
  if (raw === null) return null;
  const time = Date.parse(raw);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

function urls(value: unknown): BwdcEnvironmentUrls | null {
  if (!isObject(value)) return null;
  return { base: text(value['base']), api: text(value['api']), identity: text(value['identity']), webVault: text(value['webVault']) };
}

function directoryNumber(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : null;
}

/** Parses the text of a bwdc `data.json`. Throws `config.invalid` for anything that is not one. */
export function parseBwdcData(json: string): BwdcData {
  let root: unknown;
  try {
    root = JSON.parse(json);
  } catch {
    throw new DirconnError('config.invalid', 'The file is not valid JSON, so it is not a bwdc data.json.', { hint: 'Give the path of bwdc\'s data.json (see "bwdc data-file").' });
  }
  if (!isObject(root)) throw new DirconnError('config.invalid', 'The file is not a bwdc data.json (expected a JSON object).');
  const accountId = accountOf(root);
  const data = accountId !== null ? accountLayout(root, accountId) : flatLayout(root);
  if (data.stateVersion !== null && data.stateVersion < 3) {
    throw new DirconnError('config.invalid', `This bwdc data.json has state version ${data.stateVersion}, which even bwdc no longer reads (below 3).`, {
      hint: 'Open it once with a bwdc release from 2022 or later (it migrates the file), then import again.',
    });
  }
  if (data.directoryType === null && data.directories.size === 0 && data.organizationId === null) {
    throw new DirconnError('config.invalid', 'The file holds no bwdc configuration (no directory type, directory settings or organization).', {
      hint: 'Give the path of the data.json that "bwdc data-file" prints.',
    });
  }
  return data;
}

function flatLayout(root: Json): BwdcData {
  const directories = new Map<number, Record<string, unknown>>();
  for (const type of BWDC_DIRECTORY_TYPES) {
    const found = type.flatKeys.map((k) => root[k]).find(isObject);
    if (found) directories.set(type.number, found);
  }
  return {
    stateVersion: directoryNumber(root['stateVersion']) ?? directoryNumber(isObject(root['global']) ? root['global']['stateVersion'] : undefined),
    layout: 'flat',
    directoryType: directoryNumber(root['directoryType']),
    organizationId: text(root['organizationId']) ?? text(root['entityId']),
    directories,
    sync: isObject(root['sync']) ? root['sync'] : null,
    lastSyncHash: text(root['lastSyncHash']),
    lastUserSync: isoDate(root['lastUserSync']),
    lastGroupSync: isoDate(root['lastGroupSync']),
    userDeltaToken: text(root['userDeltaToken']) ?? text(root['userDelta']),
    environmentUrls: urls(root['environmentUrls']) ?? (isObject(root['global']) ? urls(root['global']['environmentUrls']) : null),
    clientId: text(root['apiKeyClientId']),
    clientSecret: text(root['apiKeyClientSecret']),
    accountId: null,
  };
}

/** The account id of the old layout: `activeUserId`, else the first of `authenticatedAccounts`. */
function accountOf(root: Json): string | null {
  const accounts: unknown[] = Array.isArray(root['authenticatedAccounts']) ? (root['authenticatedAccounts'] as unknown[]) : [];
  const candidates: unknown[] = [root['activeUserId'], ...accounts];
  for (const id of candidates) if (typeof id === 'string' && isObject(root[id])) return id;
  return null;
}

function accountLayout(root: Json, accountId: string): BwdcData {
  const account = root[accountId] as Json;
  const configs = isObject(account['directoryConfigurations']) ? account['directoryConfigurations'] : {};
  const settings = isObject(account['directorySettings']) ? account['directorySettings'] : {};
  const profile = isObject(account['profile']) ? account['profile'] : {};
  const clientKeys = isObject(account['clientKeys']) ? account['clientKeys'] : {};
  const accountSettings = isObject(account['settings']) ? account['settings'] : {};
  const global = isObject(root['global']) ? root['global'] : {};
  const directories = new Map<number, Record<string, unknown>>();
  for (const type of BWDC_DIRECTORY_TYPES) {
    const found = type.accountKeys.map((k) => configs[k]).find(isObject);
    if (found) directories.set(type.number, found);
  }
  return {
    stateVersion: directoryNumber(global['stateVersion']),
    layout: 'account',
    directoryType: directoryNumber(settings['directoryType']),
    organizationId: text(settings['organizationId']) ?? text(profile['entityId']) ?? accountId,
    directories,
    sync: isObject(settings['sync']) ? settings['sync'] : null,
    lastSyncHash: text(settings['lastSyncHash']),
    lastUserSync: isoDate(settings['lastUserSync']),
    lastGroupSync: isoDate(settings['lastGroupSync']),
    userDeltaToken: text(settings['userDelta']),
    environmentUrls: urls(accountSettings['environmentUrls']) ?? urls(global['environmentUrls']),
    clientId: text(profile['apiKeyClientId']) ?? text(clientKeys['clientId']),
    clientSecret: text(clientKeys['clientSecret']),
    accountId,
  };
}

/**
 * The API URL bwdc hashed with (§7.6): `api`, else `base + "/api"`, else the US cloud. Compared with
 * dirconn's so an admin learns when the carried-over hash cannot match.
 */
export function bwdcApiUrl(environmentUrls: BwdcEnvironmentUrls | null): string {
  const trim = (url: string) => url.trim().replace(/\/+$/, '');
  if (environmentUrls?.api) return trim(environmentUrls.api);
  if (environmentUrls?.base) return `${trim(environmentUrls.base)}/api`;
  return 'https://api.bitwarden.com';
}

/**
 * Keychain accounts where bwdc may keep a directory's secret, most specific first (§9.4, §9.5): the
 * scoped account `<account>:<config id>`, the unscoped one, the v5 `secret_<name>` names and the old
 * layout's `<account id>_<name>` names.
 */
export function bwdcSecretAccounts(typeNumber: number, configId: string | null, accountId: string | null): string[] {
  const names: Record<number, { accounts: string[]; v5: string[]; old: string[] }> = {
    0: { accounts: ['secretLdap'], v5: ['secret_ldap'], old: ['ldapPassword'] },
    1: { accounts: ['secretEntra', 'secretAzure'], v5: ['secret_entra', 'secret_azure'], old: ['entraKey', 'entraIdKey', 'azureKey'] },
    2: { accounts: ['secretGsuite'], v5: ['secret_gsuite'], old: ['gsuitePrivateKey'] },
    3: { accounts: ['secretOkta'], v5: ['secret_okta'], old: ['oktaToken'] },
    4: { accounts: ['secretOneLogin'], v5: ['secret_onelogin'], old: ['oneLoginClientSecret'] },
  };
  const entry = names[typeNumber];
  if (entry === undefined) return [];
  const scoped = configId === null ? [] : entry.accounts.map((a) => `${a}:${configId}`);
  const prefixes = [accountId].filter((p): p is string => p !== null);
  return [...scoped, ...entry.accounts, ...entry.v5, ...prefixes.flatMap((p) => entry.old.map((o) => `${p}_${o}`))];
}

/** A keychain value as bwdc stores it (JSON-encoded; a string keeps its quotes). Unparsable → null. */
export function decodeBwdcKeychainValue(raw: string | null): string | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' && value !== '' ? value : null;
  } catch {
    return null;
  }
}

/** The placeholder bwdc writes instead of a secret kept in the keychain. */
export const BWDC_STORED_SECURELY = '[STORED SECURELY]';
