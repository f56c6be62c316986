// The data of the fake Entra tenant: users, groups (members: users, groups, devices), administrative
// units, with a change version per object so the fake can answer delta rounds
// (directory-apis.md §2.4). Seedable and mutable between syncs. Test-only.

import { randomUUID } from 'node:crypto';

export const USER_TYPE = '#microsoft.graph.user';
export const GROUP_TYPE = '#microsoft.graph.group';
export const DEVICE_TYPE = '#microsoft.graph.device';

/** A user to seed. */
export interface FakeEntraUserSeed {
  id?: string;
  displayName: string;
  userPrincipalName: string;
  mail?: string | null;
  accountEnabled?: boolean;
  userType?: 'Member' | 'Guest';
}

/** A group to seed; `members` are ids of users, groups or devices. */
export interface FakeEntraGroupSeed {
  id?: string;
  displayName: string;
  members?: string[];
}

/** An administrative unit to seed; `members` are group (or user) ids. */
export interface FakeEntraUnitSeed {
  id?: string;
  displayName: string;
  members: string[];
}

/** A user as stored. */
export interface FakeEntraUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
  mail: string | null;
  accountEnabled: boolean;
  userType: 'Member' | 'Guest';
  /** Version of the last change. */
  version: number;
  /** Set once deleted: `changed` = soft-deleted (restorable), `deleted` = gone for good. */
  removed: 'changed' | 'deleted' | null;
}

/** A group as stored. */
export interface FakeEntraGroup {
  id: string;
  displayName: string;
  members: string[];
  version: number;
  removed: boolean;
}

/** See the module comment. */
export class FakeEntraDirectory {
  /** Current change version; every change increments it. */
  version = 1;
  readonly users = new Map<string, FakeEntraUser>();
  readonly groups = new Map<string, FakeEntraGroup>();
  readonly units = new Map<string, { id: string; displayName: string; members: string[] }>();
  readonly devices = new Set<string>();

  addUser(seed: FakeEntraUserSeed): string {
    const id = (seed.id ?? randomUUID()).toLowerCase();
    this.users.set(id, {
      id,
      displayName: seed.displayName,
      userPrincipalName: seed.userPrincipalName,
      mail: seed.mail === undefined ? seed.userPrincipalName : seed.mail,
      accountEnabled: seed.accountEnabled ?? true,
      userType: seed.userType ?? 'Member',
      version: ++this.version,
      removed: null,
    });
    return id;
  }

  addGroup(seed: FakeEntraGroupSeed): string {
    const id = (seed.id ?? randomUUID()).toLowerCase();
    this.groups.set(id, { id, displayName: seed.displayName, members: [...(seed.members ?? [])].map((m) => m.toLowerCase()), version: ++this.version, removed: false });
    return id;
  }

  addUnit(seed: FakeEntraUnitSeed): string {
    const id = (seed.id ?? randomUUID()).toLowerCase();
    this.units.set(id, { id, displayName: seed.displayName, members: seed.members.map((m) => m.toLowerCase()) });
    return id;
  }

  addDevice(): string {
    const id = randomUUID();
    this.devices.add(id);
    return id;
  }

  /** Changes properties of a user (e.g. `{ accountEnabled: false }` to disable it). */
  updateUser(id: string, patch: Partial<Pick<FakeEntraUser, 'displayName' | 'mail' | 'userPrincipalName' | 'accountEnabled' | 'userType'>>): void {
    const user = this.liveUser(id);
    Object.assign(user, patch, { version: ++this.version });
  }

  /** Deletes a user (soft by default) and takes it out of every group, as Entra does. */
  deleteUser(id: string, reason: 'changed' | 'deleted' = 'changed'): void {
    const user = this.liveUser(id);
    user.removed = reason;
    user.version = ++this.version;
    for (const group of this.groups.values()) {
      if (!group.removed && group.members.includes(user.id)) this.setMembers(group.id, group.members.filter((m) => m !== user.id));
    }
  }

