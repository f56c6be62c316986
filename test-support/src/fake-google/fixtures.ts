// Seeds for the fake Google Workspace. Test-only.

import type { FakeGoogleSeed, FakeGoogleUserSeed } from './state.js';

/**
 * The reference's live-tenant shape (reference-connector.md §12.3): with the user query
 * `orgUnitPath='/Integration testing'` and the group query `name:Integration*`, 5 users (one
 * suspended, one in no group) and 2 groups (A: users 1, 2; B: users 2, 3). Around it: an admin, a
 * user in another unit, and a group the query leaves out.
 */
export function googleReferenceSeed(): FakeGoogleSeed {
  const ou = '/Integration testing';
  return {
    customerId: 'C0ref0001',
    domains: ['example.com'],
    users: [
      { primaryEmail: 'admin@example.com', isAdmin: true, orgUnitPath: '/' },
      { primaryEmail: 'testuser1@example.com', orgUnitPath: ou },
      { primaryEmail: 'testuser2@example.com', orgUnitPath: ou },
      { primaryEmail: 'testuser3@example.com', orgUnitPath: ou },
      { primaryEmail: 'testuser4@example.com', orgUnitPath: ou, suspended: true },
      { primaryEmail: 'testuser5@example.com', orgUnitPath: `${ou}/Sub unit` },
      { primaryEmail: 'sales.person@example.com', orgUnitPath: '/Sales' },
    ],
    groups: [
      { email: 'groupa@example.com', name: 'Integration Test Group A', members: ['testuser1@example.com', 'testuser2@example.com'] },
      { email: 'groupb@example.com', name: 'Integration Test Group B', members: ['testuser2@example.com', 'testuser3@example.com'] },
      { email: 'sales@example.com', name: 'Sales', members: ['sales.person@example.com', 'testuser4@example.com'] },
    ],
  };
}

/**
 * A two-domain company for end-to-end runs: users on the primary domain and a secondary one (the
 * reference misses the latter), a suspended and an archived user, a nested group, a group holding
 * the whole account (CUSTOMER) and one with an external member.
 */
export function googleCompanySeed(): FakeGoogleSeed {
  const people = (names: string[], domain: string, ou: string): FakeGoogleUserSeed[] => names.map((n) => ({ primaryEmail: `${n}@${domain}`, orgUnitPath: ou }));
  return {
    customerId: 'C0acme001',
    domains: ['acme.test', 'acme-labs.test'],
    users: [
      { primaryEmail: 'it.admin@acme.test', isAdmin: true, orgUnitPath: '/IT' },
      ...people(['ada.lovelace', 'alan.turing', 'grace.hopper', 'edsger.dijkstra'], 'acme.test', '/Engineering'),
      ...people(['katherine.johnson', 'margaret.hamilton'], 'acme-labs.test', '/Labs'),
      { primaryEmail: 'john.mccarthy@acme.test', orgUnitPath: '/Engineering', suspended: true },
      { primaryEmail: 'barbara.liskov@acme.test', orgUnitPath: '/Sales', archived: true },
      { primaryEmail: 'frances.allen@acme.test', orgUnitPath: '/Sales' },
    ],
    groups: [
      { email: 'platform@acme.test', name: 'Platform', members: ['grace.hopper@acme.test', 'edsger.dijkstra@acme.test'] },
      { email: 'engineering@acme.test', name: 'Engineering', members: ['ada.lovelace@acme.test', 'alan.turing@acme.test', 'john.mccarthy@acme.test', 'platform@acme.test'] },
      { email: 'labs@acme-labs.test', name: 'Labs', members: ['katherine.johnson@acme-labs.test', 'margaret.hamilton@acme-labs.test', 'external:partner@other.test'] },
      { email: 'everyone@acme.test', name: 'Everyone', members: ['CUSTOMER'] },
      { email: 'sales@acme.test', name: 'Sales', members: ['frances.allen@acme.test', 'barbara.liskov@acme.test'] },
    ],
  };
}
