/** The fake Okta org (test-only): see fake-okta-server.ts. */
export { FakeOkta, fakeOkta, startFakeOkta } from './fake-okta-server.js';
export type { FakeOktaApp, FakeOktaFault, FakeOktaOptions, FakeOktaRequest, FakeOktaRoute } from './fake-okta-server.js';
export { FakeOktaState, oktaGeneratedSeed, oktaReferenceSeed, oktaStatusSeed } from './state.js';
export type { FakeOktaGroup, FakeOktaSeed, FakeOktaUser } from './state.js';
export { compileFilter, FilterError, GROUP_FILTER_RULES, SEARCH_RULES, USER_FILTER_RULES } from './filter.js';
