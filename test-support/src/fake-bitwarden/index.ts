// The fake Bitwarden server for tests, demos and benches (bitwarden-api.md §8). Test-only.
export { FakeBitwarden, startFakeBitwarden } from './fake-bitwarden-server.js';
export type { FakeBitwardenOptions, FakeRequestLogEntry, FaultOptions } from './fake-bitwarden-server.js';
export { FakeBitwardenState, FakeServerClock, newApiKey } from './state.js';
export type {
  FakeBilling,
  FakeCollectionAccess,
  FakeCounters,
  FakeEvent,
  FakeGroup,
  FakeGroupSeed,
  FakeMember,
  FakeMemberSeed,
  FakeMemberStatus,
  FakeMemberType,
  FakeMode,
  FakeOrganization,
  FakeOrganizationSeed,
  FakeStateSnapshot,
  FakeUser,
} from './state.js';
export { FaultInjector } from './faults.js';
export type { ActiveFault, FakeRoute, FaultAction, FaultRule, ImportStep } from './faults.js';
export { FakeTokenIssuer } from './token.js';
export type { FakeToken, FakeTokenClaims } from './token.js';
export { isDotNetEmail } from './import-official.js';
export { importInvariantViolations } from './test-helpers.js';
/** fetch-based helpers for talking to the fake over HTTP (token form, import, GET). */
export * as fakeBitwardenHttp from './test-helpers.js';
