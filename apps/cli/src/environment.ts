/**
 * Environment variables dirconn reads: one spelling and one meaning each (STYLE.md §10). The secret
 * variables (login and each source's) are generated from the registry's secret bindings, so a new
 * source's variables appear here without an edit.
 */
import { AUTH_SECRET_ACCOUNTS, type SecretBinding } from '@dirconn/core';

/** The rows of the "Environment" help for these secret bindings, with the platform's own variables around them. */
export function environmentTable(bindings: readonly SecretBinding[]): [string, string][] {
  const secretRows: [string, string][] = [];
  for (const binding of bindings) {
    secretRows.push([binding.variable, `${binding.description} ${usage(binding)}`]);
    if (binding.fileVariable !== null) {
      const which = binding.fileContent === 'whole' ? 'file holding the' : 'file whose first line is the';
      secretRows.push([binding.fileVariable, `${which} ${binding.description}`]);
    }
  }
  return [
    ['DIRCONN_DATA_DIR', 'data directory (default: per-OS config dir, e.g. ~/.config/dirconn)'],
    ['DIRCONN_PLAINTEXT_SECRETS', '"true" stores secrets in the data file instead of the OS keychain'],
    ['DIRCONN_<SECTION>_<FIELD>', 'any setting for this run, e.g. DIRCONN_LDAP_HOSTNAME, DIRCONN_SYNC_USER_FILTER (checked like "dirconn config", never saved)'],
    ...secretRows,
    ['HTTPS_PROXY / NO_PROXY', 'proxy for Bitwarden API and cloud directory calls'],
    ['NO_COLOR', 'no colour in output'],
    ['DIRCONN_DEBUG', '"true" prints debug logs with timestamps on stderr'],
  ];
}

/** When a secret variable is read: `dirconn login` reads the client id; every other one is read at run time too. */
function usage(binding: SecretBinding): string {
  if (binding.account === AUTH_SECRET_ACCOUNTS.clientId) return 'for "dirconn login"';
  if (binding.account === AUTH_SECRET_ACCOUNTS.clientSecret) return '(login, and at run time instead of the keychain)';
  return 'at run time (instead of the keychain)';
}
