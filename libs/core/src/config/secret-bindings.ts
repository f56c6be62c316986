/**
 * Where each secret can come from: its keychain account and its environment overrides. The table is
 * built from the provider registry (each definition's `secret`) plus the Bitwarden login, so storage,
 * the CLI's environment help and the desktop never carry a copy of a source's facts (issue #7).
 */
import type { ProviderDefinition } from '../model/provider-definition.js';

/** One secret that can be supplied through the environment. */
export interface SecretBinding {
  /** Account, or account prefix matching every `<prefix>:<identity>` (e.g. `secretLdap`). */
  account: string;
  /** The dirconn setting it stands for, e.g. `ldap.password`. */
  setting: string;
  /** Other accepted names of the setting (the reference's `azure.key`…). */
  aliases: readonly string[];
  /** What it is, for help and status output. */
  description: string;
  /** Variable holding the value itself. */
  variable: string;
  /** Variable naming a file that holds the value; null when there is none. */
  fileVariable: string | null;
  /** How the file is read: its first line (trimmed), or the whole file (trimmed) for PEM keys. */
  fileContent: 'first-line' | 'whole';
}

/** Keychain accounts of the Bitwarden organization login (never scoped; reference §9.4 names). */
export const AUTH_SECRET_ACCOUNTS = {
  /** Organization API key client id (normally kept in the data file's `auth.clientId`; env override only). */
  clientId: 'apiKeyClientId',
  /** Organization API key client secret. */
  clientSecret: 'apiKeyClientSecret',
  /** Access token (dirconn does not persist tokens; reserved for compatibility). */
  accessToken: 'accessToken',
} as const;

/** The Bitwarden login's environment overrides. */
export const AUTH_SECRET_BINDINGS: readonly SecretBinding[] = [
  { account: AUTH_SECRET_ACCOUNTS.clientId, setting: 'login client id', aliases: [], description: 'Bitwarden organization API key client id', variable: 'BW_CLIENTID', fileVariable: null, fileContent: 'first-line' },
  { account: AUTH_SECRET_ACCOUNTS.clientSecret, setting: 'login client secret', aliases: [], description: 'Bitwarden organization API key client secret', variable: 'BW_CLIENTSECRET', fileVariable: 'DIRCONN_CLIENT_SECRET_FILE', fileContent: 'first-line' },
];

/** Every secret binding: the login's, then each registered source's, in registry order. */
export function secretBindings(definitions: readonly Pick<ProviderDefinition, 'secret'>[]): SecretBinding[] {
  const bindings: SecretBinding[] = [...AUTH_SECRET_BINDINGS];
  for (const definition of definitions) {
    const secret = definition.secret;
    if (!secret) continue;
    bindings.push({
      account: secret.account,
      setting: secret.setting,
      aliases: secret.aliases ?? [],
      description: secret.description,
      variable: secret.variable,
      fileVariable: secret.fileVariable,
      fileContent: secret.fileContent,
    });
  }
  return bindings;
}

/** The binding for `account` (`secretLdap:<id>` matches `secretLdap`), or undefined. */
export function findSecretBinding(bindings: readonly SecretBinding[], account: string): SecretBinding | undefined {
  const base = account.split(':', 1)[0];
  return bindings.find((binding) => binding.account === base);
}
