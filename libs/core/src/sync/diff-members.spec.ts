import { describe, expect, it } from '@jest/globals';
import type { OrgMember } from '../model/organization.js';
import { orgMember } from '../testing/index.js';
import { OWNER_PROTECTED_REASON, REMOVAL_REASONS } from './change-reasons.js';
import { diffMembers } from './diff-members.js';
import { indexOrgMembers } from './org-member-index.js';
import type { PlanUser } from './plan.types.js';

function planUser(name: string, spec: Partial<PlanUser> = {}): PlanUser {
  return { externalId: name, email: `${name}@example.com`, displayName: name, disabled: false, deleted: false, ...spec };
}
function diff(users: PlanUser[], members: OrgMember[], overwriteExisting = false) {
  return diffMembers({ users, overwriteExisting, members, index: indexOrgMembers(members) });
}

describe('diffMembers', () => {
  it('keeps, links, invites, and reports what the group step needs', () => {
    const members = [orgMember({ name: 'kept' }), orgMember({ name: 'byhand', externalId: null })];
    const result = diff([planUser('kept'), planUser('byhand'), planUser('new')], members);
    expect(result.changes.map((c) => [c.kind, c.externalId])).toEqual([
      ['link', 'byhand'],
      ['invite', 'new'],
    ]);
    expect(result.unchangedMembers).toBe(1);
    expect(result.linked.get('byhand')?.id).toBe('member-byhand');
    expect([...result.invited]).toEqual(['new']);
    expect(result.removals).toEqual([]);
  });

  it('removes deleted members before anything else but protects Owners', () => {
    const members = [orgMember({ name: 'owner', type: 0 }), orgMember({ name: 'admin', type: 1 }), orgMember({ name: 'stay' })];
    const users = [planUser('stay'), planUser('owner', { deleted: true, deletedReason: 'directory' }), planUser('admin', { deleted: true, deletedReason: 'vanished' })];
    const result = diff(users, members);
    expect(result.changes.map((c) => c.kind)).toEqual(['skip', 'remove']);
    expect(result.changes[0]?.reason.startsWith(OWNER_PROTECTED_REASON)).toBe(true);
    expect(result.removals).toEqual([result.changes[1]]);
    expect(result.removals[0]?.reason).toBe(`${REMOVAL_REASONS.vanished} (the member is an Admin)`);
    expect([...result.removedMemberIds]).toEqual(['member-admin']);
  });

  it('with overwriteExisting removes synced members not imported and warns about members without a master password', () => {
    const members = [orgMember({ name: 'stay' }), orgMember({ name: 'invited', status: 0 }), orgMember({ name: 'manual', externalId: null })];
    const result = diff([planUser('stay')], members, true);
    expect(result.removals.map((c) => [c.externalId, c.reason])).toEqual([['invited', REMOVAL_REASONS.overwrite]]);
    expect(result.warnings.map((w) => w.code)).toEqual(['overwrite-refused-by-server']);
  });

  it('tells an identity change from two directory entries competing for one email', () => {
    const members = [orgMember({ name: 'a', externalId: 'old-a' }), orgMember({ name: 'b' })];
    const result = diff([planUser('new-a', { email: 'a@example.com' }), planUser('b'), planUser('b2', { email: 'b@example.com' })], members);
    expect(result.changes.map((c) => [c.kind, c.externalId])).toEqual([
      ['external-id-change', 'new-a'],
      ['skip', 'b2'],
    ]);
    expect(result.invited.size).toBe(0);
  });

  it('reports duplicate externalIds in the organization and link conflicts as problems', () => {
    const members = [orgMember({ name: 'x' }), orgMember({ name: 'x2', externalId: 'x' }), orgMember({ name: 'y' }), orgMember({ name: 'loose', email: 'y@example.com', externalId: null })];
    const result = diff([planUser('x'), planUser('y')], members);
    expect(result.problems).toHaveLength(2);
    expect(result.problems[0]).toContain('organization members share externalIds');
    expect(result.problems[1]).toContain('a member without externalId would be linked to "y"');
  });
});
