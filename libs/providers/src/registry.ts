/**
 * The provider registry: directory sources by string id (STYLE.md §4), never a switch over numbers.
 * Adding a source = one folder under libs/providers/src/<source>/ plus one line in
 * {@link providerDefinitions}. Everything else — `dirconn config` keys and help, the environment
 * variables of secrets, storage's keychain accounts, the desktop forms — is generated from here.
 */
import { DirconnError, secretBindings } from '@dirconn/core';
import type { DirectoryType, ProviderDefinition, SecretBinding } from '@dirconn/core';
import { entraDefinition } from './entra/entra.definition.js';
import { googleDefinition } from './google/google.definition.js';
import { ldapDefinition } from './ldap/ldap.definition.js';
import { oktaDefinition } from './okta/okta.definition.js';
import { oneLoginDefinition } from './onelogin/onelogin.definition.js';
import { sampleDefinition } from './sample/sample.definition.js';

/**
 * Erases a definition's config type for the heterogeneous registry list. Safe because core only
 * passes a definition the config it got from that same definition's `defaults` and fields.
 */
function erase<C extends Record<string, unknown>>(definition: ProviderDefinition<C>): ProviderDefinition {
  return definition as unknown as ProviderDefinition;
}

/** Every source available in this version, in the order pickers show them. */
export const providerDefinitions: readonly ProviderDefinition[] = [erase(ldapDefinition), erase(entraDefinition), erase(googleDefinition), erase(oktaDefinition), erase(oneLoginDefinition), erase(sampleDefinition)];

/** Sources of the reference product that this version cannot read yet (named in the error). */
const NOT_YET_AVAILABLE: readonly string[] = ['entra', 'google', 'okta', 'onelogin'].filter((t) => !providerDefinitions.some((d) => d.type === t));

/** Where every secret can come from (login + each source), for storage and the environment help. */
export const registrySecretBindings: readonly SecretBinding[] = secretBindings(providerDefinitions);

/** The definition of a source; throws config.invalid for sources not implemented yet or unknown. */
export function getProviderDefinition(type: DirectoryType): ProviderDefinition {
  return findProviderDefinition(providerDefinitions, type);
}

/** Looks `type` up in `definitions` (tests pass their own list); throws config.invalid when absent. */
export function findProviderDefinition(definitions: readonly ProviderDefinition[], type: DirectoryType): ProviderDefinition {
  const found = definitions.find((d) => d.type === type);
  if (found) return found;
  const available = definitions.map((d) => d.type).join(', ');
  if (NOT_YET_AVAILABLE.includes(type)) {
    throw new DirconnError('config.invalid', `The ${type} directory is not available yet in this version.`, {
      hint: `Available now: ${available}. Choose one with "dirconn config directory <type>".`,
      details: { setting: 'directory', available: definitions.map((d) => d.type) },
    });
  }
  throw new DirconnError('config.invalid', `Unknown directory type "${String(type)}".`, {
    hint: `Choose one of ${available} with "dirconn config directory <type>".`,
    details: { setting: 'directory', available: definitions.map((d) => d.type) },
  });
}
