import { describe, expect, it } from '@jest/globals';
import { emailOf, GroupDeltaMerger, isGuest, mapGroup, mapUser, splitMembers } from './entra.mapping.js';

describe('Entra user mapping (reference §6.2, directory-apis.md §2.5)', () => {
  it('uses mail, lower-cased and trimmed, with id as externalId and referenceId', () => {
    expect(mapUser({ id: 'u1', mail: ' Mia.Lund@Example.org ', userPrincipalName: 'mia@contoso.onmicrosoft.com', displayName: 'Mia Lund', accountEnabled: true })).toEqual({
      user: { externalId: 'u1', referenceId: 'u1', email: 'mia.lund@example.org', disabled: false, deleted: false, displayName: 'Mia Lund' },
    });
  });

  it('falls back to the UPN when mail is empty, null or an onmicrosoft.com address', () => {
    expect(emailOf({ mail: null, userPrincipalName: 'Ann@Contoso.com' })).toBe('ann@contoso.com');
    expect(emailOf({ mail: '  ', userPrincipalName: 'ann@contoso.com' })).toBe('ann@contoso.com');
    expect(emailOf({ mail: 'ann@contoso.onmicrosoft.com', userPrincipalName: 'ann@contoso.com' })).toBe('ann@contoso.com');
    expect(emailOf({ mail: 'ann@contoso.onmicrosoft.com', userPrincipalName: null })).toBe('ann@contoso.onmicrosoft.com');
    expect(emailOf({})).toBeNull();
  });

  it('accountEnabled=false → disabled; missing → enabled', () => {
    expect(mapUser({ id: 'u1', mail: 'a@x.com', accountEnabled: false }).user).toMatchObject({ disabled: true, deleted: false });
    expect(mapUser({ id: 'u1', mail: 'a@x.com' }).user).toMatchObject({ disabled: false });
    expect(mapUser({ id: 'u1', mail: 'a@x.com', accountEnabled: null }).user).toMatchObject({ disabled: false });
  });

  it('skips enabled users without email and guests known only by their #EXT# UPN, as the reference does', () => {
    expect(mapUser({ id: 'u1', accountEnabled: true, displayName: 'No Mail' })).toEqual({ skipped: 'no-email', id: 'u1', label: 'No Mail' });
    const guest = { id: 'u2', mail: null, userPrincipalName: 'ext_gmail.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest', accountEnabled: true };
    expect(mapUser(guest)).toEqual({ skipped: 'guest-without-mail', id: 'u2', label: 'ext_gmail.com#EXT#@contoso.onmicrosoft.com' });
    expect(isGuest(guest)).toBe(true);
  });

  it('keeps guests that have a mail address (they are invited by it)', () => {
    const guest = { id: 'u3', mail: 'Partner@Gmail.com', userPrincipalName: 'partner_gmail.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest', accountEnabled: true };
    expect(mapUser(guest).user).toMatchObject({ email: 'partner@gmail.com', disabled: false });
    expect(isGuest({ userType: 'Member', userPrincipalName: 'a@contoso.com' })).toBe(false);
  });

  it('keeps disabled users without email (core names them) instead of skipping them', () => {
    expect(mapUser({ id: 'u4', accountEnabled: false }).user).toEqual({ externalId: 'u4', referenceId: 'u4', email: null, disabled: true, deleted: false });
  });

  it('maps delta tombstones of both reasons to deleted users, even with only an id', () => {
    expect(mapUser({ id: 'u5', '@removed': { reason: 'changed' } }).user).toEqual({ externalId: 'u5', referenceId: 'u5', email: null, disabled: false, deleted: true });
    expect(mapUser({ id: 'u6', '@removed': { reason: 'deleted' }, mail: 'gone@x.com' }).user).toMatchObject({ email: 'gone@x.com', deleted: true });
  });
});

describe('Entra group mapping', () => {
  it('splits members by @odata.type: users, child groups; devices, contacts, service principals ignored', () => {
    const members = [
      { '@odata.type': '#microsoft.graph.user', id: 'u1' },
      { '@odata.type': '#microsoft.graph.group', id: 'g2' },
      { '@odata.type': '#microsoft.graph.device', id: 'd1' },
      { '@odata.type': '#microsoft.graph.orgContact', id: 'c1' },
      { '@odata.type': '#microsoft.graph.servicePrincipal', id: 's1' },
      { id: 'untyped' },
      { '@odata.type': '#microsoft.graph.user', id: 'u1' },
    ];
    expect(splitMembers(members)).toEqual({ users: ['u1'], groups: ['g2'], ignored: 4 });
    expect(mapGroup({ id: 'g1', displayName: ' Integration Testing Group A ' }, members)).toEqual({
      group: { externalId: 'g1', referenceId: 'g1', name: 'Integration Testing Group A', userMemberExternalIds: ['u1'], groupMemberReferenceIds: ['g2'] },
      ignoredMembers: 4,
    });
  });

  it('merges a group split over delta pages and drops removed members and groups', () => {
    const merger = new GroupDeltaMerger();
    merger.add({ id: 'g1', displayName: 'Big', 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'u1' }] });
    merger.add({ id: 'g2', displayName: 'Gone' });
    merger.add({ id: 'g1', 'members@delta': [{ '@odata.type': '#microsoft.graph.user', id: 'u2' }, { '@odata.type': '#microsoft.graph.user', id: 'u3', '@removed': { reason: 'deleted' } }] });
    merger.add({ id: 'g2', '@removed': { reason: 'deleted' } });
    const groups = merger.groups();
    expect(groups).toHaveLength(1);
    expect(groups[0]?.group).toEqual({ id: 'g1', displayName: 'Big' });
    expect(mapGroup(groups[0]!.group, groups[0]!.members).group.userMemberExternalIds).toEqual(['u1', 'u2']);
    expect(merger.removed()).toEqual(['g2']);
    expect(merger.size).toBe(2);
  });
});
