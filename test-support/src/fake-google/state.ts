// The fake Google Workspace account: users, groups and memberships, seedable and mutable between
// reads (directory-apis.md §3). Test-only.

/** A user of the fake account. */
export interface FakeGoogleUser {
  /** Numeric string, like Google's. */
  id: string;
  primaryEmail: string;
  givenName: string;
  familyName: string;
  suspended: boolean;
  archived: boolean;
  isAdmin: boolean;
  orgUnitPath: string;
  /** Addresses (`emails`); Google lists the primary one; empty reproduces the reference's skip rule. */
  emails: { address: string; primary?: boolean }[];
  /** ISO time when deleted (then only `showDeleted=true` returns it), else null. */
  deletionTime: string | null;
}

/** How a group member is stored: by kind and key (email for users/groups/external). */
export type FakeGoogleMemberRef = { type: 'USER' | 'GROUP' | 'EXTERNAL'; email: string } | { type: 'CUSTOMER' };

/** A group of the fake account. */
export interface FakeGoogleGroup {
  id: string;
  email: string;
  name: string;
  members: FakeGoogleMemberRef[];
}

/** A user to seed: only the primary email is required. */
export interface FakeGoogleUserSeed {
  primaryEmail: string;
  id?: string;
  givenName?: string;
  familyName?: string;
  suspended?: boolean;
  archived?: boolean;
  isAdmin?: boolean;
  /** Default `/`. */
  orgUnitPath?: string;
  /** Default: the primary address. */
  emails?: { address: string; primary?: boolean }[];
  /** Seed the user as deleted. */
  deleted?: boolean;
}

/**
 * A group to seed. Members: a user's or group's email, `CUSTOMER` (the whole account), or
 * `external:<email>` for an address outside the account.
 */
export interface FakeGoogleGroupSeed {
  email: string;
  name: string;
  id?: string;
  members?: string[];
}

/** A whole account to seed. */
export interface FakeGoogleSeed {
  /** Default `C0fake000`. */
  customerId?: string;
  /** Domains of the account, the primary first. Default: the domains of the users' emails. */
  domains?: string[];
  users?: FakeGoogleUserSeed[];
  groups?: FakeGoogleGroupSeed[];
}

/** The account: plain data, mutated by tests between syncs. */
export class FakeGoogleState {
  customerId: string;
  readonly domains: string[];
  readonly users: FakeGoogleUser[] = [];
  readonly groups: FakeGoogleGroup[] = [];
  /** Indexes (benches hold 50k users): id and primary email → user; id and email → group. */
  readonly #usersById = new Map<string, FakeGoogleUser>();
  readonly #usersByEmail = new Map<string, FakeGoogleUser>();
  readonly #groupsByKey = new Map<string, FakeGoogleGroup>();
  #nextUser = 100_000_000_000_000_000_001n;
  #nextGroup = 1;
  /** Source of `deletionTime`. */
  readonly #now: () => number;

  constructor(seed: FakeGoogleSeed = {}, now: () => number = Date.now) {
    this.#now = now;
    this.customerId = seed.customerId ?? 'C0fake000';
    const fromUsers = (seed.users ?? []).map((u) => domainOf(u.primaryEmail));
    this.domains = [...new Set([...(seed.domains ?? []), ...fromUsers])];
    for (const u of seed.users ?? []) this.addUser(u);
    for (const g of seed.groups ?? []) this.addGroup(g);
  }

