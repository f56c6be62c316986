// State of the fake Bitwarden server (bitwarden-api.md §8.3): organizations, members, groups,
// events, Vaultwarden user accounts, counters, and the settable clock. Plain data, mutated in
// place by the handlers and inspectable/seedable by tests through the control surface.

import { randomBytes, randomUUID } from 'node:crypto';

/** `bitwarden` = the official server (cloud or `selfHosted`); `vaultwarden` = Vaultwarden. */
export type FakeMode = 'bitwarden' | 'vaultwarden';

/** How the organization is billed (drives the §4 seat messages). */
export type FakeBilling = 'normal' | 'provider' | 'reseller' | 'cancelled';

/** Member type: 0 Owner, 1 Admin, 2 User, 4 Custom. */
export type FakeMemberType = 0 | 1 | 2 | 4;
/** Member status: -1 Revoked, 0 Invited, 1 Accepted, 2 Confirmed, 3 Staged. */
export type FakeMemberStatus = -1 | 0 | 1 | 2 | 3;

export interface FakeOrganization {
  id: string;
  name: string;
  /** The organization API key (client secret). */
  apiKey: string;
  enabled: boolean;
  useApi: boolean;
  useDirectory: boolean;
  useGroups: boolean;
  useEvents: boolean;
  /** Password Manager seats; null = unlimited. */
  seats: number | null;
  /** Autoscale ceiling; null = none. */
  maxAutoscaleSeats: number | null;
  selfHosted: boolean;
  /** Server flag `pm-34423-staged-status`. Default false. */
  stagedFlag: boolean;
  billing: FakeBilling;
  /** Vaultwarden: SMTP configured (invites sent, new members Invited). Default true. */
  smtpEnabled: boolean;
  /** Vaultwarden: `ORG_GROUPS_ENABLED`. Default false. */
  groupsEnabled: boolean;
  /** Vaultwarden: the API key row exists (created when an admin first views it). Default true. */
  apiKeyCreated: boolean;
}

/** Collection access as returned on single member/group reads. */
export interface FakeCollectionAccess {
  id: string;
  readOnly: boolean;
  hidePasswords: boolean;
  manage: boolean;
}

export interface FakeMember {
  /** Organization-user id. */
  id: string;
  orgId: string;
  /** Linked account; null while invited/staged. */
  userId: string | null;
  /** Lower-cased. */
  email: string;
  externalId: string | null;
  type: FakeMemberType;
  status: FakeMemberStatus;
  hasMasterPassword: boolean;
  name: string | null;
  twoFactorEnabled: boolean;
  resetPasswordEnrolled: boolean;
  ssoExternalId: string | null;
  collections: FakeCollectionAccess[];
  /** Custom members only. */
  permissions: Record<string, boolean> | null;
  /** Vaultwarden keeps the status under the revocation (status − 128); restore brings it back. */
  statusBeforeRevoke: Exclude<FakeMemberStatus, -1> | null;
}

export interface FakeGroup {
  id: string;
  orgId: string;
  name: string;
  externalId: string | null;
  /** Organization-user ids, without duplicates. */
  memberIds: string[];
  collections: FakeCollectionAccess[];
}

export interface FakeEvent {
  /** 1500 invited, 1523 staged, 1503 removed, 1400 group created, 1401 group updated. */
  type: number;
  orgId: string;
  memberId: string | null;
  groupId: string | null;
  /** ISO date per the fake clock. */
  date: string;
}

/** A Vaultwarden account (user), independent of memberships. */
export interface FakeUser {
  id: string;
  email: string;
  hasMasterPassword: boolean;
}

export interface FakeCounters {
  /** Invite emails "sent". */
  invitesSent: number;
  /** Seat autoscale events. */
  autoscales: number;
  /** Seats bought by autoscale, all organizations. */
  seatsAdded: number;
}

/** Organization fields a test may set when seeding. */
export type FakeOrganizationSeed = Partial<FakeOrganization>;
/** Member fields a test may set when seeding (email is required). */
export type FakeMemberSeed = Partial<Omit<FakeMember, 'orgId'>> & { email: string };
/** Group fields a test may set when seeding (name is required). */
export type FakeGroupSeed = Partial<Omit<FakeGroup, 'orgId'>> & { name: string };

