/**
 * The live organization as read through the public API (bitwarden-api.md §5). Null where the server
 * cannot report it (Vaultwarden answers 404): the plan then falls back to the directory-side view.
 */

/** Member status: -1 revoked, 0 invited, 1 accepted, 2 confirmed, 3 staged. */
export type MemberStatus = -1 | 0 | 1 | 2 | 3;
/** Member type: 0 owner, 1 admin, 2 user, 4 custom. */
export type MemberType = 0 | 1 | 2 | 4;

export interface OrgMember {
  /** Organization-user id (GUID). */
  id: string;
  email: string;
  externalId: string | null;
  type: MemberType;
  status: MemberStatus;
  name: string | null;
}

export interface OrgGroup {
  id: string;
  name: string;
  externalId: string | null;
  /**
   * Organization-user ids of the members; null when not read (a group whose directory members did not
   * change since the last sync, see sync/group-members-check.ts).
   */
  memberIds: string[] | null;
}

export interface OrgSnapshot {
  members: OrgMember[];
  groups: OrgGroup[];
}

/** Seats of a cloud organization (`GET /public/organization/subscription`). */
export interface OrgSubscription {
  /** Password Manager seats; null = unlimited. */
  seats: number | null;
  /** Autoscale ceiling; null = no limit. */
  maxAutoscaleSeats: number | null;
}
