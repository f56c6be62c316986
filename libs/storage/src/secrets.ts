/**
 * Secret stores (the `SecretStore` port of @dirconn/core): the OS keychain, plaintext in the data
 * file (explicit opt-in only), and read-only overrides from environment variables or files for
 * headless servers — layered by {@link createSecretStore}. Secret values never appear in an error,
 * a message or a description; only account and variable names do.
 */
import { promises as fs } from 'node:fs';
import { AsyncEntry } from '@napi-rs/keyring';
import { DirconnError, type DirectoryType, type SecretStore } from '@dirconn/core';
import { errnoCode } from './atomic-file.js';
import type { Workspace } from './workspace.js';

// ---------------------------------------------------------------------------------------------
// Account names (reference-connector.md §9.4, so keychain entries read the same way).

/** Keychain service name of every dirconn secret. */
export const KEYCHAIN_SERVICE = 'dirconn';

/** Account prefix of each directory type's secret; the account is `<prefix>:<config id>`. */
export const DIRECTORY_SECRET_ACCOUNTS: Readonly<Record<Exclude<DirectoryType, 'sample'>, string>> = {
  ldap: 'secretLdap',
  entra: 'secretEntra',
  google: 'secretGsuite',
  okta: 'secretOkta',
  onelogin: 'secretOneLogin',
};

/** Accounts of the Bitwarden organization login (never scoped). */
export const AUTH_SECRET_ACCOUNTS = {
  /** Organization API key client id (normally kept in the data file's `auth.clientId`; env override only). */
  clientId: 'apiKeyClientId',
  /** Organization API key client secret. */
  clientSecret: 'apiKeyClientSecret',
  /** Access token (dirconn does not persist tokens; reserved for compatibility). */
  accessToken: 'accessToken',
} as const;

/**
 * The account holding the secret of one directory configuration, e.g. `secretLdap:3f0c…`.
 * Throws `internal` for `sample`, which has no secret.
 */
export function directorySecretAccount(type: DirectoryType, configId: string): string {
  if (type === 'sample') {
    throw new DirconnError('internal', 'The sample directory has no secret.', { hint: 'This is a bug in dirconn; please report it.' });
  }
  return `${DIRECTORY_SECRET_ACCOUNTS[type]}:${configId}`;
}

// ---------------------------------------------------------------------------------------------
// Environment overrides.

/** Environment variable that opts in to plaintext secrets in the data file: `true` or `false`. */
export const PLAINTEXT_SECRETS_ENV = 'DIRCONN_PLAINTEXT_SECRETS';

/** One secret that can be supplied through the environment. */
export interface SecretEnvBinding {
  /** Account, or account prefix matching every `<prefix>:<config id>` (e.g. `secretLdap`). */
  account: string;
  /** The dirconn setting it stands for, e.g. `ldap.password`. */
  setting: string;
  /** What it is, for help and status output. */
  description: string;
  /** Variable holding the value itself. */
  variable: string;
  /** Variable naming a file that holds the value; null when there is none. */
  fileVariable: string | null;
  /** How the file is read: its first line (trimmed), or the whole file (trimmed) for PEM keys. */
  fileContent: 'first-line' | 'whole';
}

