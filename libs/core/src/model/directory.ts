/**
 * What a directory provider returns: users and groups in a source-neutral shape.
 * Providers map their native entries into these; core normalises, filters and plans.
 */

/** A user as read from the directory. */
export interface DirectoryUser {
  /** Stable id sent to Bitwarden (objectGUID text, entryUUID, cloud id; DN only as the reference's fallback). */
  externalId: string;
  /** Source-native id used to resolve group membership (LDAP: the DN as returned by the server). */
  referenceId: string;
  /** Email as read (core trims and lower-cases); null when the entry has none. */
  email: string | null;
  /** Account disabled in the directory (AD userAccountControl bit 2, Entra accountEnabled=false…). */
  disabled: boolean;
  /** Deleted in the directory (AD tombstone, Okta DEPROVISIONED…). */
  deleted: boolean;
  /**
   * A deleted entry the source could not place inside the configured user scope (an AD tombstone
   * whose last parent is outside `sync.userPath`: AD lists every deleted object of the domain). Core
   * sends it only when it was synced before (issue #9 item 4: Vaultwarden revokes by email).
   */
  outsideUserScope?: boolean;
  /** Human label for output (cn/displayName); never used for matching. */
  displayName?: string;
  /** Lower-cased login name used to resolve `memberUid`-style membership (LDAP `uid`). */
  uid?: string;
}

/** A group as read from the directory, before nested groups are flattened. */
export interface DirectoryGroup {
  externalId: string;
  referenceId: string;
  name: string;
  /** Direct user members, by user externalId. */
  userMemberExternalIds: string[];
  /** Direct child groups, by group referenceId (flattened by core; unknown references contribute nothing). */
  groupMemberReferenceIds: string[];
}

/** A non-fatal observation made during a read, shown to the admin. */
export interface ReadWarning {
  code: string;
  message: string;
}

/**
 * The complete result of one directory read. A provider returns this or throws: it never returns a
 * partial list (ARCHITECTURE.md, "fail closed").
 */
export interface DirectorySnapshot {
  /** Users read, or null when user sync is off. */
  users: DirectoryUser[] | null;
  /** Groups read, or null when group sync is off. */
  groups: DirectoryGroup[] | null;
  /**
   * `full`: every in-scope object was read, so absence means "gone" (vanished-user detection allowed).
   * `delta`: only objects changed since the cursor; absence means nothing.
   */
  mode: 'full' | 'delta';
  /** Opaque, JSON-serialisable cursor to store after a successful sync and pass back as `since`. */
  cursor?: unknown;
  /**
   * Parts of the scope this read did not see, one line each naming where they are (LDAP continuation
   * references not followed with `ldap.followReferrals` off, or a second referral hop). Absence from
   * such a read does not mean "gone": core removes nobody as vanished, keeps the lists of synced
   * members, refuses `sync.overwriteExisting`, and says why (issue #9 item 6). Absent or empty: the
   * read saw everything in scope.
   */
  skipped?: string[];
  /**
   * How the groups' member values resolved (sources that resolve references themselves, e.g. LDAP
   * member DNs against the users read): `resolved` matched a user or group read, `unresolved` matched
   * nothing and is not synced. Absent when the source cannot tell. Most unresolved stops the run
   * (issue #9 item 1: an empty user index empties every group).
   */
  memberResolution?: { resolved: number; unresolved: number };
  warnings: ReadWarning[];
  /** Counters for benchmarks and reports (searches run, entries read, pages…). */
  stats: Record<string, number>;
}

/** Progress events emitted during long reads (printed on stderr by the CLI). */
export interface ReadProgress {
  phase: string;
  count: number;
  total?: number;
}

/** Options for one directory read. */
export interface ReadOptions {
  /** Ignore every delta mechanism and read everything. */
  force: boolean;
  /** Cursor returned by the last successful read (undefined on a first or forced run). */
  since?: unknown;
  /** Read users (sync.users). */
  users: boolean;
  /** Read groups (sync.groups). */
  groups: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ReadProgress) => void;
}

/** The port every directory source implements. */
export interface DirectoryProvider {
  /** Short id of the source type (`ldap`, `sample`, …). */
  readonly type: string;
  /** Read users and groups. Throws a DirconnError on any failure, including one page failing halfway. */
  read(options: ReadOptions): Promise<DirectorySnapshot>;
  /** Optional: check connectivity and credentials without a full read. */
  check?(signal?: AbortSignal): Promise<void>;
  /**
   * Optional: check that configured locations exist (LDAP base DN, user/group paths). Returns one
   * problem per bad key (`ldap.rootPath`, `sync.userPath`…) or an empty list.
   */
  verifyLocations?(signal?: AbortSignal): Promise<{ key: string; message: string }[]>;
  /** Optional: explain why one user (by email, uid, DN or externalId) is or is not in scope. */
  explain?(query: string, signal?: AbortSignal): Promise<ProviderExplanation>;
}

/** The source's side of `dirconn explain`: which path, filter and attributes decide the user's fate. */
export interface ProviderExplanation {
  /** Whether an entry matching the query exists anywhere the bind account can see. */
  found: boolean;
  /** Entry identity (DN…) when found. */
  referenceId?: string;
  /** Ordered facts, each passed or failed, e.g. {check: 'inside sync.userPath', passed: true, detail: 'ou=People,dc=…'}. */
  checks: { check: string; passed: boolean; detail: string }[];
  /** The user as it would be mapped, when in scope. */
  user?: DirectoryUser;
}
