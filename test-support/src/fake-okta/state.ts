// The fake Okta org's data: users (every status), groups (OKTA_GROUP, APP_GROUP, the BUILT_IN
// Everyone group) and memberships, with `lastUpdated` / `lastMembershipUpdated` kept on the fake's
// clock so delta reads can be tested. Seeds: the reference's fixture shape (reference §12.3) and a
// generated org for the bench. Test-only.

/** A stored user (the API shape). */
export interface FakeOktaUser {
  id: string;
  status: string;
  created: string;
  lastUpdated: string;
  profile: { login: string; email: string; firstName: string; lastName: string; [k: string]: string };
}

/** A stored group (the API shape). */
export interface FakeOktaGroup {
  id: string;
  type: 'OKTA_GROUP' | 'APP_GROUP' | 'BUILT_IN';
  created: string;
  lastUpdated: string;
  lastMembershipUpdated: string;
  objectClass: string[];
  profile: { name: string; description: string | null };
}

/** A seed: users by email with an optional status, groups by name with member emails. */
export interface FakeOktaSeed {
  users: { email: string; status?: string; firstName?: string; lastName?: string; department?: string }[];
  groups: { name: string; type?: FakeOktaGroup['type']; members: string[] }[];
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** See the module comment. */
export class FakeOktaState {
  readonly users: FakeOktaUser[] = [];
  readonly groups: FakeOktaGroup[] = [];
  /** Group id → member user ids. */
  readonly members = new Map<string, Set<string>>();
  readonly #index = new Map<string, FakeOktaUser>();
  #nextUser = 1;
  #nextGroup = 1;

  constructor(
    seed: FakeOktaSeed | undefined,
    private readonly now: () => number,
  ) {
    for (const u of seed?.users ?? []) this.addUser(u.email, u.status ?? 'ACTIVE', { firstName: u.firstName ?? u.email.split('@')[0] ?? 'x', lastName: u.lastName ?? 'Test', ...(u.department ? { department: u.department } : {}) });
    for (const g of seed?.groups ?? []) {
      const group = this.addGroup(g.name, g.type ?? 'OKTA_GROUP');
      for (const email of g.members) this.addMember(group.id, this.user(email)?.id ?? email);
    }
  }

  #time(): string {
    return new Date(this.now()).toISOString();
  }

  addUser(email: string, status = 'ACTIVE', profile: Partial<FakeOktaUser['profile']> = {}): FakeOktaUser {
    const time = this.#time();
    const user: FakeOktaUser = {
      id: `00u${pad(this.#nextUser++, 17)}`,
      status,
      created: time,
      lastUpdated: time,
      profile: { login: email, email, firstName: 'First', lastName: 'Last', ...profile },
    };
    this.users.push(user);
    this.#indexUser(user);
    return user;
  }

  addGroup(name: string, type: FakeOktaGroup['type'] = 'OKTA_GROUP'): FakeOktaGroup {
    const time = this.#time();
    const group: FakeOktaGroup = {
      id: `00g${pad(this.#nextGroup++, 17)}`,
      type,
      created: time,
      lastUpdated: time,
      lastMembershipUpdated: time,
      objectClass: [type === 'APP_GROUP' ? 'okta:windows_security_principal' : 'okta:user_group'],
      profile: { name, description: null },
    };
    this.groups.push(group);
    this.members.set(group.id, new Set());
    return group;
  }

