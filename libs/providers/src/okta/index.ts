/** The Okta source: public API of libs/providers/src/okta. */
export { oktaDefinition } from './okta.definition.js';
export { OktaProvider, PAGE_SIZE as OKTA_PAGE_SIZE, MEMBER_READ_CONCURRENCY as OKTA_MEMBER_READ_CONCURRENCY } from './okta.provider.js';
export type { OktaProviderOptions } from './okta.provider.js';
export { OKTA_DEFAULTS, OKTA_FIELDS, OKTA_OAUTH_SCOPES, parseOktaFilter, checkOktaFilter, validateOktaConfig } from './okta.config.js';
export type { OktaConfig, OktaFilter } from './okta.config.js';
export { OktaRateLimiter } from './okta.rate-limit.js';
