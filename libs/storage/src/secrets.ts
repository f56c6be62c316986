/**
 * Secret stores (the `SecretStore` port of @dirconn/core): the OS keychain, plaintext in the data
 * file (explicit opt-in only), and read-only overrides from environment variables or files for
 * headless servers — layered by {@link createSecretStore}. Secret values never appear in an error,
 * a message or a description; only account and variable names do.
 */
import { promises as fs } from 'node:fs';
import { AsyncEntry } from '@napi-rs/keyring';
import { AUTH_SECRET_BINDINGS, DirconnError, findSecretBinding, type SecretBinding, type SecretStore } from '@dirconn/core';
import { errnoCode } from './atomic-file.js';
import type { Workspace } from './workspace.js';

// ---------------------------------------------------------------------------------------------
// Account names and environment overrides. The tables are not kept here: they are built from the
// provider registry (`secretBindings(providerDefinitions)` in core) by the composition root and
// injected, so storage never carries a copy of a source's facts (issue #7).

/** Keychain service name of every dirconn secret. */
export const KEYCHAIN_SERVICE = 'dirconn';

/** Environment variable that opts in to plaintext secrets in the data file: `true` or `false`. */
export const PLAINTEXT_SECRETS_ENV = 'DIRCONN_PLAINTEXT_SECRETS';

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

  /**
   * @param env environment to read (default `process.env`)
   * @param bindings which variables stand for which account (default: the Bitwarden login's only)
   */
  constructor(
    private readonly env: Env = process.env,
    readonly bindings: readonly SecretBinding[] = AUTH_SECRET_BINDINGS,
  ) {}

  /** Which override is set for `account`, without reading a file; null when none. */
  activeOverride(account: string): ActiveOverride | null {
    const binding = findSecretBinding(this.bindings, account);
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
    const binding = findSecretBinding(this.bindings, account);
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
    return Promise.reject(readOnlyError(account, findSecretBinding(this.bindings, account)));
  }

  /** Always refused: environment overrides are read-only. */
  delete(account: string): Promise<void> {
    return Promise.reject(readOnlyError(account, findSecretBinding(this.bindings, account)));
  }
}

function readOnlyError(account: string, binding: SecretBinding | undefined): DirconnError {
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
  /** Secret bindings, to name the environment alternatives in "no keychain" hints. */
  bindings?: readonly SecretBinding[];
}

/** The keychain's name on each OS. */
function keychainName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain';
  if (platform === 'win32') return 'Windows Credential Manager';
  return 'Secret Service';
}

/** The hint shown whenever no keychain is reachable, naming the variables for `account` if known. */
export function keychainUnavailableHint(binding?: SecretBinding): string {
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
  private readonly bindings: readonly SecretBinding[];

  constructor(options: KeychainSecretStoreOptions = {}) {
    this.bindings = options.bindings ?? AUTH_SECRET_BINDINGS;
    this.service = options.service ?? KEYCHAIN_SERVICE;
    this.platform = options.platform ?? process.platform;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.description = `OS keychain (${keychainName(this.platform)})`;
    const linux = this.platform === 'linux';
    this.createEntry =
      options.createEntry ?? ((service, account) => new AsyncEntry(service, account, linux ? { linux: { store: 'secret-service' } } : undefined));
  }

  private binding(account: string): SecretBinding | undefined {
    return findSecretBinding(this.bindings, account);
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
            { hint: keychainUnavailableHint(this.binding(account)) },
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
        hint: keychainUnavailableHint(this.binding(account)),
        cause: error,
      });
    }
    return new DirconnError('store.io', `The OS keychain could not ${action} the secret ${account} (${message}).`, {
      hint: `Check the "${this.service}" entries in the ${keychainName(this.platform)}; ${keychainUnavailableHint(this.binding(account))}`,
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

  /** The environment override supplying `account` now (its name), or null. */
  overrideFor(account: string): ActiveOverride | null {
    return this.overrides.activeOverride(account);
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
  /** Secret bindings from the registry (`secretBindings(providerDefinitions)`); default: the login's only. */
  bindings?: readonly SecretBinding[];
}

/**
 * The secret store for this environment: environment/file overrides, then the OS keychain, or the
 * data file when `DIRCONN_PLAINTEXT_SECRETS=true`. Nothing is contacted until a secret is asked for.
 */
export function createSecretStore(options: CreateSecretStoreOptions): LayeredSecretStore {
  const env = options.env ?? process.env;
  const bindings = options.bindings ?? AUTH_SECRET_BINDINGS;
  const backing = plaintextSecretsEnabled(env) ? new PlaintextSecretStore(options.workspace) : (options.keychain ?? new KeychainSecretStore({ bindings }));
  return new LayeredSecretStore(new EnvSecretSource(env, bindings), backing);
}

/** One row of {@link describeSecretSources}. */
export interface SecretOverrideDescription extends SecretBinding {
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
export function describeSecretSources(bindings: readonly SecretBinding[], env: Env = process.env, platform: NodeJS.Platform = process.platform): SecretSourcesDescription {
  const plaintext = plaintextSecretsEnabled(env);
  const source = new EnvSecretSource(env, bindings);
  return {
    store: plaintext ? 'plaintext' : 'keychain',
    storeDescription: plaintext ? `plaintext in the data file (${PLAINTEXT_SECRETS_ENV}=true)` : `OS keychain (${keychainName(platform)})`,
    overrides: bindings.map((binding) => ({ ...binding, active: source.activeOverride(binding.account) })),
  };
}
