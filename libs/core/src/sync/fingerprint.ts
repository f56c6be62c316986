/**
 * Fingerprints of the directory side and of the organization as read, so `sync --plan` can refuse a
 * saved plan that no longer matches either.
 */
import type { OrgSnapshot } from '../model/organization.js';
import { sha256Base64OfPieces } from './hash.js';
import type { PlanGroup, PlanUser } from './plan.types.js';

/**
 * Hash of a canonical (sorted, order-independent) form of what would be sent: users by externalId and
 * groups by externalId with sorted members. Used by `sync --plan` to refuse a stale plan.
 */
export async function directoryFingerprint(users: readonly PlanUser[], groups: readonly PlanGroup[]): Promise<string> {
  // One JSON line per entry, sorted by the native (UTF-16 code unit) order: deterministic and fast.
  const userLines = users.map((u) => JSON.stringify([u.externalId, u.email, u.disabled, u.deleted, u.deletedReason ?? null])).sort();
  const groupLines = groups.map((g) => JSON.stringify([g.externalId, g.name, [...g.userExternalIds].sort()])).sort();
  // = sha256Base64(`users\n${userLines.join('\n')}\ngroups\n${groupLines.join('\n')}`), without the joined text.
  return sha256Base64OfPieces(['users\n', userLines, '\ngroups\n', groupLines]);
}

/** Hash of a canonical form of the organization's members and groups (order-independent). */
export async function organizationFingerprint(org: OrgSnapshot): Promise<string> {
  const memberLines = org.members.map((m) => JSON.stringify([m.id, m.email, m.externalId, m.type, m.status])).sort();
  const groupLines = org.groups.map((g) => JSON.stringify([g.id, g.name, g.externalId, g.memberIds === null ? null : [...g.memberIds].sort()])).sort();
  return sha256Base64OfPieces(['members\n', memberLines, '\ngroups\n', groupLines]);
}
