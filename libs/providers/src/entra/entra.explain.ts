/**
 * The Entra side of `dirconn explain <email|id>`: finds the user in Graph and lists, in order, each
 * fact that decides whether it is synced — account enabled, guest, the email rule, each clause of the
 * user filter (with group memberships read from Graph), and the group filter scoping of §5.4.
 */
import { DirconnError } from '@dirconn/core';
import type { ProviderExplanation, SyncConfig } from '@dirconn/core';
import { groupFilterRejection, hasGroupSetFilter, parseEntraGroupFilter, parseEntraUserFilter, userFilterNeedsGroups, userFilterRejection } from './entra.filter.js';
import type { GraphClient } from './entra.graph.js';
import { emailOf, isGuest, mapUser, USER_SELECT, type GraphMember, type GraphUser } from './entra.mapping.js';
import { fetchUser, GRAPH_MAX_PAGE, unionOfUnits } from './entra.read.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What {@link explainEntraUser} needs. */
export interface EntraExplainInput {
  graph: GraphClient;
  sync: SyncConfig;
  query: string;
}

/** OData string literal: single quotes doubled. */
const literal = (text: string): string => `'${text.replace(/'/g, "''")}'`;

async function findUser(graph: GraphClient, query: string): Promise<GraphUser | null> {
  if (GUID.test(query)) return fetchUser(graph, query.toLowerCase());
  const found: GraphUser[] = [];
  const q = literal(query);
  const url = graph.url('/users', { $select: USER_SELECT, $filter: `mail eq ${q} or userPrincipalName eq ${q}` });
  await graph.pages<GraphUser>(url, { route: 'GET /users', what: `users matching ${query}`, permission: 'User.Read.All' }, (page) => {
    for (const user of page) found.push(user);
  });
  return found[0] ?? null;
}

async function groupsOf(graph: GraphClient, userId: string, relation: 'memberOf' | 'transitiveMemberOf'): Promise<Map<string, string>> {
  const groups = new Map<string, string>();
  const url = graph.url(`/users/${encodeURIComponent(userId)}/${relation}/microsoft.graph.group`, { $select: 'id,displayName', $top: String(GRAPH_MAX_PAGE) });
  await graph.pages<GraphMember & { displayName?: string }>(url, { route: `GET /users/{id}/${relation}`, what: `the groups of user ${userId}`, permission: 'GroupMember.Read.All' }, (page) => {
    for (const g of page) groups.set(g.id.toLowerCase(), g.displayName ?? g.id);
  });
  return groups;
}

/** See the module comment. */
export async function explainEntraUser({ graph, sync, query }: EntraExplainInput): Promise<ProviderExplanation> {
  const text = query.trim();
  if (text === '') throw new DirconnError('usage', 'Give an email, user principal name or object id to explain.');
  const userFilter = parseEntraUserFilter(sync.userFilter);
  const groupFilter = parseEntraGroupFilter(sync.groupFilter);
  const graphUser = await findUser(graph, text);
  if (graphUser === null) {
    return { found: false, checks: [{ check: 'exists in the tenant', passed: false, detail: `no user with mail, user principal name or id "${text}" (guests are found by their mail or #EXT# principal name)` }] };
  }
  const checks: ProviderExplanation['checks'] = [{ check: 'exists in the tenant', passed: true, detail: `${graphUser.displayName ?? ''} (${graphUser.id})`.trim() }];
  const email = emailOf(graphUser);
  const enabled = graphUser.accountEnabled !== false;
  checks.push({ check: 'account enabled', passed: enabled, detail: enabled ? 'accountEnabled is true' : `accountEnabled is false: sent as disabled${sync.removeDisabled ? ' and removed (sync.removeDisabled)' : ' (removed only with sync.removeDisabled)'}` });
  const guest = isGuest(graphUser);
  checks.push({ check: 'guest', passed: true, detail: guest ? `a guest (userType ${graphUser.userType ?? 'Guest'}); synced by its mail address when it has one` : 'a member of the tenant, not a guest' });
  const mapped = mapUser(graphUser);
  const emailDetail = email === null ? 'neither mail nor userPrincipalName' : graphUser.mail && email === graphUser.mail.trim().toLowerCase() ? `mail ${email}` : `userPrincipalName ${email} (mail is empty or an onmicrosoft.com address)`;
  checks.push({
    check: 'email',
    passed: mapped.user !== undefined,
    detail: mapped.skipped === 'guest-without-mail' ? `${emailDetail}: a guest without a mail address is not synced (as in the reference)` : mapped.skipped === 'no-email' ? 'no email: not synced' : emailDetail,
  });

  let inScope = mapped.user !== undefined;
  if (userFilter.clauses.length === 0) checks.push({ check: 'sync.userFilter', passed: true, detail: 'no user filter: every user of the tenant' });
  else {
    const transitive = userFilterNeedsGroups(userFilter) ? await groupsOf(graph, graphUser.id, 'transitiveMemberOf') : new Map<string, string>();
    const inAny = (ids: ReadonlySet<string>): Set<string> => new Set([...ids].filter((id) => transitive.has(id)).length > 0 ? [graphUser.id.toLowerCase()] : []);
    const scope = { included: userFilter.includeGroupIds === null ? null : inAny(userFilter.includeGroupIds), excluded: inAny(userFilter.excludeGroupIds) };
    const rejection = userFilterRejection(userFilter, { id: graphUser.id.toLowerCase(), email }, scope);
    checks.push({ check: 'sync.userFilter', passed: rejection === null, detail: rejection === null ? `passes ${userFilter.clauses.join('|')}` : `filtered out: ${rejection}` });
    if (rejection !== null) inScope = false;
  }

  if (sync.groups && hasGroupSetFilter(groupFilter)) {
    const direct = await groupsOf(graph, graphUser.id, 'memberOf');
    const units = groupFilter.administrativeUnits === null ? null : await unionOfUnits(graph, groupFilter.administrativeUnits.ids);
    const kept = [...direct].filter(([id, name]) => groupFilterRejection(groupFilter, { id, displayName: name }, units) === null).map(([, name]) => name);
    const exempt = !enabled && sync.removeDisabled;
    const passed = kept.length > 0 || exempt;
    checks.push({
      check: 'member of a synced group (group filter scopes users)',
      passed,
      detail: kept.length > 0 ? `direct member of ${kept.join(', ')}` : exempt ? 'in no kept group, but kept to be removed (disabled with sync.removeDisabled)' : `not a direct member of any group kept by ${groupFilter.clause ?? 'the group filter'}`,
    });
    if (!passed) inScope = false;
  }
  const explanation: ProviderExplanation = { found: true, referenceId: graphUser.id, checks };
  if (inScope && mapped.user !== undefined) explanation.user = mapped.user;
  return explanation;
}