/** Every environment override, in one table (README, `dirconn status`, the CLI's env help topic). */
export const SECRET_ENV_BINDINGS: readonly SecretEnvBinding[] = [
  { account: AUTH_SECRET_ACCOUNTS.clientId, setting: 'login client id', description: 'Bitwarden organization API key client id', variable: 'BW_CLIENTID', fileVariable: null, fileContent: 'first-line' },
  { account: AUTH_SECRET_ACCOUNTS.clientSecret, setting: 'login client secret', description: 'Bitwarden organization API key client secret', variable: 'BW_CLIENTSECRET', fileVariable: 'DIRCONN_CLIENT_SECRET_FILE', fileContent: 'first-line' },
  { account: DIRECTORY_SECRET_ACCOUNTS.ldap, setting: 'ldap.password', description: 'LDAP / Active Directory bind password', variable: 'DIRCONN_LDAP_PASSWORD', fileVariable: 'DIRCONN_LDAP_PASSWORD_FILE', fileContent: 'first-line' },
  { account: DIRECTORY_SECRET_ACCOUNTS.entra, setting: 'entra.key', description: 'Entra ID application client secret', variable: 'DIRCONN_ENTRA_KEY', fileVariable: 'DIRCONN_ENTRA_KEY_FILE', fileContent: 'first-line' },
  { account: DIRECTORY_SECRET_ACCOUNTS.google, setting: 'gsuite.key', description: 'Google Workspace service account private key (PEM)', variable: 'DIRCONN_GOOGLE_PRIVATE_KEY', fileVariable: 'DIRCONN_GOOGLE_PRIVATE_KEY_FILE', fileContent: 'whole' },
  { account: DIRECTORY_SECRET_ACCOUNTS.okta, setting: 'okta.token', description: 'Okta API token', variable: 'DIRCONN_OKTA_TOKEN', fileVariable: 'DIRCONN_OKTA_TOKEN_FILE', fileContent: 'first-line' },
  { account: DIRECTORY_SECRET_ACCOUNTS.onelogin, setting: 'onelogin.secret', description: 'OneLogin API client secret', variable: 'DIRCONN_ONELOGIN_SECRET', fileVariable: 'DIRCONN_ONELOGIN_SECRET_FILE', fileContent: 'first-line' },
];

/** The binding for `account` (`secretLdap:<id>` matches `secretLdap`), or undefined. */
export function secretEnvBinding(account: string): SecretEnvBinding | undefined {
  const base = account.split(':', 1)[0];
  return SECRET_ENV_BINDINGS.find((binding) => binding.account === base);
}

type Env = Readonly<Record<string, string | undefined>>;

/** Where an override comes from, when one is set. */
export interface ActiveOverride {
  kind: 'variable' | 'file';
  /** The variable's name (never its value). */
  name: string;
}

