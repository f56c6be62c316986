// Microsoft Graph v1.0 read routes of the fake (directory-apis.md §2.2–§2.4, §2.10): users, groups,
// members, transitive members (with OData casts), administrative units, memberOf, and the users and
// groups delta functions. Answers are either one document or a collection that the server pages.
// `$select` and `$top` (1–999, default 100) are honoured. Test-only.

import { DEVICE_TYPE, GROUP_TYPE, USER_TYPE, type FakeEntraDirectory, type FakeEntraGroup, type FakeEntraUser } from './directory.js';

/** A whole document answer. */
export interface GraphDocument {
  kind: 'document';
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A collection the server pages; `final` is merged into the last page (the deltaLink). */
export interface GraphCollection {
  kind: 'collection';
  items: unknown[];
  pageSize: number;
  final: Record<string, string>;
}

/** What a delta token holds (opaque to clients). */
export interface DeltaState {
  resource: 'users' | 'groups';
  select: string | null;
  version: number;
  /** Sequence of issue, to expire tokens issued before a point. */
  seq: number;
}

/** Delta tokens: encode, decode, and the sequence below which tokens count as expired. */
export interface DeltaTokens {
  issue(state: Omit<DeltaState, 'seq'>): string;
  read(token: string): DeltaState | null;
}

/** Options that change answers (switches of the server). */
export interface GraphRouteOptions {
  /** Objects per delta page when the client states no `Prefer: odata.maxpagesize`. */
  deltaPageSize: number;
  /** Members per item of a group in `/groups/delta` before the group is split over items. */
  groupMembersPerItem: number;
  /** Delta replays return changed users with only `id` and the changed flag (partial objects). */
  partialDeltaUpdates: boolean;
}

export const graphError = (status: number, code: string, message: string): GraphDocument => ({
  kind: 'document',
  status,
  body: { error: { code, message, innerError: { date: '2026-01-01T00:00:00', 'request-id': 'fake', 'client-request-id': 'fake' } } },
});

const USER_PROPS = ['id', 'displayName', 'userPrincipalName', 'mail', 'accountEnabled', 'userType'] as const;

function pick(user: FakeEntraUser, select: string[] | null): Record<string, unknown> {
  const out: Record<string, unknown> = { id: user.id };
  for (const prop of USER_PROPS) if (select === null || select.includes(prop)) out[prop] = user[prop];
  if (select === null) out['businessPhones'] = [];
  return out;
}

function pickObject(directory: FakeEntraDirectory, id: string, type: string, select: string[] | null): Record<string, unknown> {
  if (type === USER_TYPE) return { '@odata.type': type, ...pick(directory.users.get(id) as FakeEntraUser, select) };
  const out: Record<string, unknown> = { '@odata.type': type, id };
  if (type === GROUP_TYPE && (select === null || select.includes('displayName'))) out['displayName'] = (directory.groups.get(id) as FakeEntraGroup).displayName;
  if (type === DEVICE_TYPE && (select === null || select.includes('displayName'))) out['displayName'] = `device ${id.slice(0, 8)}`;
  return out;
}

/** `$top`: 1–999, default 100; anything else is a 400 (as Graph answers). */
function topOf(query: URLSearchParams): number | GraphDocument {
  const raw = query.get('$top');
  if (raw === null) return 100;
  const top = Number(raw);
  if (!Number.isInteger(top) || top < 1 || top > 999) return graphError(400, 'Request_UnsupportedQuery', `Invalid page size specified: '${raw}'. Must be between 1 and 999 inclusive.`);
  return top;
}

function maxPageSize(headers: Record<string, string | undefined>, fallback: number): number {
  const match = /odata\.maxpagesize=(\d+)/i.exec(headers['prefer'] ?? '');
  return match ? Math.min(999, Math.max(1, Number(match[1]))) : fallback;
}

const selectOf = (query: URLSearchParams): string[] | null => {
  const raw = query.get('$select');
  return raw === null ? null : raw.split(',').map((s) => s.trim()).filter(Boolean);
};

const collection = (items: unknown[], pageSize: number, final: Record<string, string> = {}): GraphCollection => ({ kind: 'collection', items, pageSize, final });

/** Items of one `/groups/delta` answer: each group with its members, split over items when large. */
function groupDeltaItems(directory: FakeEntraDirectory, groups: FakeEntraGroup[], withMembers: boolean, perItem: number): unknown[] {
  const items: unknown[] = [];
  for (const group of groups) {
    if (group.removed) {
      items.push({ id: group.id, '@removed': { reason: 'deleted' } });
      continue;
    }
    const members = withMembers ? directory.membersOf(group.id).map((m) => ({ '@odata.type': m.type, id: m.id })) : [];
    if (!withMembers) {
      items.push({ id: group.id, displayName: group.displayName });
      continue;
    }
    for (let start = 0; start === 0 || start < members.length; start += perItem) {
      const item: Record<string, unknown> = { id: group.id, 'members@delta': members.slice(start, start + perItem) };
      if (start === 0) item['displayName'] = group.displayName;
      items.push(item);
    }
  }
  return items;
}

function deltaAnswer(
  directory: FakeEntraDirectory,
  resource: 'users' | 'groups',
  query: URLSearchParams,
  headers: Record<string, string | undefined>,
  tokens: DeltaTokens,
  options: GraphRouteOptions,
  base: string,
): GraphDocument | GraphCollection {
  const deltaToken = query.get('$deltatoken');
  let state: Omit<DeltaState, 'seq'>;
  let since: number | null = null;
  if (deltaToken !== null) {
    const read = tokens.read(deltaToken);
    if (read === null || read.resource !== resource) return { kind: 'document', ...expired(base, resource) };
    state = { resource, select: read.select, version: directory.version };
    since = read.version;
  } else {
    state = { resource, select: query.get('$select'), version: directory.version };
  }
  const select = state.select === null ? null : state.select.split(',');
  const pageSize = maxPageSize(headers, options.deltaPageSize);
  const deltaLink = `${base}/v1.0/${resource}/delta?$deltatoken=${tokens.issue(state)}`;
  if (resource === 'users') {
    const users = since === null ? directory.liveUsers() : [...directory.users.values()].filter((u) => u.version > (since ?? 0));
    const items = users.map((u) => {
      if (u.removed !== null) return { id: u.id, '@removed': { reason: u.removed } };
      if (since !== null && options.partialDeltaUpdates) return { id: u.id, accountEnabled: u.accountEnabled };
      return pick(u, select);
    });
    return collection(items, pageSize, { '@odata.deltaLink': deltaLink });
  }
  const groups = since === null ? directory.liveGroups() : [...directory.groups.values()].filter((g) => g.version > (since ?? 0));
  const withMembers = select === null || select.includes('members');
  return collection(groupDeltaItems(directory, groups, withMembers, options.groupMembersPerItem), pageSize, { '@odata.deltaLink': deltaLink });
}

/** 410 Gone with a Location holding a fresh initial URL (one of the documented expiry answers). */
export function expired(base: string, resource: 'users' | 'groups'): Omit<GraphDocument, 'kind'> {
  return {
    status: 410,
    headers: { location: `${base}/v1.0/${resource}/delta` },
    body: { error: { code: 'syncStateNotFound', message: 'The delta token has expired or is invalid; start over without it.' } },
  };
}

/** Answers one Graph GET (path after `/v1.0`), or null for an unknown route. */
export function graphRoute(
  directory: FakeEntraDirectory,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string | undefined>,
  tokens: DeltaTokens,
  options: GraphRouteOptions,
  base: string,
): GraphDocument | GraphCollection | null {
  const select = selectOf(query);
  const top = topOf(query);
  if (typeof top !== 'number') return top;
  let m: RegExpExecArray | null;
  if (path === '/users/delta') return deltaAnswer(directory, 'users', query, headers, tokens, options, base);
  if (path === '/groups/delta') return deltaAnswer(directory, 'groups', query, headers, tokens, options, base);
  if (path === '/users') {
    let users = directory.liveUsers();
    const filter = query.get('$filter');
    if (filter !== null) {
      const wanted = [...filter.matchAll(/(mail|userPrincipalName) eq '((?:[^']|'')*)'/g)].map((x) => ({ prop: x[1] as 'mail' | 'userPrincipalName', value: (x[2] ?? '').replace(/''/g, "'").toLowerCase() }));
      if (wanted.length === 0) return graphError(400, 'Request_UnsupportedQuery', 'Unsupported or invalid query filter clause specified.');
      users = users.filter((u) => wanted.some((w) => (u[w.prop] ?? '').toLowerCase() === w.value));
    }
    return collection(users.map((u) => pick(u, select)), top);
  }
  if (path === '/groups') return collection(directory.liveGroups().map((g) => ({ id: g.id, displayName: g.displayName })), top);
  if ((m = /^\/users\/([^/]+)$/.exec(path))) {
    const user = directory.users.get(decodeURIComponent(m[1] ?? '').toLowerCase());
    return user === undefined || user.removed !== null ? graphError(404, 'Request_ResourceNotFound', `Resource '${m[1] ?? ''}' does not exist or one of its queried reference-property objects are not present.`) : { kind: 'document', status: 200, body: pick(user, select) };
  }
  if ((m = /^\/users\/([^/]+)\/(memberOf|transitiveMemberOf)(\/microsoft\.graph\.group)?$/.exec(path))) {
    const id = decodeURIComponent(m[1] ?? '').toLowerCase();
    if (directory.typeOf(id) !== USER_TYPE) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist.`);
    const groups = m[2] === 'memberOf' ? directory.memberOf(id) : directory.transitiveMemberOf(id);
    return collection(groups.map((g) => pickObject(directory, g.id, GROUP_TYPE, select)), top);
  }
  if ((m = /^\/groups\/([^/]+)(?:\/(members|transitiveMembers)(?:\/microsoft\.graph\.(user|group))?)?$/.exec(path))) {
    const id = decodeURIComponent(m[1] ?? '').toLowerCase();
    if (directory.typeOf(id) !== GROUP_TYPE) return graphError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);
    if (m[2] === undefined) return { kind: 'document', status: 200, body: { id, displayName: (directory.groups.get(id) as FakeEntraGroup).displayName } };
    const members = m[2] === 'members' ? directory.membersOf(id) : directory.transitiveMembersOf(id);
    const cast = m[3] === undefined ? null : `#microsoft.graph.${m[3]}`;
    return collection(members.filter((x) => cast === null || x.type === cast).map((x) => pickObject(directory, x.id, x.type, select)), top);
  }
  if ((m = /^\/directory\/administrativeUnits\/([^/]+)(\/members(?:\/microsoft\.graph\.group)?)?$/.exec(path))) {
    const unit = directory.units.get(decodeURIComponent(m[1] ?? '').toLowerCase());
    if (unit === undefined) return graphError(404, 'Request_ResourceNotFound', `Resource '${m[1] ?? ''}' does not exist.`);
    if (m[2] === undefined) return { kind: 'document', status: 200, body: { id: unit.id, displayName: unit.displayName } };
    const cast = m[2].endsWith('microsoft.graph.group');
    const members = unit.members.map((id) => ({ id, type: directory.typeOf(id) })).filter((x): x is { id: string; type: string } => x.type !== null && (!cast || x.type === GROUP_TYPE));
    return collection(members.map((x) => pickObject(directory, x.id, x.type, select)), top);
  }
  return null;
}
