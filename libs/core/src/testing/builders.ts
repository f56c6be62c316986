/**
 * Small builders for tests. Every default is derived from the `name` you give, so the same call
 * always builds the same object (no hidden counters):
 *
 * - `user({ name: 'alice' })` → externalId `alice`, email `alice@example.com`,
 *   referenceId `uid=alice,ou=people,dc=example,dc=com`, uid `alice`, enabled, not deleted;
 * - `group({ name: 'A', users: ['alice'], children: ['B'] })` → externalId `A`,
 *   referenceId `cn=A,ou=groups,dc=example,dc=com`, child references resolved with the same rule;
 * - `snapshot({...})`, `syncConfig({...})`, `syncState({...})`, `orgMember({...})`, `orgGroup({...})`,
 *   `planInput({...})` fill in the rest.
 *
 * Any explicit field wins over the derived default.
 */
import { DEFAULT_SYNC_CONFIG, type SyncConfig } from '../config/config.js';
import type { DirectoryGroup, DirectorySnapshot, DirectoryUser } from '../model/directory.js';
import type { OrgGroup, OrgMember, OrgSnapshot } from '../model/organization.js';
import { EMPTY_SYNC_STATE, type SyncState } from '../model/state.js';
import type { PlanInput } from '../sync/plan.types.js';

/** The referenceId `user()` gives a user called `name`. */
export function userReference(name: string): string {
  return `uid=${name},ou=people,dc=example,dc=com`;
}

/** The referenceId `group()` gives a group called `name` (use it in `groupMemberReferenceIds`). */
export function groupReference(name: string): string {
  return `cn=${name},ou=groups,dc=example,dc=com`;
}

/** Input of `user()`: any DirectoryUser field, plus `name`. */
export interface UserSpec extends Partial<DirectoryUser> {
  /** Seed for every default (default: the externalId, else `user`). */
  name?: string;
}

/** A directory user; see the module comment for the defaults. */
export function user(spec: UserSpec = {}): DirectoryUser {
  const { name: givenName, ...fields } = spec;
  const name = givenName ?? spec.externalId ?? 'user';
  return {
    externalId: name,
    referenceId: userReference(name),
    email: `${name}@example.com`,
    disabled: false,
    deleted: false,
    displayName: name,
    uid: name.toLowerCase(),
    ...fields,
  };
}

/** Input of `group()`: any DirectoryGroup field, plus shorthands. */
export interface GroupSpec extends Partial<DirectoryGroup> {
  /** Group name and seed for the defaults (default: the externalId, else `group`). */
  name?: string;
  /** Direct user members by externalId (shorthand for userMemberExternalIds). */
  users?: string[];
  /** Child groups by NAME, turned into referenceIds with `groupReference` (shorthand). */
  children?: string[];
}

/** A directory group; see the module comment for the defaults. */
export function group(spec: GroupSpec = {}): DirectoryGroup {
  const { users, children, ...fields } = spec;
  const name = spec.name ?? spec.externalId ?? 'group';
  return {
    externalId: name,
    referenceId: groupReference(name),
    name,
    userMemberExternalIds: users ?? [],
    groupMemberReferenceIds: (children ?? []).map(groupReference),
    ...fields,
  };
}

/** A complete snapshot: no users, no groups, full mode, no warnings unless given. */
export function snapshot(spec: Partial<DirectorySnapshot> = {}): DirectorySnapshot {
  return { users: [], groups: [], mode: 'full', warnings: [], stats: {}, ...spec };
}

/** The default sync config with users and groups ON (tests usually want both), plus overrides. */
export function syncConfig(overrides: Partial<SyncConfig> = {}): SyncConfig {
  return { ...DEFAULT_SYNC_CONFIG, users: true, groups: true, ...overrides };
}

/** The empty state plus overrides. */
export function syncState(overrides: Partial<SyncState> = {}): SyncState {
  return { ...EMPTY_SYNC_STATE, ...overrides };
}

/** Input of `orgMember()`. */
export interface OrgMemberSpec extends Partial<OrgMember> {
  /** Seed: id `member-<name>`, email `<name>@example.com`, externalId `<name>`. */
  name?: string;
}

/** An organization member (confirmed User unless given). */
export function orgMember(spec: OrgMemberSpec = {}): OrgMember {
  const { name: givenName, ...fields } = spec;
  const name = givenName ?? spec.externalId ?? 'member';
  return { id: `member-${name}`, email: `${name}@example.com`, externalId: name, type: 2, status: 2, name, ...fields };
}

/** Input of `orgGroup()`. */
export interface OrgGroupSpec extends Partial<OrgGroup> {
  /** Seed: id `group-<name>`, externalId `<name>`. */
  name?: string;
}

/** An organization group. */
export function orgGroup(spec: OrgGroupSpec = {}): OrgGroup {
  const name = spec.name ?? spec.externalId ?? 'group';
  return { id: `group-${name}`, externalId: name, memberIds: [], ...spec, name };
}

/** An organization snapshot. */
export function orgSnapshot(spec: Partial<OrgSnapshot> = {}): OrgSnapshot {
  return { members: [], groups: [], ...spec };
}

/** Target used by `planInput` (US cloud, a fixed organization id). */
export const TEST_TARGET = { apiUrl: 'https://api.bitwarden.com', organizationId: '00000000-0000-0000-0000-000000000001' } as const;

/** A complete `PlanInput`: empty full snapshot, empty state, `syncConfig()`, no org, fixed time. */
export function planInput(spec: Partial<PlanInput> = {}): PlanInput {
  return {
    snapshot: snapshot(),
    previous: syncState(),
    sync: syncConfig(),
    org: null,
    target: { ...TEST_TARGET },
    now: new Date('2026-01-01T00:00:00.000Z'),
    ...spec,
  };
}
