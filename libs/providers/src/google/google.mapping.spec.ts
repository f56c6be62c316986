import { describe, expect, it } from '@jest/globals';
import { parseGoogleFilter } from './google.config.js';
import { disabledReason, isKnownEmpty, mapGoogleGroup, mapGoogleUser, resolveMembers, setFilterVerdict, userSkipReason, type GoogleApiUser } from './google.mapping.js';

const user = (over: Partial<GoogleApiUser> = {}): GoogleApiUser => ({
  id: '1001',
  primaryEmail: ' Alice@Example.com ',
  emails: [{ address: 'alice@example.com', primary: true }],
  name: { fullName: 'Alice Liddell' },
  suspended: false,
  archived: false,
  ...over,
});

describe('mapGoogleUser (reference §6.3)', () => {
  it('uses id for both ids and the trimmed, lower-cased primaryEmail', () => {
    expect(mapGoogleUser(user(), false)).toEqual({ externalId: '1001', referenceId: '1001', email: 'alice@example.com', disabled: false, deleted: false, displayName: 'Alice Liddell' });
  });

  it.each([
    [{ suspended: true }, true, 'suspended'],
    [{ archived: true }, true, 'archived'],
    [{ suspended: true, archived: true }, true, 'suspended and archived'],
    [{}, false, null],
  ] as const)('%j → disabled %s', (over, disabled, reason) => {
    expect(mapGoogleUser(user(over), false)?.disabled).toBe(disabled);
    expect(disabledReason(user(over))).toBe(reason);
  });

  it('marks users of the showDeleted pass deleted, even without addresses', () => {
    expect(mapGoogleUser(user({ emails: [], deletionTime: '2026-01-01T00:00:00Z' }), true)).toMatchObject({ externalId: '1001', deleted: true, email: 'alice@example.com' });
  });

  it('skips a live user without addresses (reference) and says why', () => {
    expect(mapGoogleUser(user({ emails: [] }), false)).toBeNull();
    expect(userSkipReason(user({ emails: [] }))).toMatch(/no email address/);
    expect(userSkipReason(user({ emails: undefined }))).toMatch(/no email address/);
    expect(userSkipReason(user({ primaryEmail: '  ' }))).toMatch(/no primaryEmail/);
    expect(userSkipReason(user())).toBeNull();
  });

  it('leaves the display name out when Google has none', () => {
    expect(mapGoogleUser(user({ name: {} }), false)).not.toHaveProperty('displayName');
  });
});

describe('resolveMembers and mapGoogleGroup', () => {
  const members = resolveMembers([
    { id: 'u1', type: 'USER', status: 'ACTIVE' },
    { id: 'u2', type: 'user', status: 'active' },
    { id: 'u3', type: 'USER', status: 'SUSPENDED' },
    { id: 'u1', type: 'USER', status: 'ACTIVE' },
    { id: 'g2', type: 'GROUP' },
    { id: 'x1', type: 'EXTERNAL', email: 'partner@other.com' },
    { id: 'u4', type: 'USER' },
  ]);

  it('keeps active users and child groups, skips the rest', () => {
    expect(members).toEqual({ userIds: ['u1', 'u2'], groupIds: ['g2'], wholeAccount: false, skipped: 3 });
  });

  it('maps a group by id with its name', () => {
    expect(mapGoogleGroup({ id: 'g1', name: ' Group A ', email: 'a@example.com' }, members, ['u1', 'u2', 'u9'])).toEqual({
      externalId: 'g1',
      referenceId: 'g1',
      name: 'Group A',
      userMemberExternalIds: ['u1', 'u2'],
      groupMemberReferenceIds: ['g2'],
    });
  });

  it('expands a CUSTOMER member to every user read in the run', () => {
    const all = resolveMembers([{ id: 'C01', type: 'CUSTOMER' }, { id: 'u2', type: 'USER', status: 'ACTIVE' }]);
    expect(all.wholeAccount).toBe(true);
    expect(mapGoogleGroup({ id: 'g', name: 'Everyone' }, all, ['u1', 'u2', 'u3']).userMemberExternalIds).toEqual(['u2', 'u1', 'u3']);
  });

  it('falls back to the email, then the id, for a nameless group', () => {
    expect(mapGoogleGroup({ id: 'g', email: 'x@example.com' }, resolveMembers([]), []).name).toBe('x@example.com');
    expect(mapGoogleGroup({ id: 'g' }, resolveMembers([]), []).name).toBe('g');
  });

  it('knows a group is empty only when Google says "0"', () => {
    expect(isKnownEmpty({ id: 'g', directMembersCount: '0' })).toBe(true);
    expect(isKnownEmpty({ id: 'g', directMembersCount: '3' })).toBe(false);
    expect(isKnownEmpty({ id: 'g' })).toBe(false);
  });
});

describe('setFilterVerdict (explain wording)', () => {
  it('names the clause that keeps or drops a value', () => {
    const include = parseGoogleFilter('include:alice@example.com', 'sync.userFilter').set;
    expect(setFilterVerdict(include, 'Alice@example.com', 'sync.userFilter')).toEqual({ passed: true, detail: 'alice@example.com is listed in sync.userFilter (include:alice@example.com)' });
    expect(setFilterVerdict(include, 'bob@example.com', 'sync.userFilter').passed).toBe(false);
    const exclude = parseGoogleFilter('exclude:bob@example.com', 'sync.userFilter').set;
    expect(setFilterVerdict(exclude, 'bob@example.com', 'sync.userFilter')).toEqual({ passed: false, detail: 'bob@example.com is excluded by sync.userFilter (exclude:bob@example.com)' });
    expect(setFilterVerdict(null, 'x', 'sync.userFilter')).toEqual({ passed: true, detail: 'no set clause in sync.userFilter' });
  });
});
