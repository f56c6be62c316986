/**
 * The Google side of `dirconn explain <email|id>`: is the user in the account (or deleted), inside
 * the configured domain, kept by each part of `sync.userFilter` (the set clause, and the Google query
 * asked of Google itself), suspended or archived, and a direct member of a group the group filter
 * keeps (reference §5.4).
 */
import { DirconnError } from '@dirconn/core';
import type { ProviderExplanation, SyncConfig } from '@dirconn/core';
import type { GoogleDirectoryClient } from './google.api.js';
import { GOOGLE_SCOPES } from './google.auth.js';
import { parseGoogleFilter, type GoogleConfig } from './google.config.js';
import { disabledReason, mapGoogleUser, setFilterVerdict, userSkipReason, type GoogleApiGroup, type GoogleApiUser } from './google.mapping.js';

/** What explain needs from the provider. */
export interface GoogleExplainSource {
  client: GoogleDirectoryClient;
  config: GoogleConfig;
  sync: SyncConfig;
  /** `customer`/`domain` list parameters. */
  scope: Record<string, string>;
}

type Checks = ProviderExplanation['checks'];

/** Finds the user: live by key (email, alias or id), else among deleted users. */
async function findUser(source: GoogleExplainSource, query: string, signal?: AbortSignal): Promise<{ user: GoogleApiUser; deleted: boolean } | null> {
  try {
    const user = (await source.client.get(`/users/${encodeURIComponent(query)}`, {}, { what: `the user ${query}`, scope: GOOGLE_SCOPES[0], pagedRequest: false }, signal)) as unknown as GoogleApiUser;
    return { user, deleted: false };
  } catch (error) {
    if (!(DirconnError.is(error) && error.code === 'provider.incomplete-read' && (error.details as { status?: number } | undefined)?.status === 404)) throw error;
  }
  const q = query.toLowerCase();
  let found: GoogleApiUser | null = null;
  await source.client.list<GoogleApiUser>(
    { path: '/users', params: { ...source.scope, showDeleted: 'true', maxResults: '500' }, itemsKey: 'users', counter: 'deletedUsers', context: { what: 'the deleted-user list', scope: GOOGLE_SCOPES[0] } },
    (page) => {
      found ??= page.find((u) => u.id === query || u.primaryEmail?.toLowerCase() === q) ?? null;
    },
    signal,
  );
  return found === null ? null : { user: found, deleted: true };
}