/** A variable counts as set when it is non-empty. */
function envValue(env: Env, name: string | null): string | undefined {
  if (name === null) return undefined;
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Read-only secrets from environment variables (`BW_CLIENTSECRET`, `DIRCONN_LDAP_PASSWORD`, …) or
 * from files they name (`DIRCONN_…_FILE`). Setting both for one secret is refused as ambiguous.
 */
export class EnvSecretSource implements SecretStore {
  readonly description = 'environment variables';

  /** @param env environment to read (default `process.env`) */
  constructor(private readonly env: Env = process.env) {}

  /** Which override is set for `account`, without reading a file; null when none. */
  activeOverride(account: string): ActiveOverride | null {
    const binding = secretEnvBinding(account);
    if (!binding) return null;
    const direct = envValue(this.env, binding.variable) !== undefined;
    const file = envValue(this.env, binding.fileVariable) !== undefined;
    if (direct && file && binding.fileVariable) {
      throw new DirconnError('config.invalid', `Both ${binding.variable} and ${binding.fileVariable} are set for the ${binding.description}.`, {
        hint: `Unset one of them: ${binding.variable} holds the value, ${binding.fileVariable} names a file holding it.`,
      });
    }
    if (direct) return { kind: 'variable', name: binding.variable };
    if (file && binding.fileVariable) return { kind: 'file', name: binding.fileVariable };
    return null;
  }

  /** The override for `account`, or null when none is set. Unreadable file → `secrets.missing`. */
  async get(account: string): Promise<string | null> {
    const active = this.activeOverride(account);
    if (!active) return null;
    const raw = envValue(this.env, active.name) ?? '';
    if (active.kind === 'variable') return raw;
    const binding = secretEnvBinding(account);
    let text: string;
    try {
      text = await fs.readFile(raw, 'utf8');
    } catch (error) {
      throw new DirconnError('secrets.missing', `Cannot read the file ${raw} named by ${active.name} (${errnoCode(error) ?? 'unreadable'}).`, {
        hint: `Check that ${raw} exists and is readable by the user running dirconn, or unset ${active.name}.`,
      });
    }
    const value = binding?.fileContent === 'whole' ? text.trim() : (text.split(/\r?\n/, 1)[0] ?? '').trim();
    if (value === '') {
      throw new DirconnError('secrets.missing', `The file ${raw} named by ${active.name} is empty.`, {
        hint: `Write the secret on the first line of ${raw}, or unset ${active.name}.`,
      });
    }
    return value;
  }

  /** Always refused: environment overrides are read-only. */
  set(account: string): Promise<void> {
    return Promise.reject(readOnlyError(account));
  }

  /** Always refused: environment overrides are read-only. */
  delete(account: string): Promise<void> {
    return Promise.reject(readOnlyError(account));
  }
}

function readOnlyError(account: string): DirconnError {
  const binding = secretEnvBinding(account);
  return new DirconnError('usage', `Secrets from environment variables cannot be changed by dirconn (${account}).`, {
    hint: binding ? `Change ${binding.variable}${binding.fileVariable ? ` or ${binding.fileVariable}` : ''} where it is set instead.` : 'Change the variable where it is set instead.',
  });
}

/** `DIRCONN_PLAINTEXT_SECRETS`: `true`/`false` (any case); unset or empty → false; anything else → `config.invalid`. */
export function plaintextSecretsEnabled(env: Env = process.env): boolean {
  const raw = env[PLAINTEXT_SECRETS_ENV]?.trim();
  if (raw === undefined || raw === '') return false;
  if (/^true$/i.test(raw)) return true;
  if (/^false$/i.test(raw)) return false;
  throw new DirconnError('config.invalid', `${PLAINTEXT_SECRETS_ENV} must be "true" or "false" (found "${raw}").`, {
    hint: `Set ${PLAINTEXT_SECRETS_ENV}=true to store secrets in the data file instead of the OS keychain, or unset it.`,
  });
}

// ---------------------------------------------------------------------------------------------
// OS keychain.

/** The subset of @napi-rs/keyring's `AsyncEntry` dirconn uses (an injection seam for tests). */
export interface KeyringEntry {
  getPassword(signal?: AbortSignal | null): Promise<string | null>;
  setPassword(password: string, signal?: AbortSignal | null): Promise<void>;
  deletePassword(signal?: AbortSignal | null): Promise<boolean>;
}

/** Options of {@link KeychainSecretStore}. */
export interface KeychainSecretStoreOptions {
  /** Keychain service name. Default {@link KEYCHAIN_SERVICE} (`dirconn`). */
  service?: string;
  /** OS, for the description and the Linux store choice. Default `process.platform`. */
  platform?: NodeJS.Platform;
  /**
   * Milliseconds to wait for the keychain before failing with `secrets.unavailable` (a locked
   * collection can wait forever on a password prompt nobody sees). Default 15000.
   */
  timeoutMs?: number;
  /** Creates entries (tests inject fakes). Default: @napi-rs/keyring `AsyncEntry`. */
  createEntry?: (service: string, account: string) => KeyringEntry;
}

/** The keychain's name on each OS. */
function keychainName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service';
}

/** The hint shown whenever no keychain is reachable, naming the variables for `account` if known. */
export function keychainUnavailableHint(account?: string): string {
  const binding = account === undefined ? undefined : secretEnvBinding(account);
  const viaEnv = binding
    ? `through the environment variable ${binding.variable}${binding.fileVariable ? ` or a file named by ${binding.fileVariable}` : ''}`
    : 'through an environment variable (DIRCONN_…) or a file (DIRCONN_…_FILE)';
  return `On a headless server set the secret ${viaEnv}, or opt in to plaintext storage with ${PLAINTEXT_SECRETS_ENV}=true.`;
}

/**
 * True for keyring errors meaning "no keychain to talk to": no D-Bus session, no Secret Service,
 * no default collection, a locked collection, access denied. @napi-rs/keyring reports these as
 * `NoStorageAccess` ("Couldn't access platform storage: …") or `PlatformFailure` ("Platform failure: …").
 */
