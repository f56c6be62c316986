/**
 * How a directory source plugs in: a definition registered by string id (STYLE.md §4). The CLI and the
 * desktop drive `config`, validation and provider creation from these definitions, never a `switch`.
 */
import type { ConfigField } from '../config/fields.js';
import type { DirectoryType, SyncConfig } from '../config/config.js';
import type { DirectoryProvider } from './directory.js';
import type { Logger } from '../ports.js';

/** A problem found when validating a configuration as a whole. */
export interface ConfigIssue {
  key: string;
  message: string;
}

export interface ProviderDefinition<C extends Record<string, unknown> = Record<string, unknown>> {
  type: DirectoryType;
  /** UI label, e.g. "Active Directory / LDAP". */
  label: string;
  /** Settable fields of this source (`ldap.hostname` …), including secret ones. */
  fields: readonly ConfigField[];
  /** Defaults for a new config of this type. */
  defaults: C;
  /** Keychain account prefix of this source's secret (reference names: secretLdap, secretEntra, …). */
  secretAccount: string;
  /** Name of the secret field within the config (`password`, `key`, `token`, …). */
  secretField: string;
  /** Fields whose change gives the config a new id (and so a new keychain entry), reference §9.4. */
  identityFields: readonly (keyof C & string)[];
  /**
   * Save-time normalisation of the sync config for this source (e.g. AD attribute defaults,
   * reference §4.2, applied only when this source is the chosen directory).
   */
  normalizeSync?(sync: SyncConfig, config: C): SyncConfig;
  /** Whole-config validation: everything needed to read is present and consistent. */
  validate(config: C, sync: SyncConfig, secretPresent: boolean): ConfigIssue[];
  /** Syntactic validation of sync filters in this source's syntax (LDAP filter parser, set clause…). */
  checkFilter?(filter: string): string | undefined;
  /** Build a provider for one read. */
  create(deps: ProviderDeps<C>): DirectoryProvider;
}

export interface ProviderDeps<C> {
  config: C;
  sync: SyncConfig;
  /** The resolved secret (password, key, token), or null when the source needs none. */
  secret: string | null;
  logger: Logger;
}
