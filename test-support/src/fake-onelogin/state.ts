// The fake OneLogin account's data: users (integer ids, status codes 0–8, some without an
// email-shaped `email`), roles and role assignments. Seeds: the reference's fixture shape
// (reference §12.3: numeric ids, one role with 4 users of whom one is suspended) and a generated
// account for the bench. Test-only.

/** A stored user (the API v2 shape, the fields dirconn reads plus a few more). */
export interface FakeOneLoginUser {
  id: number;
  email: string;
  username: string;
  firstname: string;
  lastname: string;
  /** 0 Unactivated, 1 Active, 2 Suspended, 3 Locked, 4 Password expired, 5 Awaiting password reset, 7 Password pending, 8 Security questions required. */
  status: number;
  state: number;
  directory_id: number | null;
  external_id: string | null;
  created_at: string;
  updated_at: string;
}

/** A stored role. */
export interface FakeOneLoginRole {
  id: number;
  name: string;
}

/** A seed: users by email (or username when `email` is not an address) and roles by name with member keys. */
export interface FakeOneLoginSeed {
  users: { email: string; username?: string; status?: number; firstname?: string; lastname?: string; directoryId?: number }[];
  roles: { name: string; members: string[] }[];
}

/** See the module comment. */
export class FakeOneLoginState {
  readonly users: FakeOneLoginUser[] = [];
  readonly roles: FakeOneLoginRole[] = [];
  /** Role id → user ids. */
  readonly members = new Map<number, Set<number>>();
  #nextUser = 27_001;
  #nextRole = 310_001;

  constructor(
    seed: FakeOneLoginSeed | undefined,
    private readonly now: () => number,
  ) {
    for (const u of seed?.users ?? []) {
      const local = (u.username ?? u.email).split('@')[0] ?? 'x';
      this.addUser({ email: u.email, username: u.username ?? u.email, status: u.status ?? 1, firstname: u.firstname ?? local, lastname: u.lastname ?? 'Test', directory_id: u.directoryId ?? null });
    }
    for (const r of seed?.roles ?? []) {
      const role = this.addRole(r.name);
      for (const key of r.members) this.assign(role.name, key);
    }
  }

  #time(): string {
    return new Date(this.now()).toISOString();
  }

  addUser(fields: Partial<Omit<FakeOneLoginUser, 'id'>> & { email: string }): FakeOneLoginUser {
    const time = this.#time();
    const user: FakeOneLoginUser = {
      id: this.#nextUser++,
      username: fields.email,
      firstname: 'First',
      lastname: 'Last',
      status: 1,
      state: 1,
      directory_id: null,
      external_id: null,
      created_at: time,
      updated_at: time,
      ...fields,
    };
    this.users.push(user);
    return user;
  }

  addRole(name: string): FakeOneLoginRole {
    const role: FakeOneLoginRole = { id: this.#nextRole++, name };
    this.roles.push(role);
    this.members.set(role.id, new Set());
    return role;
  }

  /** A user by id, email or username. */
  user(key: string | number): FakeOneLoginUser | undefined {
    if (typeof key === 'number') return this.users.find((u) => u.id === key);
    const lower = key.toLowerCase();
    return this.users.find((u) => String(u.id) === key || u.email.toLowerCase() === lower || u.username.toLowerCase() === lower);
  }

  role(name: string): FakeOneLoginRole | undefined {
    return this.roles.find((r) => r.name === name || String(r.id) === name);
  }

  /** Gives a user (id, email or username) a role (by name). */
  assign(roleName: string, userKey: string | number): void {
    const role = this.role(roleName);
    const user = this.user(userKey);
    if (!role || !user) throw new Error(`fake OneLogin: no role ${roleName} or user ${String(userKey)}`);
    this.members.get(role.id)?.add(user.id);
  }

  unassign(roleName: string, userKey: string | number): void {
    const role = this.role(roleName);
    const user = this.user(userKey);
    if (role && user) this.members.get(role.id)?.delete(user.id);
  }

  updateUser(key: string | number, fields: Partial<Omit<FakeOneLoginUser, 'id'>>): FakeOneLoginUser {
    const user = this.user(key);
    if (!user) throw new Error(`fake OneLogin: no user ${String(key)}`);
    Object.assign(user, fields, { updated_at: this.#time() });
    return user;
  }

  /** Deletes a user: it vanishes from every list (OneLogin has no tombstones). */
  deleteUser(key: string | number): void {
    const user = this.user(key);
    if (!user) throw new Error(`fake OneLogin: no user ${String(key)}`);
    this.users.splice(this.users.indexOf(user), 1);
    for (const set of this.members.values()) set.delete(user.id);
  }

  /** The users holding a role, in id order. */
  membersOf(role: FakeOneLoginRole): FakeOneLoginUser[] {
    const ids = this.members.get(role.id) ?? new Set<number>();
    return this.users.filter((u) => ids.has(u.id));
  }
}

/**
 * The reference's fixture shape (§12.3) plus the email fallbacks: user1–5@example.com, user3
 * suspended; user6 has a non-address `email` and an address as username; user7 has neither (only a
 * suffix can give it one). Roles: "Role A" (user1–4), "Role B" (user2, user5), "Empty Role".
 */
export function oneLoginReferenceSeed(): FakeOneLoginSeed {
  return {
    users: [
      { email: 'user1@example.com', firstname: 'Alice' },
      { email: 'user2@example.com', firstname: 'Bob' },
      { email: 'user3@example.com', firstname: 'Carol', status: 2 },
      { email: 'user4@example.com', firstname: 'Dave' },
      { email: 'user5@example.com', firstname: 'Erin', directoryId: 7 },
      { email: 'user6 at example', username: 'user6@example.com', firstname: 'Frank' },
      { email: '', username: 'user7', firstname: 'Grace' },
    ],
    roles: [
      { name: 'Role A', members: ['user1@example.com', 'user2@example.com', 'user3@example.com', 'user4@example.com'] },
      { name: 'Role B', members: ['user2@example.com', 'user5@example.com'] },
      { name: 'Empty Role', members: [] },
    ],
  };
}

/** One user per status code, each in role "Everyone" (status tests). */
export function oneLoginStatusSeed(): FakeOneLoginSeed {
  const statuses = [0, 1, 2, 3, 4, 5, 7, 8];
  const users = statuses.map((status) => ({ email: `status${status}@example.com`, status }));
  return { users, roles: [{ name: 'Everyone', members: users.map((u) => u.email) }] };
}

/** A generated account: `users` users (1 % suspended) and `roles` roles of `membersPerRole` users each. */
export function oneLoginGeneratedSeed(users: number, roles: number, membersPerRole: number): FakeOneLoginSeed {
  const seedUsers = Array.from({ length: users }, (_, i) => ({ email: `user${String(i).padStart(6, '0')}@example.com`, status: i % 100 === 99 ? 2 : 1 }));
  const seedRoles = Array.from({ length: roles }, (_, r) => ({
    name: `Role ${String(r).padStart(5, '0')}`,
    members: users === 0 ? [] : Array.from({ length: Math.min(membersPerRole, users) }, (_, m) => seedUsers[(r * membersPerRole + m) % users]?.email ?? ''),
  }));
  return { users: seedUsers, roles: seedRoles };
}
