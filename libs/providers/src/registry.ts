/**
 * The provider registry: directory sources by string id (STYLE.md §4), never a switch over numbers.
 * The CLI and the desktop drive config, validation and provider creation from these definitions.
 */
import { DirconnError } from '@dirconn/core';
import type { DirectoryType, ProviderDefinition } from '@dirconn/core';
import { ldapDefinition } from './ldap/ldap.definition.js';
import { sampleDefinition } from './sample/sample.definition.js';

/**
 * Erases a definition's config type for the heterogeneous registry list. Safe because core only
 * passes a definition the config it got from that same definition's `defaults` and fields.
 */
function erase<C extends Record<string, unknown>>(definition: ProviderDefinition<C>): ProviderDefinition {
  return definition as unknown as ProviderDefinition;
}

/** Every source available in this version. */
export const providerDefinitions: readonly ProviderDefinition[] = [erase(ldapDefinition), erase(sampleDefinition)];

const PLANNED: readonly DirectoryType[] = ['entra', 'google', 'okta', 'onelogin'];

/** The definition of a source; throws config.invalid for sources not implemented yet or unknown. */
export function getProviderDefinition(type: DirectoryType): ProviderDefinition {
  const found = providerDefinitions.find((d) => d.type === type);
  if (found) return found;
  if (PLANNED.includes(type)) {
    throw new DirconnError('config.invalid', `The ${type} directory is not available yet in this version.`, {
      hint: `Available now: ${providerDefinitions.map((d) => d.type).join(', ')}. Choose one with "dirconn config directory <type>".`,
    });
  }
  throw new DirconnError('config.invalid', `Unknown directory type "${String(type)}".`, {
    hint: `Choose one of ${providerDefinitions.map((d) => d.type).join(', ')} with "dirconn config directory <type>".`,
  });
}
