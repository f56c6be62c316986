/**
 * @dirconn/test-support — test-only: real-server harnesses (slapd, Samba AD DC), the fake Bitwarden
 * server, LDIF fixtures and generators. Never imported by shipped code.
 */
export * from './fake-bitwarden/index.js';
export * from './fake-entra/index.js';
/** The fake Google Workspace (token endpoint + Directory API) under a namespace-free export. */
export * from './fake-google/index.js';
export * from './fake-okta/index.js';
export * from './fake-onelogin/index.js';
export * from './fixtures.js';
export * from './generate-ldif.js';
export { startSlapd, sshaHash, normalizeDn } from './slapd.js';
export type { Slapd, StartSlapdOptions } from './slapd.js';
/** slapd helpers (ldapModify, ldapAdd, ldapDelete, ldapSearch) under a namespace: Samba has its own. */
export * as slapd from './slapd.js';
/** Samba AD DC harness and seed helpers. */
export * as samba from './samba.js';
export * as sambaSeed from './samba-seed.js';
export { startSambaDc } from './samba.js';
export type { SambaDc } from './samba.js';
export { seedAd } from './samba-seed.js';
export type { AdSeedInfo } from './samba-seed.js';
