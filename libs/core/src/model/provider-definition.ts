/**
 * How a directory source plugs in: a definition registered by string id (STYLE.md §4). The
 * definition is the ONLY place a source's facts live (issue #7): its fields and defaults, its secret
 * (setting, keychain account, environment and file variables, the reference's alias), its filter
 * syntax, identity fields, labels, validation and provider construction. The CLI, the desktop forms,
 * storage's secret tables and the docs are generated from the registry of these definitions.
 */
import type { ConfigField } from '../config/fields.js';
import type { DirectoryType, SyncConfig } from '../config/config.js';
import type { DirectoryProvider } from './directory.js';
import type { Clock, HttpClient, Logger } from '../ports.js';
import type { Transport } from '../http/retrying-transport.js';
import type { Secret } from '../secret.js';

/** A problem found when validating a configuration as a whole. */
export interface ConfigIssue {
  key: string;
  message: string;
}

/**
 * One secret a source needs (a bind password, an application key, a token…). Storage's keychain
 * accounts and environment overrides and the CLI's environment help are built from these.
 */
export interface SecretDescriptor {
  /** The setting an admin types: `ldap.password`, `entra.key`. */
  setting: string;
  /** Other names accepted for the setting (the reference's: `azure.key`, `gsuite.key`). */
  aliases?: readonly string[];
  /** Keychain account prefix (reference names: `secretLdap`); the account is `<prefix>:<identity>`. */
  account: string;
  /** Variable holding the value itself at run time: `DIRCONN_LDAP_PASSWORD`. */
  variable: string;
  /** Variable naming a file that holds the value: `DIRCONN_LDAP_PASSWORD_FILE`. */
  fileVariable: string;
  /** How a secret file is read: its first line (passwords, tokens) or the whole file (PEM keys, JSON). */
  fileContent: 'first-line' | 'whole';
  /** What it is, for help and status output: "LDAP / Active Directory bind password". */
  description: string;
}

/** The syntax of `sync.userFilter` / `sync.groupFilter` for one source. */
export interface FilterSyntax {
  /** Syntactic check; returns a message naming what is wrong, or undefined. */
  check(filter: string): string | undefined;
  /** One example shown in hints and help: `(&(objectClass=person)(mail=*))`, `include:alice@x.com`. */
  example: string;
  /** One sentence describing the syntax, for help and the desktop form. */
  description: string;
}

/** What one setting expands into; see {@link ProviderDefinition.expandSetting}. */
export interface SettingExpansion {
  /** Settings to store, by full key (`google.clientEmail`), the expanded key itself included. */
  settings: Record<string, unknown>;
  /** A value to store as the source's secret, or undefined to leave the secret alone. */
  secret?: Secret;
}

export interface ProviderDefinition<C extends Record<string, unknown> = Record<string, unknown>> {
  type: DirectoryType;
  /** UI label, e.g. "Active Directory / LDAP". */
  label: string;
  /** Short description for pickers and help: what it reads, which API. */
  description?: string;
  /** The reference's numeric directory type (0 LDAP … 4 OneLogin), for `config directory 0` and bwdc imports. */
  referenceType?: number;
  /** Settable fields of this source (`ldap.hostname` …), including secret ones. */
  fields: readonly ConfigField[];
  /** Defaults for a new config of this type. */
  defaults: C;
  /** The source's secret, or null when it needs none. */
  secret: SecretDescriptor | null;
  /**
   * Fields that identify the directory account (reference §9.4): a change of any of them gives a new
   * keychain entry, so a secret saved for one server is never sent to another.
   */
  identityFields: readonly (keyof C & string)[];
  /**
   * Fields that name the directory's content (the LDAP base DN, the sample file): a change of any of
   * them, or of the directory type, is shown as "the source changed" and stops a sync that would
   * remove the people previously synced from it (issue #9 item 2). A server name change is not one.
   * Undefined: only a change of type counts.
   */
  sourceFields?: readonly (keyof C & string)[];
  /**
   * Save-time normalisation of the sync config for this source (e.g. AD attribute defaults,
   * reference §4.2, applied only when this source is the chosen directory).
   */
  normalizeSync?(sync: SyncConfig, config: C): SyncConfig;
  /** Whole-config validation: everything needed to read is present and consistent. */
  validate(config: C, sync: SyncConfig, secretPresent: boolean): ConfigIssue[];
  /** The filter syntax of this source; undefined when it has no filters. */
  filter?: FilterSyntax;
  /**
   * Sync settings this source does not use (LDAP-only `sync.userPath`…), hidden from its forms and
   * listings. Undefined: every sync setting applies.
   */
  unusedSyncFields?: readonly string[];
  /**
   * Optional: a setting whose value brings others with it (Google's `google.keyFile` fills the client
   * email and token URL and provides the private key). The config use case calls it with the parsed,
   * non-null value before saving, then stores every entry of `settings` and, when given, `secret` as
   * the source's secret. Returns undefined for keys it does not expand.
   * @throws DirconnError `config.invalid` when the value cannot be expanded (unreadable key file…)
   */
  expandSetting?(key: string, value: unknown): SettingExpansion | undefined;
  /** Build a provider for one read. */
  create(deps: ProviderDeps<C>): DirectoryProvider;
}

/** What a provider gets for one read: validated config, the resolved secret, and the platform's I/O. */
export interface ProviderDeps<C> {
  config: C;
  sync: SyncConfig;
  /** The resolved secret (password, key, token), or null when the source needs none. */
  secret: string | null;
  logger: Logger;
  /** HTTP with the platform's proxy (HTTPS_PROXY/NO_PROXY) and CA rules (NODE_EXTRA_CA_CERTS), for cloud sources. */
  http: HttpClient;
  /** Time and abortable waits. */
  clock: Clock;
  /**
   * The shared retrying transport over `http` (429/503 Retry-After, 5xx, network errors, bounded wait
   * budget), raising `provider.unreachable` / `provider.throttled` / `provider.error`.
   */
  transport: Transport;
}

/** The keychain account of a source's secret for one identity (`secretLdap:<identity>`). */
export function secretAccountFor(definition: Pick<ProviderDefinition, 'secret'>, identity: string): string | null {
  return definition.secret ? `${definition.secret.account}:${identity}` : null;
}
