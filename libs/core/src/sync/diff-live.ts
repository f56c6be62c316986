/**
 * The "live" organization diff: what an import would change, computed as the OFFICIAL server applies
 * it (bitwarden-api.md §4) against the organization as read. Members first (steps 1–5, see
 * diff-members.ts), then groups (step 6, see diff-groups.ts).
 */
import type { OrgSnapshot } from '../model/organization.js';
import { diffGroups } from './diff-groups.js';
import { diffMembers } from './diff-members.js';
import type { DiffContext, DiffResult } from './org-diff.types.js';
import { indexOrgMembers } from './org-member-index.js';

/** The official server's import, step by step (bitwarden-api.md §4), against the live organization. */
export function diffLive(context: DiffContext, org: OrgSnapshot): DiffResult {
  const { users, groups, overwriteExisting } = context;
  const index = indexOrgMembers(org.members);
  const members = diffMembers({ users, overwriteExisting, members: org.members, index });
  const groupDiff = diffGroups({ groups, users, orgGroups: org.groups, index, members });
  const changes = members.changes;
  // One by one: a spread of tens of thousands of changes could exceed the call stack.
  for (const change of groupDiff.changes) changes.push(change);
  return {
    changes,
    removals: members.removals,
    removalsUnknown: false,
    unchangedMembers: members.unchangedMembers,
    unchangedGroups: groupDiff.unchangedGroups,
    assumedGroups: groupDiff.assumedGroups,
    problems: [...members.problems, ...groupDiff.problems],
    warnings: members.warnings,
    membership: { losses: groupDiff.losses, currentMemberships: groupDiff.currentMemberships },
  };
}
