import { describe, expect, it } from '@jest/globals';
import { orgGroup, syncState } from '../testing/builders.js';
import { fullMembershipCheckDue, groupMembersDigest, groupsToRead } from './group-members-check.js';

describe('groupMembersDigest', () => {
  it('ignores order and tells any change of the member set', () => {
    const base = groupMembersDigest(['cn=a', 'cn=b', 'cn=c']);
    expect(groupMembersDigest(['cn=c', 'cn=a', 'cn=b'])).toBe(base);
    expect(groupMembersDigest(['cn=a', 'cn=b'])).not.toBe(base);
    expect(groupMembersDigest(['cn=a', 'cn=b', 'cn=d'])).not.toBe(base);
    expect(groupMembersDigest(['cn=a', 'cn=b', 'CN=c'])).not.toBe(base);
    expect(groupMembersDigest([])).not.toBe(groupMembersDigest(['']));
  });

  it('has no collision over 20k one-member groups', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i++) seen.add(groupMembersDigest([`uid=user${i},ou=people,dc=example,dc=com`]));
    expect(seen.size).toBe(20_000);
  });
});

describe('fullMembershipCheckDue', () => {
  const now = new Date('2026-03-02T09:00:00.000Z');
  const checked = (at: string | null) => syncState({ groupMemberDigests: { eng: 'x' }, lastMembershipCheck: at });
  it.each([
    ['within the interval', checked('2026-03-02T08:00:00.000Z'), 24, false, false],
    ['forced (ignore-hash)', checked('2026-03-02T08:00:00.000Z'), 24, true, true],
    ['never checked', checked(null), 24, false, true],
    ['no digests (older state)', syncState({ groupMemberDigests: null, lastMembershipCheck: '2026-03-02T08:00:00.000Z' }), 24, false, true],
    ['interval passed', checked('2026-03-01T08:59:59.999Z'), 24, false, true],
    ['interval 0', checked('2026-03-02T08:59:00.000Z'), 0, false, true],
    ['check in the future (clock moved back)', checked('2026-03-03T08:00:00.000Z'), 24, false, true],
  ])('%s', (_name, state, hours, forced, due) => {
    expect(fullMembershipCheckDue(state, hours, now, forced)).toBe(due);
  });
});

describe('groupsToRead', () => {
  const orgGroups = [orgGroup({ name: 'eng', memberIds: null }), orgGroup({ name: 'ops', memberIds: null }), orgGroup({ name: 'new', memberIds: null }), orgGroup({ name: 'read', memberIds: [] })];
  const groups = [
    { externalId: 'eng', name: 'eng', userExternalIds: ['a'] },
    { externalId: 'ops', name: 'ops', userExternalIds: ['b', 'c'] },
    { externalId: 'new', name: 'new', userExternalIds: [] },
  ];
  const digests = new Map(groups.map((g) => [g.externalId, groupMembersDigest(g.userExternalIds)]));
  const previous = syncState({ groupMemberDigests: { eng: groupMembersDigest(['a']), ops: groupMembersDigest(['b']) }, lastMembershipCheck: '2026-03-02T08:00:00.000Z' });

  it('reads changed and new groups only, never a group already read', () => {
    expect(groupsToRead({ groups, orgGroups, previous, digests, fullCheck: false })).toEqual(['group-ops', 'group-new']);
  });
  it('reads every unread group at the full check', () => {
    expect(groupsToRead({ groups, orgGroups, previous, digests, fullCheck: true })).toEqual(['group-eng', 'group-ops', 'group-new']);
  });
});
