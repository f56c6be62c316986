/**
 * `@dirconn/core/testing`: in-memory fakes of core's ports and small builders, for the tests of every
 * lib and app. Never imported by production code; does not depend on jest.
 */
export * from './fake-clock.js';
export * from './fake-provider.js';
export * from './memory-secret-store.js';
export * from './builders.js';
export * from './fixtures.js';
export * from './fake-http.js';
export * from './provider-deps.js';
export * from './memory-workspace.js';
export * from './memory-files.js';
export * from './use-case-deps.js';
export * from './fake-bitwarden-server.js';