  setMembers(groupId: string, members: string[]): void {
    const group = this.groups.get(groupId.toLowerCase());
    if (group === undefined || group.removed) throw new Error(`fake Entra: no group ${groupId}`);
    group.members = members.map((m) => m.toLowerCase());
    group.version = ++this.version;
  }

  deleteGroup(groupId: string): void {
    const group = this.groups.get(groupId.toLowerCase());
    if (group === undefined) throw new Error(`fake Entra: no group ${groupId}`);
    group.removed = true;
    group.version = ++this.version;
  }

  liveUser(id: string): FakeEntraUser {
    const user = this.users.get(id.toLowerCase());
    if (user === undefined || user.removed !== null) throw new Error(`fake Entra: no user ${id}`);
    return user;
  }

  /** `@odata.type` of a directory object, or null when unknown or deleted. */
  typeOf(id: string): string | null {
    const user = this.users.get(id);
    if (user !== undefined) return user.removed === null ? USER_TYPE : null;
    const group = this.groups.get(id);
    if (group !== undefined) return group.removed ? null : GROUP_TYPE;
    return this.devices.has(id) ? DEVICE_TYPE : null;
  }

  /** Direct members that exist, with their type. */
  membersOf(groupId: string): { id: string; type: string }[] {
    const group = this.groups.get(groupId);
    if (group === undefined || group.removed) return [];
    const out: { id: string; type: string }[] = [];
    for (const id of group.members) {
      const type = this.typeOf(id);
      if (type !== null) out.push({ id, type });
    }
    return out;
  }

  /** Every member of the group's tree (users, groups, devices), de-duplicated; cycles are safe. */
  transitiveMembersOf(groupId: string): { id: string; type: string }[] {
    const seen = new Map<string, string>();
    const visit = (id: string): void => {
      for (const member of this.membersOf(id)) {
        if (seen.has(member.id)) continue;
        seen.set(member.id, member.type);
        if (member.type === GROUP_TYPE) visit(member.id);
      }
    };
    visit(groupId);
    seen.delete(groupId);
    return [...seen].map(([id, type]) => ({ id, type }));
  }

  /** Groups that list `id` as a direct member. */
  memberOf(id: string): FakeEntraGroup[] {
    return [...this.groups.values()].filter((g) => !g.removed && g.members.includes(id));
  }

  /** Groups that contain `id` directly or through nested groups. */
  transitiveMemberOf(id: string): FakeEntraGroup[] {
    const found = new Map<string, FakeEntraGroup>();
    const queue = [id];
    while (queue.length > 0) {
      const current = queue.shift() as string;
      for (const group of this.memberOf(current)) {
        if (found.has(group.id)) continue;
        found.set(group.id, group);
        queue.push(group.id);
      }
    }
    return [...found.values()];
  }

  liveUsers(): FakeEntraUser[] {
    return [...this.users.values()].filter((u) => u.removed === null);
  }

  liveGroups(): FakeEntraGroup[] {
    return [...this.groups.values()].filter((g) => !g.removed);
  }
}

/**
 * The reference's live-tenant fixture shape (reference-connector.md §12.3): 6 users (3 disabled),
 * "Integration Testing Group A" with 3 members and an empty "Integration Testing Group B".
 */
export function seedReferenceTenant(directory: FakeEntraDirectory): { users: string[]; groupA: string; groupB: string } {
  const users = [1, 2, 3, 4, 5, 6].map((n) =>
    directory.addUser({ displayName: `Integration User ${n}`, userPrincipalName: `user${n}@dirconn-test.onmicrosoft.com`, mail: `user${n}@example.com`, accountEnabled: n <= 3 }),
  );
  const groupA = directory.addGroup({ displayName: 'Integration Testing Group A', members: [users[0] as string, users[1] as string, users[3] as string] });
  const groupB = directory.addGroup({ displayName: 'Integration Testing Group B', members: [] });
  return { users, groupA, groupB };
}