/** Does Google's own query keep the user? Asks Google for `<query> email='<primaryEmail>'`. */
async function queryKeeps(source: GoogleExplainSource, query: string, user: GoogleApiUser, deleted: boolean, signal?: AbortSignal): Promise<boolean> {
  const email = (user.primaryEmail ?? '').replace(/'/g, "\\'");
  const page = await source.client.get(
    '/users',
    { ...source.scope, query: `${query} email='${email}'`, showDeleted: deleted ? 'true' : null, maxResults: '10', fields: 'users(id)' },
    { what: 'the user list', scope: GOOGLE_SCOPES[0], pagedRequest: false, query: { text: query, setting: 'sync.userFilter' } },
    signal,
  );
  const users = page['users'];
  return Array.isArray(users) && users.some((u) => (u as GoogleApiUser).id === user.id);
}

/** The names of the groups the group filter keeps that hold the user directly. */
async function keptGroupsOf(source: GoogleExplainSource, user: GoogleApiUser, signal?: AbortSignal): Promise<{ all: string[]; kept: string[] }> {
  const filter = parseGoogleFilter(source.sync.groupFilter, 'sync.groupFilter');
  const mine: GoogleApiGroup[] = [];
  await source.client.list<GoogleApiGroup>(
    { path: '/groups', params: { userKey: user.id, maxResults: '200' }, itemsKey: 'groups', counter: 'groups', context: { what: 'the groups of the user', scope: GOOGLE_SCOPES[1] } },
    (page) => mine.push(...page),
    signal,
  );
  let allowed: Set<string> | null = null;
  if (filter.query) {
    const matching = new Set<string>();
    await source.client.list<GoogleApiGroup>(
      { path: '/groups', params: { ...source.scope, query: filter.query, maxResults: '200' }, itemsKey: 'groups', counter: 'groups', context: { what: 'the group list', scope: GOOGLE_SCOPES[1], query: { text: filter.query, setting: 'sync.groupFilter' } } },
      (page) => page.forEach((g) => matching.add(g.id)),
      signal,
    );
    allowed = matching;
  }
  const kept = mine.filter((g) => (allowed === null || allowed.has(g.id)) && setFilterVerdict(filter.set, g.name, 'sync.groupFilter').passed);
  return { all: mine.map((g) => g.name ?? g.id), kept: kept.map((g) => g.name ?? g.id) };
}

/** See the module comment. */
export async function explainGoogleUser(source: GoogleExplainSource, rawQuery: string, signal?: AbortSignal): Promise<ProviderExplanation> {
  const query = rawQuery.trim();
  const { sync, config } = source;
  const checks: Checks = [];
  const hit = await findUser(source, query, signal);
  if (hit === null) {
    checks.push({ check: 'found in Google Workspace', passed: false, detail: `no user or deleted user matches "${query}" (searched by primary email, alias and id)` });
    return { found: false, checks };
  }
  const { user, deleted } = hit;
  const email = user.primaryEmail?.toLowerCase() ?? '';
  checks.push({ check: 'found in Google Workspace', passed: true, detail: deleted ? `${email} (id ${user.id}) was deleted${user.deletionTime ? ` on ${user.deletionTime}` : ''}: it is sent as deleted and removed from the organization` : `${email} (id ${user.id}, unit ${user.orgUnitPath ?? '/'})` });
  const domain = config.domain?.trim().toLowerCase();
  const inDomain = !domain || email.endsWith(`@${domain}`);
  checks.push({ check: 'inside the configured domain (google.domain)', passed: inDomain, detail: domain ? (inDomain ? `${email} is in ${domain}` : `${email} is not in ${domain}; clear google.domain and set google.customer to read every domain`) : 'no google.domain: every domain of the account is read' });

  const filter = parseGoogleFilter(sync.userFilter, 'sync.userFilter');
  const set = setFilterVerdict(filter.set, email, 'sync.userFilter');
  checks.push({ check: 'kept by the set clause of sync.userFilter', passed: set.passed, detail: set.detail });
  let queryOk = true;
  if (filter.query) {
    queryOk = await queryKeeps(source, filter.query, user, deleted, signal);
    checks.push({ check: 'matched by the Google query of sync.userFilter', passed: queryOk, detail: `${queryOk ? 'matches' : 'does not match'} ${filter.query}` });
  }
  const skip = deleted ? null : userSkipReason(user);
  checks.push({ check: 'has an email', passed: skip === null, detail: skip === null ? email : `not synced: ${skip}` });
  const disabled = disabledReason(user);
  checks.push({
    check: 'active in Google Workspace (not suspended or archived)',
    passed: disabled === null,
    detail: disabled === null ? 'active' : `${disabled}: ${sync.removeDisabled ? 'sync.removeDisabled is on, so it is removed from the organization' : 'sync.removeDisabled is off, so it stays a member'}`,
  });
  checks.push({ check: 'user sync enabled (sync.users)', passed: sync.users, detail: sync.users ? 'sync.users is on' : 'sync.users is off: no users are synced' });

  let groupScopeOk = true;
  if (sync.groups && deleted) {
    checks.push({ check: 'member of a kept group (group filter scopes users)', passed: true, detail: 'deleted users always pass (they are being removed)' });
  } else if (sync.groups) {
    const groups = await keptGroupsOf(source, user, signal);
    const scoped = parseGoogleFilter(sync.groupFilter, 'sync.groupFilter').set !== null;
    const exempt = sync.removeDisabled && disabled !== null;
    groupScopeOk = !scoped || exempt || groups.kept.length > 0;
    const detail = !scoped
      ? `no group set filter; direct groups: ${groups.all.join(', ') || 'none'}`
      : groups.kept.length > 0
        ? `direct member of kept group${groups.kept.length === 1 ? '' : 's'} ${groups.kept.join(', ')}`
        : exempt
          ? 'in no kept group, but disabled users pass while sync.removeDisabled is on (they are being removed)'
          : `in no group that sync.groupFilter keeps (direct groups: ${groups.all.join(', ') || 'none'}), so the group filter leaves it out`;
    checks.push({ check: 'member of a kept group (group filter scopes users)', passed: groupScopeOk, detail });
  }

  const explanation: ProviderExplanation = { found: true, referenceId: user.id, checks };
  const mapped = mapGoogleUser(user, deleted);
  if (inDomain && set.passed && queryOk && groupScopeOk && mapped !== null) explanation.user = mapped;
  return explanation;
}
