/**
 * Group member resolution (reference §6.1.5, DN quirk fixed): lookup tables of the user scope and
 * the groups read, and the resolution of one group's raw member values. Pure, no I/O.
 */
import type { DirectoryGroup } from '@dirconn/core';
import { isDnLike, normalizeDn } from './ldap.dn.js';
import type { RawGroup } from './ldap.mapping.js';

/**
 * Lookup tables for member resolution. Member values are first looked up exactly as written (the
 * common case: servers store member DNs the way they return entry DNs), and only on a miss by
 * normalised DN; the normalised tables are built once, on the first miss. That keeps 100k users ×
 * 10k groups at one Map lookup per member value.
 */
export class MemberIndex {
  private readonly userByExactDn = new Map<string, string>();
  private readonly groupByExactDn = new Map<string, string>();
  private userByDn: Map<string, string> | null = null;
  private groupByDn: Map<string, string> | null = null;
  /** Lower-cased `uid` → user externalId. */
  readonly userByUid = new Map<string, string>();

  /** Registers a user of the full user scope. */
  addUser(dn: string, externalId: string, uids: readonly string[]): void {
    this.userByExactDn.set(dn, externalId);
    this.userByDn?.set(normalizeDn(dn), externalId);
    for (const uid of uids) {
      const key = uid.trim().toLowerCase();
      if (key !== '' && !this.userByUid.has(key)) this.userByUid.set(key, externalId);
    }
  }

  /** Registers a group read this run (child references resolve to its exact referenceId). */
  addGroup(referenceId: string): void {
    this.groupByExactDn.set(referenceId, referenceId);
    this.groupByDn?.set(normalizeDn(referenceId), referenceId);
  }

  /** A DN-like member value → the user's externalId or the group's referenceId, or undefined. */
  resolveDn(value: string): { user: string } | { group: string } | undefined {
    const exactUser = this.userByExactDn.get(value);
    if (exactUser !== undefined) return { user: exactUser };
    const exactGroup = this.groupByExactDn.get(value);
    if (exactGroup !== undefined) return { group: exactGroup };
    if (this.userByDn === null || this.groupByDn === null) {
      this.userByDn = new Map();
      for (const [dn, id] of this.userByExactDn) this.userByDn.set(normalizeDn(dn), id);
      this.groupByDn = new Map();
      for (const dn of this.groupByExactDn.keys()) this.groupByDn.set(normalizeDn(dn), dn);
    }
    const key = normalizeDn(value);
    const user = this.userByDn.get(key);
    if (user !== undefined) return { user };
    const group = this.groupByDn.get(key);
    return group === undefined ? undefined : { group };
  }

  /** A uid member value → the user's externalId, case-insensitively. */
  resolveUid(value: string): string | undefined {
    return this.userByUid.get(value.trim().toLowerCase());
  }
}

/** A group with resolved members, plus the member values that matched nothing in scope. */
export interface ResolvedGroup {
  group: DirectoryGroup;
  unresolved: string[];
}

/**
 * Reference §6.1.5 member resolution, with the DN quirk fixed: DN-like values are compared
 * normalised (case and spacing), first against users then against the groups read this run; a DN
 * that is neither (a user outside the user scope, a filtered-out group) contributes nothing and is
 * reported in `unresolved` instead of becoming a dangling child reference. Other values are uids,
 * matched case-insensitively. Members are de-duplicated, first occurrence kept.
 */
export function resolveMembers(raw: RawGroup, index: MemberIndex): ResolvedGroup {
  const users = new Set<string>();
  const groups = new Set<string>();
  const unresolved: string[] = [];
  for (const value of raw.memberValues) {
    if (isDnLike(value)) {
      const found = index.resolveDn(value);
      if (found === undefined) unresolved.push(value);
      else if ('user' in found) users.add(found.user);
      else groups.add(found.group);
    } else {
      const user = index.resolveUid(value);
      if (user !== undefined) users.add(user);
      else unresolved.push(value);
    }
  }
  return {
    group: {
      externalId: raw.externalId,
      referenceId: raw.referenceId,
      name: raw.name,
      userMemberExternalIds: [...users],
      groupMemberReferenceIds: [...groups],
    },
    unresolved,
  };
}
