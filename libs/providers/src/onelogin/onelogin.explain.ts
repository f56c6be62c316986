/**
 * `dirconn explain <user>` for OneLogin: finds the user by id, email or username, then lists the
 * facts that decide its fate: its status and what it means, where its email comes from (email, else
 * username, else username + sync.emailSuffix) or why it has none, the set clause and the native query
 * of sync.userFilter (the query is asked of OneLogin itself), and, when a role set filter scopes users
 * (§5.4), the kept roles the user holds.
 */
import type { ProviderExplanation, SyncConfig } from '@dirconn/core';
import { passesSetFilter } from '../shared/set-filter.js';
import type { OneLoginApiClient } from './onelogin.api.js';
import { parseOneLoginFilter } from './onelogin.config.js';
import { describeStatus, mapOneLoginUser, oneLoginId, oneLoginRoleName, type OneLoginApiRole, type OneLoginApiRoleUser, type OneLoginApiUser } from './onelogin.mapping.js';

/** What explain needs. */
export interface OneLoginExplainContext {
  client: OneLoginApiClient;
  sync: SyncConfig;
}

async function findUser(context: OneLoginExplainContext, query: string, signal?: AbortSignal): Promise<OneLoginApiUser | null> {
  const { client, sync } = context;
  const text = query.trim();
  const lookups: [string, string][] = /^\d+$/.test(text) ? [['id', text]] : [['email', text], ['username', text]];
  const suffix = sync.emailSuffix?.trim().toLowerCase();
  if (sync.useEmailPrefixSuffix && suffix && text.toLowerCase().endsWith(suffix)) lookups.push(['username', text.slice(0, text.length - suffix.length)]);
  for (const [name, value] of lookups) {
    const { doc } = await client.get(client.url('/api/2/users', [[name, value], ['limit', '2']]), { what: 'the user lookup' }, signal);
    if (Array.isArray(doc) && doc.length > 0) return doc[0] as OneLoginApiUser;
  }
  return null;
}

const EMAIL_SOURCES = {
  email: 'from the email field',
  username: 'from the username (the email field is not an address)',
  'username+suffix': 'username + sync.emailSuffix (neither email nor username is an address)',
  none: 'neither email nor username is an address and no suffix applies (sync.useEmailPrefixSuffix, sync.emailSuffix): not synced',
} as const;

/** Explains one user; see the module comment. */
export async function explainOneLoginUser(context: OneLoginExplainContext, query: string, signal?: AbortSignal): Promise<ProviderExplanation> {
  const { client, sync } = context;
  const userFilter = parseOneLoginFilter(sync.userFilter, 'sync.userFilter');
  const groupFilter = parseOneLoginFilter(sync.groupFilter, 'sync.groupFilter');
  const checks: ProviderExplanation['checks'] = [];
  const raw = await findUser(context, query, signal);
  const mapped = raw === null ? null : mapOneLoginUser(raw, sync);
  if (raw === null || mapped === null) {
    checks.push({ check: 'user exists in OneLogin', passed: false, detail: `no user has the id, email or username ${query.trim()}` });
    return { found: false, checks };
  }
  const { user, source } = mapped;
  checks.push({ check: 'user exists in OneLogin', passed: true, detail: `${user.externalId} (${raw.username ?? 'no username'})` });
  checks.push({ check: 'status', passed: !user.disabled, detail: `${describeStatus(raw.status)}: ${user.disabled ? 'counts as disabled (revoked or removed with sync.removeDisabled)' : 'counts as active'}` });
  checks.push({ check: 'has a usable email', passed: user.email !== null, detail: user.email === null ? EMAIL_SOURCES.none : `${user.email} (${EMAIL_SOURCES[source]})` });

  let inScope = user.email !== null;
  if (userFilter.set !== null) {
    const passed = passesSetFilter(userFilter.set, user.email);
    inScope &&= passed;
    checks.push({ check: 'set clause of sync.userFilter', passed, detail: `${user.email ?? '--'} ${passed ? 'passes' : 'is filtered out by'} ${userFilter.set.mode}:${[...userFilter.set.values].join(',')}` });
  }
  if (userFilter.query !== null) {
    const params: [string, string][] = [...userFilter.query.params.filter(([name]) => name !== 'id'), ['id', user.externalId], ['limit', '1']];
    const { doc } = await client.get(client.url('/api/2/users', params), { what: 'the user filter check', query: { text: userFilter.query.text, setting: 'sync.userFilter' } }, signal);
    const passed = Array.isArray(doc) && doc.some((u) => oneLoginId((u as OneLoginApiUser | null)?.id) === user.externalId);
    inScope &&= passed;
    checks.push({ check: 'OneLogin query of sync.userFilter', passed, detail: `${userFilter.query.text} ${passed ? 'matches' : 'does not match'} this user` });
  }
  if (sync.groups && groupFilter.set !== null) {
    const kept: OneLoginApiRole[] = [];
    await client.list<OneLoginApiRole>('/api/2/roles', [...(groupFilter.query?.params ?? []), ['limit', '650']], 'roles', { what: 'the role list' }, (page) => {
      for (const role of page) if (passesSetFilter(groupFilter.set, role.name)) kept.push(role);
    }, signal);
    const holds: string[] = [];
    for (const role of kept) {
      let member = false;
      await client.list<OneLoginApiRoleUser>(`/api/2/roles/${encodeURIComponent(String(role.id))}/users`, [['limit', '650']], 'members', { what: `the users of role ${oneLoginRoleName(role)}` }, (page) => {
        member ||= page.some((m) => m.assigned !== false && oneLoginId(m.id) === user.externalId);
      }, signal);
      if (member) holds.push(oneLoginRoleName(role));
    }
    const passed = holds.length > 0 || (sync.removeDisabled && user.disabled);
    inScope &&= passed;
    checks.push({
      check: 'holds a role kept by sync.groupFilter (§5.4)',
      passed,
      detail: holds.length > 0 ? `holds ${holds.join(', ')}` : `holds none of the ${kept.length} role(s) kept by ${groupFilter.set.mode}:${[...groupFilter.set.values].join(',')}`,
    });
  }
  const explanation: ProviderExplanation = { found: true, referenceId: user.externalId, checks };
  if (inScope) explanation.user = user;
  return explanation;
}