  /** Adds a user; returns it. */
  addUser(seed: FakeGoogleUserSeed): FakeGoogleUser {
    const email = seed.primaryEmail.toLowerCase();
    const [local = email] = email.split('@');
    const user: FakeGoogleUser = {
      id: seed.id ?? String(this.#nextUser++),
      primaryEmail: email,
      givenName: seed.givenName ?? capitalise(local.split('.')[0] ?? local),
      familyName: seed.familyName ?? capitalise(local.split('.')[1] ?? 'User'),
      suspended: seed.suspended ?? false,
      archived: seed.archived ?? false,
      isAdmin: seed.isAdmin ?? false,
      orgUnitPath: seed.orgUnitPath ?? '/',
      emails: seed.emails ?? [{ address: email, primary: true }],
      deletionTime: seed.deleted ? new Date(this.#now()).toISOString() : null,
    };
    if (!this.domains.includes(domainOf(email))) this.domains.push(domainOf(email));
    this.users.push(user);
    this.#usersById.set(user.id, user);
    this.#usersByEmail.set(user.primaryEmail, user);
    return user;
  }

  /** Adds a group; returns it. */
  addGroup(seed: FakeGoogleGroupSeed): FakeGoogleGroup {
    const group: FakeGoogleGroup = {
      id: seed.id ?? `0${(this.#nextGroup++).toString(36).padStart(14, '0')}`,
      email: seed.email.toLowerCase(),
      name: seed.name,
      members: (seed.members ?? []).map((m) => this.#memberRef(m)),
    };
    this.groups.push(group);
    this.#groupsByKey.set(group.id, group);
    this.#groupsByKey.set(group.email, group);
    return group;
  }

  /** A live (not deleted) user by email or id. */
  user(key: string): FakeGoogleUser | undefined {
    const k = key.toLowerCase();
    const indexed = this.#usersById.get(key) ?? this.#usersByEmail.get(k);
    if (indexed !== undefined && indexed.deletionTime === null && (indexed.id === key || indexed.primaryEmail === k)) return indexed;
    return this.users.find((u) => u.deletionTime === null && (u.id === key || u.primaryEmail === k || u.emails.some((e) => e.address.toLowerCase() === k)));
  }

  /** A group by email or id. */
  group(key: string): FakeGoogleGroup | undefined {
    const indexed = this.#groupsByKey.get(key) ?? this.#groupsByKey.get(key.toLowerCase());
    return indexed;
  }

  /** Changes a live user (suspend, archive, rename…); returns it. */
  updateUser(key: string, patch: Partial<Omit<FakeGoogleUser, 'id'>>): FakeGoogleUser {
    const user = this.#requireUser(key);
    this.#usersByEmail.delete(user.primaryEmail);
    Object.assign(user, patch);
    user.primaryEmail = user.primaryEmail.toLowerCase();
    this.#usersByEmail.set(user.primaryEmail, user);
    return user;
  }

  /** Deletes a user the way Google does: gone from lists and groups, visible with `showDeleted=true`. */
  deleteUser(key: string): FakeGoogleUser {
    const user = this.#requireUser(key);
    user.deletionTime = new Date(this.#now()).toISOString();
    for (const g of this.groups) g.members = g.members.filter((m) => !(m.type === 'USER' && m.email === user.primaryEmail));
    return user;
  }

  /** Adds a member (email, `CUSTOMER`, `external:<email>`) to a group. */
  addMember(groupKey: string, member: string): void {
    this.#requireGroup(groupKey).members.push(this.#memberRef(member));
  }

  /** Removes a member (by email, or `CUSTOMER`) from a group. */
  removeMember(groupKey: string, member: string): void {
    const group = this.#requireGroup(groupKey);
    const key = member.toLowerCase();
    group.members = group.members.filter((m) => (m.type === 'CUSTOMER' ? key !== 'customer' : m.email !== key.replace(/^external:/, '')));
  }

  /** Removes a group. */
  removeGroup(groupKey: string): void {
    const group = this.#requireGroup(groupKey);
    this.groups.splice(this.groups.indexOf(group), 1);
    this.#groupsByKey.delete(group.id);
    this.#groupsByKey.delete(group.email);
    for (const g of this.groups) g.members = g.members.filter((m) => !(m.type === 'GROUP' && m.email === group.email));
  }

  #memberRef(member: string): FakeGoogleMemberRef {
    if (member.toUpperCase() === 'CUSTOMER') return { type: 'CUSTOMER' };
    if (member.toLowerCase().startsWith('external:')) return { type: 'EXTERNAL', email: member.slice('external:'.length).toLowerCase() };
    const email = member.toLowerCase();
    if (this.#groupsByKey.has(email)) return { type: 'GROUP', email };
    if (this.#usersByEmail.has(email)) return { type: 'USER', email };
    throw new Error(`fake Google: no user or group ${member} to add as a member (seed groups after their child groups)`);
  }

  #requireUser(key: string): FakeGoogleUser {
    const user = this.user(key);
    if (!user) throw new Error(`fake Google: no user ${key}`);
    return user;
  }

  #requireGroup(key: string): FakeGoogleGroup {
    const group = this.group(key);
    if (!group) throw new Error(`fake Google: no group ${key}`);
    return group;
  }
}

/** The domain part of an email, lower-cased. */
export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