function isUnreachable(message: string): boolean {
  return /couldn't access platform storage|platform failure|d-?bus|secret service|accessdenied|access denied|locked|prompt|no result found|org\.freedesktop/i.test(message);
}

/**
 * Secrets in the OS keychain: service `dirconn`, account as given (e.g. `secretLdap:<id>`), value a
 * plain string. On Linux the Secret Service is required: the keyring library's silent fallback to
 * the kernel keyring is turned off, because that keyring forgets everything at logout or reboot.
 */
export class KeychainSecretStore implements SecretStore {
  readonly description: string;
  private readonly service: string;
  private readonly platform: NodeJS.Platform;
  private readonly timeoutMs: number;
  private readonly createEntry: (service: string, account: string) => KeyringEntry;

  constructor(options: KeychainSecretStoreOptions = {}) {
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.platform = options.platform ?? process.platform;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.description = `OS keychain (${keychainName(this.platform)})`;
    const linux = this.platform === 'linux';
    this.createEntry =
      options.createEntry ?? ((service, account) => new AsyncEntry(service, account, linux ? { linux: { store: 'secret-service' } } : undefined));
  }

  /** The secret, or null when the keychain has none for `account`. */
  get(account: string): Promise<string | null> {
    return this.call(account, 'read', (entry, signal) => entry.getPassword(signal));
  }

  /** Stores `value` (replacing any previous one). */
  async set(account: string, value: string): Promise<void> {
    await this.call(account, 'store', (entry, signal) => entry.setPassword(value, signal));
  }

  /** Removes the secret; no-op when there is none. */
  async delete(account: string): Promise<void> {
    await this.call(account, 'delete', (entry, signal) => entry.deletePassword(signal));
  }

