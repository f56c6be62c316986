/**
 * The Graph reads of the Entra source, each complete or throwing (directory-apis.md §2.2, §2.4):
 *
 * - users: one `/users/delta` round. The first round (no link) lists every user of the tenant in
 *   pages of up to 999 and ends with a deltaLink; replaying that link later lists only the changes
 *   (new and updated users, `@removed` tombstones). One request per ~1000 users and no second pass
 *   for the cursor.
 * - groups: one `/groups/delta` round with `members` selected: every group with all its direct
 *   members (`members@delta`, large groups split over pages and merged), so member lists need no
 *   request per group (no N+1); a replay tells whether any group or membership changed.
 * - filter scopes: transitive user members of the includeGroup/excludeGroup ids (the OData cast keeps
 *   users only, unlike the reference), and the groups of administrative units.
 */
import { DirconnError } from '@dirconn/core';
import type { ReadProgress } from '@dirconn/core';
import type { GraphClient } from './entra.graph.js';
import { GroupDeltaMerger, USER_SELECT, GROUP_SELECT, type GraphGroup, type GraphMember, type GraphUser } from './entra.mapping.js';

/** Largest page Graph serves for users, groups and member lists. */
export const GRAPH_MAX_PAGE = 999;
/** Parallel requests when several independent lists are read (group scopes, partial users). */
export const GRAPH_CONCURRENCY = 4;

/** Asks Graph for its largest pages on delta rounds (where `$top` is not accepted). */
const MAX_PAGE_HEADERS = { Prefer: `odata.maxpagesize=${GRAPH_MAX_PAGE}` };

type Progress = ((progress: ReadProgress) => void) | undefined;

function needDeltaLink(link: string | null, what: string): string {
  if (link === null) {
    throw new DirconnError('provider.incomplete-read', `Microsoft Graph ended ${what} without a delta link; the read was stopped so nobody is removed by mistake.`, {
      hint: 'Run again; if it persists, run "dirconn sync --force".',
    });
  }
  return link;
}

/** One users delta round from `link` (null = a first round over every user). */
export async function usersDeltaRound(graph: GraphClient, link: string | null, onProgress: Progress): Promise<{ items: GraphUser[]; deltaLink: string }> {
  const items: GraphUser[] = [];
  const url = link ?? graph.url('/users/delta', { $select: USER_SELECT });
  const what = link === null ? 'the user list' : 'the user changes';
  const { deltaLink } = await graph.pages<GraphUser>(url, { route: 'GET /users/delta', what, permission: 'User.Read.All', delta: true, headers: MAX_PAGE_HEADERS }, (page) => {
    for (const item of page) items.push(item);
    onProgress?.({ phase: link === null ? 'users' : 'user changes', count: items.length });
  });
  return { items, deltaLink: needDeltaLink(deltaLink, what) };
}

/** One groups delta round with direct members, from `link` (null = every group). */
export async function groupsDeltaRound(graph: GraphClient, link: string | null, onProgress: Progress): Promise<{ merger: GroupDeltaMerger; deltaLink: string }> {
  const merger = new GroupDeltaMerger();
  const url = link ?? graph.url('/groups/delta', { $select: GROUP_SELECT });
  const what = link === null ? 'the group list' : 'the group changes';
  const { deltaLink } = await graph.pages<GraphGroup>(url, { route: 'GET /groups/delta', what, permission: 'GroupMember.Read.All', delta: true, headers: MAX_PAGE_HEADERS }, (page) => {
    for (const item of page) merger.add(item);
    onProgress?.({ phase: link === null ? 'groups' : 'group changes', count: merger.size });
  });
  return { merger, deltaLink: needDeltaLink(deltaLink, what) };
}

/** A 404 on an id named in a filter is a configuration error naming the setting. */
function unknownId(error: unknown, kind: string, id: string, setting: string): unknown {
  if (DirconnError.is(error) && (error.details as { status?: unknown } | undefined)?.status === 404) {
    return new DirconnError('config.invalid', `The ${kind} ${id} named in ${setting} does not exist in the tenant.`, {
      hint: `Correct ${setting} with the object id shown in the Entra admin center (${kind === 'group' ? 'Groups → the group → Overview → Object ID' : 'Administrative units → the unit → Overview'}).`,
      cause: error,
    });
  }
  return error;
}

/** Every user in the group, directly or through nested groups (ids lower-cased). */
export async function transitiveUserIds(graph: GraphClient, groupId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const url = graph.url(`/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.user`, { $select: 'id', $top: String(GRAPH_MAX_PAGE) });
  try {
    await graph.pages<GraphMember>(url, { route: 'GET /groups/{id}/transitiveMembers', what: `the members of group ${groupId}`, permission: 'GroupMember.Read.All' }, (page) => {
      for (const member of page) ids.add(member.id.toLowerCase());
    });
  } catch (error) {
    throw unknownId(error, 'group', groupId, 'sync.userFilter');
  }
  return ids;
}

/** Ids (lower-cased) of the groups that are members of an administrative unit. */
export async function administrativeUnitGroupIds(graph: GraphClient, unitId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const url = graph.url(`/directory/administrativeUnits/${encodeURIComponent(unitId)}/members/microsoft.graph.group`, { $select: 'id,displayName', $top: String(GRAPH_MAX_PAGE) });
  try {
    await graph.pages<GraphMember>(url, { route: 'GET /directory/administrativeUnits/{id}/members', what: `the groups of administrative unit ${unitId}`, permission: 'AdministrativeUnit.Read.All' }, (page) => {
      for (const member of page) ids.add(member.id.toLowerCase());
    });
  } catch (error) {
    throw unknownId(error, 'administrative unit', unitId, 'sync.groupFilter');
  }
  return ids;
}

/** One user by id with the selected properties, or null when it does not exist (any more). */
export async function fetchUser(graph: GraphClient, id: string): Promise<GraphUser | null> {
  try {
    return await graph.get<GraphUser>(graph.url(`/users/${encodeURIComponent(id)}`, { $select: USER_SELECT }), { route: 'GET /users/{id}', what: `user ${id}`, permission: 'User.Read.All' });
  } catch (error) {
    if (DirconnError.is(error) && (error.details as { status?: unknown } | undefined)?.status === 404) return null;
    throw error;
  }
}

/** Runs `task` over `items` with at most `limit` at a time; the first failure rejects (the rest stop starting). */
export async function mapLimit<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, () => worker()));
  return results;
}

/** Union of the transitive user members of `groupIds`. */
export async function unionOfGroups(graph: GraphClient, groupIds: Iterable<string>): Promise<Set<string>> {
  const sets = await mapLimit([...groupIds], GRAPH_CONCURRENCY, (id) => transitiveUserIds(graph, id));
  const union = new Set<string>();
  for (const set of sets) for (const id of set) union.add(id);
  return union;
}

/** Union of the group ids of administrative units. */
export async function unionOfUnits(graph: GraphClient, unitIds: Iterable<string>): Promise<Set<string>> {
  const sets = await mapLimit([...unitIds], GRAPH_CONCURRENCY, (id) => administrativeUnitGroupIds(graph, id));
  const union = new Set<string>();
  for (const set of sets) for (const id of set) union.add(id);
  return union;
}
