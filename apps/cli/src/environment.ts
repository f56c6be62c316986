/** Environment variables dirconn reads: one spelling and one meaning each (STYLE.md §10). */
export const ENVIRONMENT_TABLE: readonly [string, string][] = [
  ['DIRCONN_DATA_DIR', 'data directory (default: per-OS config dir, e.g. ~/.config/dirconn)'],
  ['DIRCONN_PLAINTEXT_SECRETS', '"true" stores secrets in the data file instead of the OS keychain'],
  ['BW_CLIENTID', 'organization API client id for "dirconn login"'],
  ['BW_CLIENTSECRET', 'organization API client secret (login, and at run time instead of the keychain)'],
  ['DIRCONN_CLIENT_SECRET_FILE', 'file whose first line is the organization API client secret'],
  ['DIRCONN_LDAP_PASSWORD', 'LDAP bind password at run time (instead of the keychain)'],
  ['DIRCONN_LDAP_PASSWORD_FILE', 'file whose first line is the LDAP bind password'],
  ['HTTPS_PROXY / NO_PROXY', 'proxy for Bitwarden API calls'],
  ['NO_COLOR', 'no colour in output'],
  ['DIRCONN_DEBUG', '"true" prints debug logs with timestamps on stderr'],
];
