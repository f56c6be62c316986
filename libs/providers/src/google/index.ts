/** The Google Workspace source: public API of libs/providers/src/google. */
export { googleDefinition } from './google.definition.js';
export { GoogleProvider, MEMBER_READ_CONCURRENCY, PAGE_SIZE, scopeParams } from './google.provider.js';
export type { GoogleProviderOptions } from './google.provider.js';
export { GOOGLE_DEFAULTS, GOOGLE_FIELDS, GOOGLE_ROOT_URL, GOOGLE_TOKEN_URL, checkGoogleFilter, parseGoogleFilter, parseServiceAccountKey, readServiceAccountKey, validateGoogleConfig } from './google.config.js';
export type { GoogleConfig, ServiceAccountKey } from './google.config.js';
export { GOOGLE_SCOPES } from './google.auth.js';
export { classifyGoogleResponse } from './google.errors.js';
