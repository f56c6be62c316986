/**
 * `dirconn explain <user>` for Okta: finds the user by id, login or email (deprovisioned ones
 * included), then lists the facts that decide its fate: its status and what it means, the set clause
 * and the native query of sync.userFilter (asked of Okta itself, so the answer is Okta's), and, when
 * a group set filter scopes users (§5.4), the groups the user is a direct member of.
 */
import type { DirectoryUser, ProviderExplanation, SyncConfig } from '@dirconn/core';
import { passesSetFilter } from '../shared/set-filter.js';
import type { OktaApiClient } from './okta.api.js';
import { parseOktaFilter, queryParams } from './okta.config.js';
import { mapOktaUser, oktaGroupName, statusEffect, type OktaApiGroup, type OktaApiUser } from './okta.mapping.js';

/** What explain needs. */
export interface OktaExplainContext {
  client: OktaApiClient;
  sync: SyncConfig;
}

const quote = (text: string): string => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

async function findUser(client: OktaApiClient, query: string, signal?: AbortSignal): Promise<OktaApiUser | null> {
  const text = query.trim();
  const filters = /^00u\w+$/.test(text) ? [`id eq ${quote(text)}`] : [`profile.login eq ${quote(text)}`, `profile.email eq ${quote(text)}`, `profile.email eq ${quote(text.toLowerCase())}`];
  for (const filter of filters) {
    const { doc } = await client.get(client.url('/users', { filter, limit: '2' }), { what: 'the user lookup' }, signal);
    if (Array.isArray(doc) && doc.length > 0) return doc[0] as OktaApiUser;
  }
  return null;
}

/** Explains one user; see the module comment. */
export async function explainOktaUser(context: OktaExplainContext, query: string, signal?: AbortSignal): Promise<ProviderExplanation> {
  const { client, sync } = context;
  const userFilter = parseOktaFilter(sync.userFilter, 'sync.userFilter');
  const groupFilter = parseOktaFilter(sync.groupFilter, 'sync.groupFilter');
  const checks: ProviderExplanation['checks'] = [];
  const raw = await findUser(client, query, signal);
  if (raw === null) {
    checks.push({ check: 'user exists in Okta', passed: false, detail: `no user has the id, login or email ${query.trim()}` });
    return { found: false, checks };
  }
  const user = mapOktaUser(raw) as DirectoryUser;
  checks.push({ check: 'user exists in Okta', passed: true, detail: `${raw.id} (${raw.profile?.login ?? 'no login'})` });
  const effect = statusEffect(raw.status);
  const statusDetail = { deleted: 'DEPROVISIONED: removed from the organization', disabled: 'SUSPENDED: counts as disabled (revoked or removed with sync.removeDisabled)', active: 'counts as active' }[effect];
  checks.push({ check: 'status', passed: effect === 'active', detail: `${raw.status ?? 'unknown'}: ${statusDetail}` });
  checks.push({ check: 'has an email (profile.email)', passed: user.email !== null, detail: user.email ?? 'profile.email is empty' });

  let inScope = true;
  if (userFilter.set !== null) {
    const passed = passesSetFilter(userFilter.set, user.email);
    inScope &&= passed;
    checks.push({ check: 'set clause of sync.userFilter', passed, detail: `${user.email ?? '--'} ${passed ? 'passes' : 'is filtered out by'} ${userFilter.set.mode}:${[...userFilter.set.values].join(',')}` });
  }
  if (userFilter.query !== null) {
    const scoped = { kind: userFilter.query.kind, text: `(${userFilter.query.text}) and id eq ${quote(raw.id)}` };
    const { doc } = await client.get(client.url('/users', { ...queryParams(scoped), limit: '1' }), { what: 'the user filter check', query: { text: userFilter.query.text, setting: 'sync.userFilter' } }, signal);
    const passed = Array.isArray(doc) && doc.length > 0;
    inScope &&= passed;
    checks.push({ check: `Okta ${userFilter.query.kind} of sync.userFilter`, passed, detail: `${userFilter.query.text} ${passed ? 'matches' : 'does not match'} this user` });
  }
  if (sync.groups && groupFilter.set !== null) {
    const names: string[] = [];
    await client.list<OktaApiGroup>(client.url(`/users/${encodeURIComponent(raw.id)}/groups`, {}), 'userGroups', { what: "the user's groups" }, (page) => {
      for (const g of page) names.push(oktaGroupName(g));
    }, signal);
    const kept = names.filter((n) => passesSetFilter(groupFilter.set, n));
    const passed = kept.length > 0 || user.deleted || (sync.removeDisabled && user.disabled);
    inScope &&= passed;
    checks.push({
      check: 'direct member of a group kept by sync.groupFilter (§5.4)',
      passed,
      detail: kept.length > 0 ? `member of ${kept.join(', ')}` : `member of ${names.length === 0 ? 'no group' : names.join(', ')}, none kept by ${groupFilter.set.mode}:${[...groupFilter.set.values].join(',')}`,
    });
  }
  const explanation: ProviderExplanation = { found: true, referenceId: raw.id, checks };
  if (inScope) explanation.user = user;
  return explanation;
}
