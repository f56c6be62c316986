// The fake Google Workspace for tests and benches (directory-apis.md §3.9). Test-only.
export { FakeGoogle, startFakeGoogle } from './fake-google-server.js';
export type { FakeGoogleFault, FakeGoogleOptions, FakeGoogleRequest, FakeGoogleRoute } from './fake-google-server.js';
export { FakeGoogleState, domainOf } from './state.js';
export type { FakeGoogleGroup, FakeGoogleGroupSeed, FakeGoogleMemberRef, FakeGoogleSeed, FakeGoogleUser, FakeGoogleUserSeed } from './state.js';
export { DIRECTORY_READ_SCOPES, FakeTokenService, GOOGLE_TOKEN_URL, newServiceAccount, serviceAccountKeyFile } from './token.js';
export type { FakeAccessToken, FakeServiceAccount } from './token.js';
export { googleCompanySeed, googleReferenceSeed } from './fixtures.js';