  #indexUser(user: FakeOktaUser): void {
    this.#index.set(user.id, user);
    this.#index.set(user.profile.login.toLowerCase(), user);
    this.#index.set(user.profile.email.toLowerCase(), user);
  }

  /** A user by id, login or email. */
  user(key: string): FakeOktaUser | undefined {
    return this.#index.get(key) ?? this.#index.get(key.toLowerCase());
  }

  group(key: string): FakeOktaGroup | undefined {
    return this.groups.find((g) => g.id === key || g.profile.name === key);
  }

  /** Changes a user (status, profile) and bumps its lastUpdated. Throws for unknown users. */
  updateUser(key: string, change: { status?: string; profile?: Partial<FakeOktaUser['profile']> }): FakeOktaUser {
    const user = this.user(key);
    if (!user) throw new Error(`fake okta: no user ${key}`);
    if (change.status) user.status = change.status;
    if (change.profile) Object.assign(user.profile, change.profile);
    this.#indexUser(user);
    user.lastUpdated = this.#time();
    return user;
  }

  /** Removes a user for good (Okta's delete after deprovisioning). */
  deleteUser(key: string): void {
    const user = this.user(key);
    if (!user) return;
    this.users.splice(this.users.indexOf(user), 1);
    for (const [k, v] of this.#index) if (v === user) this.#index.delete(k);
    for (const [groupId, set] of this.members) if (set.delete(user.id)) this.#touchMembership(groupId);
  }

  addMember(groupKey: string, userKey: string): void {
    const group = this.group(groupKey);
    const user = this.user(userKey);
    if (!group || !user) throw new Error(`fake okta: no group ${groupKey} or user ${userKey}`);
    this.members.get(group.id)?.add(user.id);
    this.#touchMembership(group.id);
  }

  removeMember(groupKey: string, userKey: string): void {
    const group = this.group(groupKey);
    const user = this.user(userKey);
    if (group && user && this.members.get(group.id)?.delete(user.id)) this.#touchMembership(group.id);
  }

  #touchMembership(groupId: string): void {
    const group = this.groups.find((g) => g.id === groupId);
    if (group) group.lastMembershipUpdated = this.#time();
  }

  /** Members of a group as user objects; the BUILT_IN Everyone group holds every user that is not deprovisioned. */
  membersOf(group: FakeOktaGroup): FakeOktaUser[] {
    if (group.type === 'BUILT_IN') return this.users.filter((u) => u.status !== 'DEPROVISIONED');
    const ids = [...(this.members.get(group.id) ?? [])].sort();
    return ids.map((id) => this.#index.get(id)).filter((u): u is FakeOktaUser => u !== undefined);
  }

  /** Groups a user is a direct member of (Everyone included). */
  groupsOf(user: FakeOktaUser): FakeOktaGroup[] {
    return this.groups.filter((g) => this.membersOf(g).includes(user));
  }
}

/**
 * The reference's live-tenant shape (reference §12.3): 5 users; groups Everyone (5), Group A (2),
 * Group B (3), Okta Administrators (0); plus one user per remaining status outside every group, and
 * an APP_GROUP.
 */
export function oktaReferenceSeed(): FakeOktaSeed {
  return {
    users: [
      { email: 'user1@example.com', lastName: 'Smith' },
      { email: 'user2@example.com' },
      { email: 'user3@example.com', status: 'SUSPENDED' },
      { email: 'user4@example.com', status: 'LOCKED_OUT' },
      { email: 'user5@example.com', lastName: 'Smith', department: 'Sales' },
    ],
    groups: [
      { name: 'Everyone', type: 'BUILT_IN', members: [] },
      { name: 'Group A', members: ['user1@example.com', 'user2@example.com'] },
      { name: 'Group B', members: ['user2@example.com', 'user3@example.com', 'user4@example.com'] },
      { name: 'Okta Administrators', members: [] },
    ],
  };
}

/** Every status once (users outside any group), for mapping tests. */
export function oktaStatusSeed(): FakeOktaSeed {
  const statuses = ['STAGED', 'PROVISIONED', 'ACTIVE', 'RECOVERY', 'LOCKED_OUT', 'PASSWORD_EXPIRED', 'SUSPENDED', 'DEPROVISIONED'];
  return { users: statuses.map((s) => ({ email: `${s.toLowerCase()}@example.com`, status: s })), groups: [{ name: 'Everyone', type: 'BUILT_IN', members: [] }, { name: 'App Users', type: 'APP_GROUP', members: ['active@example.com'] }] };
}

/** A generated org for benches: `users` users (1 % suspended, 1 % deprovisioned), `groups` groups of ~`perGroup` members. */
export function oktaGeneratedSeed(users: number, groups: number, perGroup = 20): FakeOktaSeed {
  const list: FakeOktaSeed['users'] = [];
  for (let i = 0; i < users; i++) list.push({ email: `user${pad(i, 6)}@bench.example`, status: i % 100 === 7 ? 'SUSPENDED' : i % 100 === 13 ? 'DEPROVISIONED' : 'ACTIVE' });
  const groupList: FakeOktaSeed['groups'] = [];
  for (let g = 0; g < groups; g++) {
    const members: string[] = [];
    for (let k = 0; k < perGroup && users > 0; k++) members.push(`user${pad((g * 7 + k * 131) % users, 6)}@bench.example`);
    groupList.push({ name: `Group ${pad(g, 5)}`, type: g % 10 === 9 ? 'APP_GROUP' : 'OKTA_GROUP', members: [...new Set(members)] });
  }
  return { users: list, groups: groupList };
}