/**
 * The fake's clock. Live by default (real time plus an offset); `set()` freezes it at a date,
 * `advance()` moves it forward (frozen or live), `live()` unfreezes.
 */
export class FakeServerClock {
  #offsetMs = 0;
  #frozenAt: number | null = null;

  constructor(start?: Date) {
    if (start !== undefined) this.#frozenAt = start.getTime();
  }

  /** Current fake time. */
  now(): Date {
    return new Date(this.#frozenAt ?? Date.now() + this.#offsetMs);
  }

  /** Freezes the clock at `date`. */
  set(date: Date | string): void {
    this.#frozenAt = new Date(date).getTime();
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    if (this.#frozenAt !== null) this.#frozenAt += ms;
    else this.#offsetMs += ms;
  }

  /** Lets the clock run again from its current value. */
  live(): void {
    if (this.#frozenAt !== null) this.#offsetMs = this.#frozenAt - Date.now();
    this.#frozenAt = null;
  }
}

/** A random organization API key (30 alphanumerics, like Bitwarden's). */
export function newApiKey(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(30), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** The whole mutable state. */
export class FakeBitwardenState {
  readonly organizations: FakeOrganization[] = [];
  readonly members: FakeMember[] = [];
  readonly groups: FakeGroup[] = [];
  readonly events: FakeEvent[] = [];
  readonly users: FakeUser[] = [];
  readonly counters: FakeCounters = { invitesSent: 0, autoscales: 0, seatsAdded: 0 };
  /** id → position in `members` / `groups` (see findMember). */
  readonly #memberIndex = new Map<string, number>();
  readonly #groupIndex = new Map<string, number>();

  constructor(readonly clock: FakeServerClock) {}

  /** Adds an organization with §8.3 defaults (enabled, API/directory/groups/events on, unlimited seats). */
  addOrganization(seed: FakeOrganizationSeed = {}): FakeOrganization {
    const org: FakeOrganization = {
      id: randomUUID(),
      name: 'Test Organization',
      apiKey: newApiKey(),
      enabled: true,
      useApi: true,
      useDirectory: true,
      useGroups: true,
      useEvents: true,
      seats: null,
      maxAutoscaleSeats: null,
      selfHosted: false,
      stagedFlag: false,
      billing: 'normal',
      smtpEnabled: true,
      groupsEnabled: false,
      apiKeyCreated: true,
      ...seed,
    };
    org.id = org.id.toLowerCase();
    this.organizations.push(org);
    return org;
  }

  /** The organization with this id (GUID compared case-insensitively), or undefined. */
  organization(id: string): FakeOrganization | undefined {
    const wanted = id.toLowerCase();
    return this.organizations.find((org) => org.id === wanted);
  }

  /** Adds a member. Defaults: confirmed User with an account and a master password. */
  addMember(orgId: string, seed: FakeMemberSeed): FakeMember {
    const status = seed.status ?? 2;
    const hasAccount = status === 1 || status === 2 || (status === -1 && (seed.statusBeforeRevoke ?? 2) > 0);
    const member: FakeMember = {
      id: randomUUID(),
      userId: hasAccount ? randomUUID() : null,
      externalId: null,
      type: 2,
      status,
      hasMasterPassword: hasAccount,
      name: null,
      twoFactorEnabled: false,
      resetPasswordEnrolled: false,
      ssoExternalId: null,
      collections: [],
      permissions: null,
      statusBeforeRevoke: status === -1 ? 2 : null,
      ...seed,
      orgId,
      email: seed.email.toLowerCase(),
    };
    this.members.push(member);
    if (member.userId !== null && !this.users.some((user) => user.email === member.email)) {
      this.users.push({ id: member.userId, email: member.email, hasMasterPassword: member.hasMasterPassword });
    }
    return member;
  }

  /** Adds a group. */
  addGroup(orgId: string, seed: FakeGroupSeed): FakeGroup {
    const group: FakeGroup = { id: randomUUID(), externalId: null, memberIds: [], collections: [], ...seed, orgId };
    group.memberIds = [...new Set(group.memberIds)];
    this.groups.push(group);
    return group;
  }

  /** Adds a Vaultwarden account without membership. */
  addUser(seed: Partial<FakeUser> & { email: string }): FakeUser {
    const user: FakeUser = { id: randomUUID(), hasMasterPassword: true, ...seed, email: seed.email.toLowerCase() };
    this.users.push(user);
    return user;
  }

  membersOf(orgId: string): FakeMember[] {
    return this.members.filter((member) => member.orgId === orgId);
  }

  groupsOf(orgId: string): FakeGroup[] {
    return this.groups.filter((group) => group.orgId === orgId);
  }

  eventsOf(orgId: string): FakeEvent[] {
    return this.events.filter((event) => event.orgId === orgId);
  }

  /**
   * The member with this (canonical) id in the organization, or undefined: `membersOf(orgId).find(id)`
   * without scanning every member on each call (an index by id, checked on every hit and rebuilt when
   * `members` was changed in place, so tests may still mutate the arrays freely).
   */
  findMember(orgId: string, id: string): FakeMember | undefined {
    return findIndexed(this.members, this.#memberIndex, orgId, id);
  }

  /** The group with this (canonical) id in the organization, or undefined (indexed like {@link findMember}). */
  findGroup(orgId: string, id: string): FakeGroup | undefined {
    return findIndexed(this.groups, this.#groupIndex, orgId, id);
  }

  /** Hard-removes a membership and drops it from every group. */
  removeMember(member: FakeMember): void {
    this.removeMembers([member]);
  }

  /** Hard-removes memberships and drops them from every group, in one pass over members and groups. */
  removeMembers(members: Iterable<FakeMember>): void {
    const gone = new Set(members);
    if (gone.size === 0) return;
    let kept = 0;
    for (const member of this.members) if (!gone.has(member)) this.members[kept++] = member;
    this.members.length = kept;
    const idsByOrg = new Map<string, Set<string>>();
    for (const member of gone) {
      let ids = idsByOrg.get(member.orgId);
      if (ids === undefined) idsByOrg.set(member.orgId, (ids = new Set()));
      ids.add(member.id);
    }
    for (const group of this.groups) {
      const ids = idsByOrg.get(group.orgId);
      if (ids !== undefined) group.memberIds = group.memberIds.filter((id) => !ids.has(id));
    }
  }

  /** Records an event at the fake clock's time. */
  logEvent(orgId: string, type: number, target: { memberId?: string; groupId?: string }): void {
    this.events.push({ type, orgId, memberId: target.memberId ?? null, groupId: target.groupId ?? null, date: this.clock.now().toISOString() });
  }

  /** A deep, JSON-safe copy of everything (for assertions and `--state-file`). */
  snapshot(): FakeStateSnapshot {
    return structuredClone({
      organizations: this.organizations,
      members: this.members,
      groups: this.groups,
      events: this.events,
      users: this.users,
      counters: this.counters,
    });
  }
}

/**
 * `list.find((e) => e.orgId === orgId && e.id === id)` through `index` (id → position of the first
 * entry with that id). A hit is used only when the entry at that position still has the id; otherwise
 * (entries added, removed or re-keyed in place) the index is rebuilt once. Ids are GUIDs, unique in
 * practice; an id shared across organizations falls back to the scan.
 */
function findIndexed<T extends { id: string; orgId: string }>(list: readonly T[], index: Map<string, number>, orgId: string, id: string): T | undefined {
  let at = index.get(id);
  let entry = at === undefined ? undefined : list[at];
  if (entry?.id !== id) {
    index.clear();
    list.forEach((e, i) => {
      if (!index.has(e.id)) index.set(e.id, i);
    });
    at = index.get(id);
    entry = at === undefined ? undefined : list[at];
  }
  if (entry === undefined) return undefined;
  return entry.orgId === orgId ? entry : list.find((e) => e.orgId === orgId && e.id === id);
}

/** A copy of the whole state. */
export interface FakeStateSnapshot {
  organizations: FakeOrganization[];
  members: FakeMember[];
  groups: FakeGroup[];
  events: FakeEvent[];
  users: FakeUser[];
  counters: FakeCounters;
}
