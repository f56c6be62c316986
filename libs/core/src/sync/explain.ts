/**
 * The core's side of `dirconn explain <who>`: given a plan (and, when available, the snapshot it was
 * made from), why is (or isn't) this user synced, which groups is it in and through which nesting, and
 * what will the next sync do to it. A group name or id can be explained too. The provider adds the
 * directory side (filters, paths) separately (`DirectoryProvider.explain`). Pure.
 */
import type { DirectorySnapshot, DirectoryUser } from '../model/directory.js';
import { resolveChildGroups } from './flatten.js';
import { emailProblem, isValidExternalId, MAX_EMAIL_LENGTH, normalizeEmail } from './normalize.js';
import type { PlanGroup, PlannedChange, PlanUser, SyncPlan } from './plan.types.js';

/** A group the user is a (flattened) member of. */
export interface ExplainedGroup {
  externalId: string;
  name: string;
  /**
   * Group names from this group down to a group that lists the user directly (a shortest such chain);
   * `[name]` when the membership is direct.
   */
  path: string[];
}

/** The answer of `explainUser`. */
export interface UserExplanation {
  /** True when the query matches a user (read or planned) or a planned group. */
  found: boolean;
  /** The entry as read, when a snapshot was given and the query matches one of its users. */
  directoryUser?: DirectoryUser;
  /** The user as it will be sent, when it is in the plan. */
  user?: PlanUser;
  /** The group as it will be sent, when the query names a group (name, externalId or DN) and no user. */
  group?: PlanGroup;
  /** Why a user that was read is not sent (no/invalid email, tombstone of a live user…). */
  excludedReason?: string;
  /** Groups the user is a flattened member of (sent groups only); empty for a group query. */
  groups: ExplainedGroup[];
  /**
   * What the next sync does to this user or group (`invite`, `remove`, `group-member-add`…); may be
   * empty. For a user, one `group-member-add`/`-remove` per group (its entry of the aggregated
   * change, without `members`); for a group, its aggregated membership changes as planned.
   */
  changes: PlannedChange[];
}

/**
 * Explains one user or group. The query is matched against users by externalId, email
 * (case-insensitive), referenceId/DN (case-insensitive) or uid; failing that, against groups by
 * externalId, name (case-insensitive) or DN.
 *
 * With the snapshot, nesting paths follow the groups' direct members exactly and users that were read
 * but not sent are explained; with the plan alone, paths follow `PlanGroup.childGroupExternalIds`.
 */
export function explainUser(plan: SyncPlan, query: string): UserExplanation;
export function explainUser(plan: SyncPlan, snapshot: DirectorySnapshot | null, query: string): UserExplanation;
export function explainUser(plan: SyncPlan, snapshotOrQuery: DirectorySnapshot | string | null, maybeQuery?: string): UserExplanation {
  const snapshot = typeof snapshotOrQuery === 'string' ? null : snapshotOrQuery;
  const needle = (typeof snapshotOrQuery === 'string' ? snapshotOrQuery : (maybeQuery ?? '')).trim();
  const lower = needle.toLowerCase();

  const candidates = (snapshot?.users ?? []).filter(
    (u) => u.externalId === needle || normalizeEmail(u.email) === lower || u.referenceId.toLowerCase() === lower || (u.uid !== undefined && u.uid.toLowerCase() === lower),
  );
  // Several entries can match an email (a live user and its tombstone): prefer the one that is sent.
  const sent = new Set(plan.users.map((u) => u.externalId));
  const directoryUser = candidates.find((u) => sent.has(u.externalId) && !u.deleted) ?? candidates.find((u) => sent.has(u.externalId)) ?? candidates[0];
  const user =
    directoryUser !== undefined
      ? plan.users.find((u) => u.externalId === directoryUser.externalId)
      : (plan.users.find((u) => u.externalId === needle && !u.deleted) ??
        plan.users.find((u) => u.externalId === needle) ??
        plan.users.find((u) => u.email === lower && !u.deleted) ??
        plan.users.find((u) => u.email === lower));

  if (directoryUser === undefined && user === undefined) return explainGroup(plan, snapshot, needle, lower);

  const externalId = user?.externalId ?? directoryUser!.externalId;
  const email = user?.email ?? normalizeEmail(directoryUser?.email);
  const result: UserExplanation = {
    found: true,
    groups: explainGroups(plan, snapshot, externalId),
    changes: userChanges(plan, externalId, email),
  };
  if (directoryUser !== undefined) result.directoryUser = directoryUser;
  if (user !== undefined) result.user = user;
  else if (directoryUser !== undefined) result.excludedReason = exclusionReason(directoryUser);
  return result;
}

/** Changes whose externalId is a group's (create, rename), not a user's. */
function isGroupLevel(change: PlannedChange): boolean {
  return change.kind === 'group-create' || change.kind === 'group-rename';
}

/** Aggregated group membership changes (externalId = the group's, the users in `members`). */
function isMembership(change: PlannedChange): boolean {
  return change.kind === 'group-member-add' || change.kind === 'group-member-remove';
}

/**
 * The user's own changes, and one `group-member-add` / `group-member-remove` per group it is added
 * to or removed from (taken out of the aggregated changes, whose `members` list the user by email, or
 * by externalId when no email is known).
 */
