// The fake Microsoft Entra ID / Graph server for tests and the cloud bench (directory-apis.md §2.10). Test-only.
export { startFakeEntra } from './fake-entra-server.js';
export type { FakeEntra, FakeEntraFault, FakeEntraOptions, FakeEntraRequest } from './fake-entra-server.js';
export { FakeEntraDirectory, seedReferenceTenant, USER_TYPE, GROUP_TYPE, DEVICE_TYPE } from './directory.js';
export type { FakeEntraGroup, FakeEntraGroupSeed, FakeEntraUnitSeed, FakeEntraUser, FakeEntraUserSeed } from './directory.js';
export { makeFakeEntraTls } from './tls.js';
export type { FakeEntraTls } from './tls.js';
