/**
 * A SyncPlan is plain data: it can be printed, saved as JSON (`dirconn plan --output`), diffed and
 * applied later (`dirconn sync --plan`). Produced by the pure `plan()`, consumed by `apply()`.
 */
import type { SyncConfig } from '../config/config.js';
import type { DirectorySnapshot, ReadWarning } from '../model/directory.js';
import type { ImportRequest } from '../model/import-request.js';
import type { OrgSnapshot, OrgSubscription } from '../model/organization.js';
import type { SyncSource, SyncState } from '../model/state.js';
import type { SafetyOverride, SyncOverrides } from './overrides.js';

/** Where the import goes: part of the hash and of the plan's identity. */
export interface SyncTarget {
  apiUrl: string;
  organizationId: string;
}

/** The one-run overrides of a plan: see {@link SyncOverrides} (the name plan code used). */
export type PlanOverrides = SyncOverrides;

export interface PlanInput {
  snapshot: DirectorySnapshot;
  previous: SyncState;
  sync: SyncConfig;
  /** The live organization, or null when not read or not readable (Vaultwarden). */
  org: OrgSnapshot | null;
  /** Why `org` is null, for the output ("server has no read endpoints", "not requested"). */
  orgUnavailableReason?: string;
  target: SyncTarget;
  /**
   * The source this read came from (type + identity), saved with the state; a change since the last
   * sync is the source-changed check. Undefined: unknown (the check does not apply).
   */
  source?: SyncSource;
  now: Date;
  overrides?: SyncOverrides;
  /** Batch size for largeImport (2000; tests lower it). */
  batchSize?: number;
  /**
   * Compute `fingerprint` (default true). A plain `sync` turns it off: nothing compares its
   * fingerprints, and at 100k users they cost ~1 s and ~150 MB of transient text. A plan made without
   * them has `fingerprint.directory === ''` and is never accepted as a reviewed plan.
   */
  fingerprints?: boolean;
  /**
   * Reads the member ids of some organization groups (the org was read without them: `memberIds`
   * null). Called once with the groups this plan needs (see group-members-check.ts); required when
   * `org` has unread groups.
   */
  readGroupMembers?: (org: OrgSnapshot, groupIds: readonly string[]) => Promise<OrgSnapshot>;
  /**
   * Reads the organization's seats (null: not reported). Called only when the live plan invites
   * someone (the seat pre-check, seats-check.ts); absent: seats are not checked.
   */
  readSeats?: () => Promise<OrgSubscription | null>;
}

/** A normalised user as it will be sent (directory-side view; `dirconn test` output). */
export interface PlanUser {
  externalId: string;
  email: string;
  displayName: string;
  disabled: boolean;
  deleted: boolean;
  /** Why a deleted entry is sent as deleted: `directory` (tombstone), `disabled` (removeDisabled), `vanished`. */
  deletedReason?: 'directory' | 'disabled' | 'vanished';
}

/** A group after nested-group flattening. */
export interface PlanGroup {
  externalId: string;
  name: string;
  /** Flattened member user externalIds, in insertion order. */
  userExternalIds: string[];
  /**
   * ExternalIds of the direct child groups found in the read (list order); absent when there are
   * none. Informational (`dirconn explain` nesting paths); not sent to the server.
   */
  childGroupExternalIds?: string[];
}

export type ChangeKind =
  | 'invite'
  | 'link'
  | 'remove'
  | 'group-create'
  | 'group-rename'
  | 'group-member-add'
  | 'group-member-remove'
  | 'email-change'
  | 'external-id-change'
  | 'skip';

/**
 * One thing the sync would do to the organization, with the reason.
 *
 * Group membership changes are aggregated: one `group-member-add` per group, and one
 * `group-member-remove` per group and reason, listing the members concerned in `members` (count in
 * `count`), instead of one change per membership (a 100k-user directory has ~500k memberships).
 */
export interface PlannedChange {
  kind: ChangeKind;
  /** User or group externalId concerned (the group's for group-level and membership changes). */
  externalId: string;
  email?: string;
  /** Group name (group and membership changes). */
  group?: string;
  /**
   * `group-member-add` / `group-member-remove`: the members added to or removed from `group`, by
   * email (lower-cased as sent for added directory users, as in the organization for removed members);
   * the externalId when no email is known, the organization-user id for an unknown member.
   */
  members?: string[];
  /** `group-member-add` / `group-member-remove`: how many members (`members.length`; kept when a report shortens `members`). */
  count?: number;
  reason: string;
}

export type SafetyRule =
  | 'max-removals'
  | 'empty-read'
  | 'user-count-drop'
  | 'group-count-drop'
  | 'duplicate-external-id'
  | 'incomplete-read'
  | 'overwrite-with-batches'
  | 'max-membership-removals'
  | 'empty-groups'
  | 'unresolved-members'
  | 'source-changed'
  | 'seats';

/** One group that loses members in this sync (membership-removal check, `dirconn plan`). */
export interface GroupMembershipLoss {
  externalId: string;
  name: string;
  /** Members before the sync (organization; the last sync's count without a readable organization). */
  before: number;
  /** Memberships lost (all of `before` when the group is emptied). */
  removed: number;
  /** The group goes from some members to none. */
  emptied: boolean;
}

export interface SafetyCheck {
  rule: SafetyRule;
  passed: boolean;
  message: string;
  /** What would let this failed check pass for one run (absent when no override can). */
  allow?: SafetyOverride;
  /** `allow` in the reference (CLI) wording, e.g. "--allow-removals 12": the fallback for plain-text faces. */
  override?: string;
}

export interface PlanSummary {
  usersInDirectory: number;
  groupsInDirectory: number;
  enabledUsers: number;
  disabledUsers: number;
  deletedUsers: number;
  invites: number;
  links: number;
  removals: number;
  groupCreates: number;
  groupRenames: number;
  membershipAdds: number;
  membershipRemovals: number;
  /** Member values of the directory's groups that match no user read (not synced; see the unresolved-members check). */
  unresolvedMembers: number;
  unchangedMembers: number;
  unchangedGroups: number;
  requests: number;
}

export interface SyncPlan {
  /** Plan file format version. */
  version: 1;
  createdAt: string;
  target: SyncTarget;
  /** `live`: changes computed against the organization read from the server; `directory-only` otherwise. */
  orgView: 'live' | 'directory-only';
  orgUnavailableReason?: string;
  readMode: DirectorySnapshot['mode'];
  users: PlanUser[];
  groups: PlanGroup[];
  changes: PlannedChange[];
  summary: PlanSummary;
  /** The exact requests that apply() will post, in order. */
  requests: ImportRequest[];
  /** Hash of the requests (reference rule). */
  hash: string;
  /** True when the hash equals the last successful sync's: apply() posts nothing. */
  unchanged: boolean;
  safety: {
    ok: boolean;
    removalLimit: number;
    /** Group memberships this sync may remove (see sync.maxMembershipRemovals). */
    membershipRemovalLimit: number;
    /** The groups that lose members, for the plan's output (largest loss first). */
    groupsLosingMembers: GroupMembershipLoss[];
    checks: SafetyCheck[];
  };
  warnings: ReadWarning[];
  /** Fingerprints used by `sync --plan` to refuse a stale plan (`directory` is '' when not computed, see PlanInput.fingerprints). */
  fingerprint: { directory: string; organization: string | null };
  /**
   * Sent groups whose members were not read from the organization because their directory members
   * did not change since the last sync (absent when every group was read; see group-members-check.ts).
   */
  groupMembersAssumed?: number;
  /** State to save after a successful apply. */
  nextState: SyncState;
}