  private async call<T>(account: string, action: string, run: (entry: KeyringEntry, signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(
          new DirconnError(
            'secrets.unavailable',
            `No OS keychain is reachable (${keychainName(this.platform)} did not answer within ${Math.round(this.timeoutMs / 1000)} s; a locked keychain may be waiting for a password prompt).`,
            { hint: keychainUnavailableHint(account) },
          ),
        );
      }, this.timeoutMs);
    });
    try {
      // The entry is created inside the try: on Linux the constructor already connects to D-Bus.
      return await Promise.race([Promise.resolve().then(() => run(this.createEntry(this.service, account), controller.signal)), timeout]);
    } catch (error) {
      if (DirconnError.is(error)) throw error;
      throw this.translate(error, account, action);
    } finally {
      clearTimeout(timer);
    }
  }

  private translate(error: unknown, account: string, action: string): DirconnError {
    const message = error instanceof Error ? error.message : String(error);
    if (isUnreachable(message)) {
      return new DirconnError('secrets.unavailable', `No OS keychain is reachable (${keychainName(this.platform)}: ${message}).`, {
        hint: keychainUnavailableHint(account),
        cause: error,
      });
    }
    return new DirconnError('store.io', `The OS keychain could not ${action} the secret ${account} (${message}).`, {
      hint: `Check the "${this.service}" entries in the ${keychainName(this.platform)}; ${keychainUnavailableHint(account)}`,
      cause: error,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Plaintext (opt-in) and layering.

/** The part of a workspace the plaintext store needs. */
export type PlaintextWorkspace = Pick<Workspace, 'data' | 'update' | 'paths'>;

/**
 * Secrets in the data file's `plaintextSecrets` (mode 0600, but readable by anyone who can read
 * the file or its backups). Use only when `DIRCONN_PLAINTEXT_SECRETS=true`; {@link createSecretStore}
 * enforces that.
 */
export class PlaintextSecretStore implements SecretStore {
  readonly description: string;

  constructor(private readonly workspace: PlaintextWorkspace) {
    this.description = `plaintext in ${workspace.paths.dataFile} (${PLAINTEXT_SECRETS_ENV}=true)`;
  }

  /** The stored secret or null. */
  get(account: string): Promise<string | null> {
    return Promise.resolve(this.workspace.data.plaintextSecrets?.[account] ?? null);
  }

  /** Stores `value` in the data file (one atomic update). */
  async set(account: string, value: string): Promise<void> {
    await this.workspace.update((data) => {
      data.plaintextSecrets = { ...data.plaintextSecrets, [account]: value };
    });
  }

  /** Removes the secret; the `plaintextSecrets` key disappears with its last entry. */
  async delete(account: string): Promise<void> {
    if (this.workspace.data.plaintextSecrets?.[account] === undefined) return;
    await this.workspace.update((data) => {
      if (!data.plaintextSecrets) return;
      const { [account]: _removed, ...rest } = data.plaintextSecrets;
      if (Object.keys(rest).length === 0) delete data.plaintextSecrets;
      else data.plaintextSecrets = rest;
    });
  }
}

/**
 * Environment overrides first (read-only), then a writable store. `set`/`delete` always go to the
 * writable store, so a value set there is used again once the override is removed.
 */
export class LayeredSecretStore implements SecretStore {
  readonly description: string;

  constructor(
    private readonly overrides: EnvSecretSource,
    /** The writable store (keychain or plaintext). */
    readonly backing: SecretStore,
  ) {
    this.description = `${backing.description}; environment variables override it where set`;
  }

  /** The override when set, else the writable store's value. */
  async get(account: string): Promise<string | null> {
    if (this.overrides.activeOverride(account)) return this.overrides.get(account);
    return this.backing.get(account);
  }

  /** Stores in the writable store. */
  set(account: string, value: string): Promise<void> {
    return this.backing.set(account, value);
  }

  /** Deletes from the writable store. */
  delete(account: string): Promise<void> {
    return this.backing.delete(account);
  }
}

/** Options of {@link createSecretStore}. */
export interface CreateSecretStoreOptions {
  /** Environment (overrides and the plaintext opt-in). Default `process.env`. */
  env?: Env;
  /** The open workspace (plaintext mode stores into its data file). */
  workspace: PlaintextWorkspace;
  /** Keychain store to use (tests); default a new {@link KeychainSecretStore}. */
  keychain?: SecretStore;
}

/**
 * The secret store for this environment: environment/file overrides, then the OS keychain, or the
 * data file when `DIRCONN_PLAINTEXT_SECRETS=true`. Nothing is contacted until a secret is asked for.
 */
export function createSecretStore(options: CreateSecretStoreOptions): LayeredSecretStore {
  const env = options.env ?? process.env;
  const backing = plaintextSecretsEnabled(env) ? new PlaintextSecretStore(options.workspace) : (options.keychain ?? new KeychainSecretStore());
  return new LayeredSecretStore(new EnvSecretSource(env), backing);
}

/** One row of {@link describeSecretSources}. */
export interface SecretOverrideDescription extends SecretEnvBinding {
  /** Which of the two variables is set now (never the value); null when neither. */
  active: ActiveOverride | null;
}

/** Where secrets come from, for `dirconn status` and the README. Contains no secret values. */
export interface SecretSourcesDescription {
  /** The writable store in use. */
  store: 'keychain' | 'plaintext';
  /** Human description, e.g. `OS keychain (Secret Service)`. */
  storeDescription: string;
  /** Every environment override and whether it is set. */
  overrides: SecretOverrideDescription[];
}

/** Describes the secret sources for `env` (default `process.env`) on `platform`. */
export function describeSecretSources(env: Env = process.env, platform: NodeJS.Platform = process.platform): SecretSourcesDescription {
  const plaintext = plaintextSecretsEnabled(env);
  const source = new EnvSecretSource(env);
  return {
    store: plaintext ? 'plaintext' : 'keychain',
    storeDescription: plaintext ? `plaintext in the data file (${PLAINTEXT_SECRETS_ENV}=true)` : `OS keychain (${keychainName(platform)})`,
    overrides: SECRET_ENV_BINDINGS.map((binding) => ({ ...binding, active: source.activeOverride(binding.account) })),
  };
}
