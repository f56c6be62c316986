import { describe, expect, it } from '@jest/globals';
import { parseEntraGroupFilter, parseEntraUserFilter } from './entra.filter.js';
import { parseEntraCursor } from './entra.provider.js';
import { partialUserIds, scopeGroups, scopeUsers, scopeUsersByGroups, skippedUserWarnings } from './entra.scope.js';

const none = { included: null, excluded: new Set<string>() };

describe('scopeUsers', () => {
  it('maps, de-duplicates delta repeats, filters by email and keeps tombstones whatever the filter', () => {
    const items = [
      { id: 'u1', mail: 'a@x.com', accountEnabled: true },
      { id: 'u1', mail: 'a@x.com', accountEnabled: true },
      { id: 'u2', mail: 'b@x.com', accountEnabled: true },
      { id: 'u3', '@removed': { reason: 'deleted' } },
      { id: 'u4', accountEnabled: true, displayName: 'No Mail' },
    ];
    const scoped = scopeUsers(items, parseEntraUserFilter('include:a@x.com'), none);
    expect(scoped.users.map((u) => [u.externalId, u.deleted])).toEqual([['u1', false], ['u3', true]]);
    expect(scoped.filteredOut).toBe(1);
    expect(scoped.skipped).toEqual([{ id: 'u4', label: 'No Mail', reason: 'no-email' }]);
  });

  it('applies group scopes by lower-cased id', () => {
    const scoped = scopeUsers([{ id: 'AB', mail: 'a@x.com' }, { id: 'cd', mail: 'c@x.com' }], parseEntraUserFilter('includeGroup:g1'), { included: new Set(['ab']), excluded: new Set() });
    expect(scoped.users.map((u) => u.externalId)).toEqual(['AB']);
  });

  it('names skipped users in warnings, at most ten by name', () => {
    const skipped = Array.from({ length: 12 }, (_, i) => ({ id: `g${i}`, label: `Guest ${i}`, reason: 'guest-without-mail' as const }));
    const [warning] = skippedUserWarnings(skipped);
    expect(warning).toMatchObject({ code: 'entra.guest-without-mail', message: expect.stringContaining('and 2 more') });
    expect(skippedUserWarnings([])).toEqual([]);
  });
});

describe('scopeGroups and §5.4', () => {
  const groups = [
    { group: { id: 'g1', displayName: 'Sales' }, members: [{ '@odata.type': '#microsoft.graph.user', id: 'u1' }, { '@odata.type': '#microsoft.graph.device', id: 'd1' }] },
    { group: { id: 'g2', displayName: 'Ops' }, members: [{ '@odata.type': '#microsoft.graph.user', id: 'u2' }] },
  ];

  it('filters by name and counts ignored member objects', () => {
    const scoped = scopeGroups(groups, parseEntraGroupFilter('include:sales'), null);
    expect(scoped.groups.map((g) => g.name)).toEqual(['Sales']);
    expect(scoped).toMatchObject({ filteredOut: 1, ignoredMembers: 1 });
  });

  it('keeps only direct members of kept groups, plus deleted users and disabled ones being removed', () => {
    const kept = scopeGroups(groups, parseEntraGroupFilter('include:Sales'), null).groups;
    const users = [
      { externalId: 'u1', referenceId: 'u1', email: 'a@x.com', disabled: false, deleted: false },
      { externalId: 'u2', referenceId: 'u2', email: 'b@x.com', disabled: false, deleted: false },
      { externalId: 'u3', referenceId: 'u3', email: 'c@x.com', disabled: true, deleted: false },
      { externalId: 'u4', referenceId: 'u4', email: null, disabled: false, deleted: true },
    ];
    expect(scopeUsersByGroups(users, kept, false).users.map((u) => u.externalId)).toEqual(['u1', 'u4']);
    expect(scopeUsersByGroups(users, kept, true)).toMatchObject({ dropped: 1 });
  });
});

describe('delta helpers', () => {
  it('finds partial objects of a delta replay (no UPN or no accountEnabled), never tombstones', () => {
    expect(partialUserIds([{ id: 'a', accountEnabled: false }, { id: 'b', userPrincipalName: 'b@x', accountEnabled: true }, { id: 'c', '@removed': { reason: 'changed' } }])).toEqual(['a']);
  });

  it('accepts only its own cursor shape', () => {
    const cursor = { v: 1, fingerprint: 'f', users: 'https://graph/x', groups: null };
    expect(parseEntraCursor(cursor)).toEqual(cursor);
    expect(parseEntraCursor({ v: 1, lastSync: '2026-01-01' })).toBeUndefined();
    expect(parseEntraCursor({ ...cursor, v: 2 })).toBeUndefined();
    expect(parseEntraCursor(null)).toBeUndefined();
  });
});
