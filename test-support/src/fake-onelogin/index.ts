/** The fake OneLogin account (test-only): see fake-onelogin-server.ts. */
export { FakeOneLogin, fakeOneLogin, startFakeOneLogin } from './fake-onelogin-server.js';
export type { FakeOneLoginCredential, FakeOneLoginFault, FakeOneLoginOptions, FakeOneLoginRequest, FakeOneLoginRoute } from './fake-onelogin-server.js';
export { FakeOneLoginState, oneLoginGeneratedSeed, oneLoginReferenceSeed, oneLoginStatusSeed } from './state.js';
export type { FakeOneLoginRole, FakeOneLoginSeed, FakeOneLoginUser } from './state.js';
export { matchesPattern, PAGE_LIMITS as ONELOGIN_PAGE_LIMITS } from './routes.js';
