/** The OneLogin source: public API of libs/providers/src/onelogin. */
export { oneLoginDefinition } from './onelogin.definition.js';
export { OneLoginProvider, PAGE_SIZE as ONELOGIN_PAGE_SIZE, MEMBER_READ_CONCURRENCY as ONELOGIN_MEMBER_READ_CONCURRENCY } from './onelogin.provider.js';
export type { OneLoginProviderOptions } from './onelogin.provider.js';
export { ONELOGIN_DEFAULTS, ONELOGIN_FIELDS, ONELOGIN_REGIONS, parseOneLoginFilter, checkOneLoginFilter, validateOneLoginConfig, oneLoginBase } from './onelogin.config.js';
export type { OneLoginConfig, OneLoginFilter } from './onelogin.config.js';
export { OneLoginRateLimiter } from './onelogin.rate-limit.js';