function userChanges(plan: SyncPlan, externalId: string, email: string | null): PlannedChange[] {
  const result: PlannedChange[] = [];
  for (const c of plan.changes) {
    if (isGroupLevel(c)) continue;
    if (isMembership(c)) {
      const entry = c.members?.find((m) => m === externalId || (email !== null && (m === email || m.toLowerCase() === email)));
      if (entry !== undefined) {
        const change: PlannedChange = { kind: c.kind, externalId, email: entry, reason: c.reason };
        if (c.group !== undefined) change.group = c.group;
        result.push(change);
      }
      continue;
    }
    if (c.externalId === externalId || (email !== null && c.externalId === '' && c.email !== undefined && c.email.toLowerCase() === email)) result.push(c);
  }
  return result;
}

function explainGroup(plan: SyncPlan, snapshot: DirectorySnapshot | null, needle: string, lower: string): UserExplanation {
  const byDn = (snapshot?.groups ?? []).find((g) => g.referenceId.toLowerCase() === lower);
  const group =
    plan.groups.find((g) => g.externalId === needle) ??
    (byDn !== undefined ? plan.groups.find((g) => g.externalId === byDn.externalId) : undefined) ??
    plan.groups.find((g) => g.name.toLowerCase() === lower);
  if (group === undefined) return { found: false, groups: [], changes: [] };
  return {
    found: true,
    group,
    groups: [],
    changes: plan.changes.filter((c) =>
      isGroupLevel(c) ? c.externalId === group.externalId : isMembership(c) && (c.externalId === group.externalId || c.group === group.name),
    ),
  };
}

function exclusionReason(user: DirectoryUser): string {
  if (!isValidExternalId(user.externalId)) return 'its externalId is blank or longer than 300 characters, which the server rejects.';
  const email = normalizeEmail(user.email);
  // A deleted user with a usable email from the last sync would be in the plan; here it has none.
  const lostRemoval = user.deleted ? ' It is deleted in the directory, so its removal cannot be sent: remove the member by hand if present.' : '';
  switch (emailProblem(email)) {
    case 'missing':
      return `it has no email.${lostRemoval}`;
    case 'too-long':
      return `its email is longer than ${MAX_EMAIL_LENGTH} characters.${lostRemoval}`;
    case 'invalid':
      return `its email ${JSON.stringify(email)} is not a valid address for the server (exactly one @, not first or last, no line break).${lostRemoval}`;
    case null:
      return user.deleted
        ? 'it is deleted in the directory and an active user has the same email, so it is treated as a tombstone of that user and not sent.'
        : 'it is an exact copy of another entry with the same email.';
  }
}

/** A node of the nesting graph used for paths. */
interface NestingNode {
  externalId: string;
  name: string;
  children: readonly number[];
  /** The group lists the user itself (not only through a child). */
  listsUser: boolean;
}

/** Flattened groups containing the user, each with a shortest nesting path. */
function explainGroups(plan: SyncPlan, snapshot: DirectorySnapshot | null, externalId: string): ExplainedGroup[] {
  const nodes = snapshot?.groups != null ? nodesFromSnapshot(snapshot, externalId) : nodesFromPlan(plan, externalId);
  const indexByExternalId = new Map<string, number>();
  nodes.forEach((node, index) => {
    if (!indexByExternalId.has(node.externalId)) indexByExternalId.set(node.externalId, index);
  });
  const result: ExplainedGroup[] = [];
  for (const group of plan.groups) {
    if (!group.userExternalIds.includes(externalId)) continue;
    const start = indexByExternalId.get(group.externalId);
    const path = start === undefined ? [group.name] : shortestPath(nodes, start);
    result.push({ externalId: group.externalId, name: group.name, path });
  }
  return result;
}

function nodesFromSnapshot(snapshot: DirectorySnapshot, externalId: string): NestingNode[] {
  const groups = snapshot.groups ?? [];
  const children = resolveChildGroups(groups);
  return groups.map((g, index) => ({ externalId: g.externalId, name: g.name, children: children[index]!, listsUser: g.userMemberExternalIds.includes(externalId) }));
}

/**
 * Plan-only graph: a group "lists" the user when it contains it and none of its child groups does
 * (the best the flattened data can tell).
 */
function nodesFromPlan(plan: SyncPlan, externalId: string): NestingNode[] {
  const indexByExternalId = new Map<string, number>();
  plan.groups.forEach((g, index) => {
    if (!indexByExternalId.has(g.externalId)) indexByExternalId.set(g.externalId, index);
  });
  const contains = plan.groups.map((g) => g.userExternalIds.includes(externalId));
  return plan.groups.map((g, index) => {
    const children = (g.childGroupExternalIds ?? []).map((id) => indexByExternalId.get(id)).filter((i): i is number => i !== undefined);
    return { externalId: g.externalId, name: g.name, children, listsUser: contains[index]! && !children.some((child) => contains[child]) };
  });
}

/** Breadth-first from `start` to the nearest group that lists the user; `[start name]` if none does. */
function shortestPath(nodes: readonly NestingNode[], start: number): string[] {
  const previous = new Map<number, number>([[start, -1]]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    if (nodes[node]!.listsUser) {
      const path: string[] = [];
      for (let at = node; at !== -1; at = previous.get(at)!) path.push(nodes[at]!.name);
      return path.reverse();
    }
    for (const child of nodes[node]!.children) {
      if (previous.has(child)) continue;
      previous.set(child, node);
      queue.push(child);
    }
  }
  return [nodes[start]!.name];
}
