/**
 * The Okta source (reference §6.4, issue #11): users (every status; DEPROVISIONED → deleted,
 * SUSPENDED → disabled), groups (OKTA_GROUP, APP_GROUP and the built-in Everyone) and their direct
 * members through the Management API, with the reference's `<set clause>|<native query>` filters,
 * the rule that a group set filter scopes users (§5.4), and delta reads on `lastUpdated` /
 * `lastMembershipUpdated` (okta.delta.ts).
 *
 * Better than the reference: deprovisioned users are read on every run (deltas included) and in a
 * deterministic order; rate limits are read and respected (okta.rate-limit.ts) instead of a fixed
 * 500 ms pause and an abort on the first 429; any failed or malformed page aborts the whole read with
 * a typed error naming the token, role or scope to fix; member lists are read a few at a time.
 */
import { DirconnError } from '@dirconn/core';
import type { DirectoryGroup, DirectoryProvider, DirectorySnapshot, DirectoryUser, Logger, ProviderDeps, ProviderExplanation, ReadOptions, ReadWarning, SyncConfig } from '@dirconn/core';
import { forEachLimited } from '../shared/run-limited.js';
import { passesSetFilter, scopeUsersToKeptGroups } from '../shared/set-filter.js';
import { OktaApiClient } from './okta.api.js';
import { oktaAuth } from './okta.auth.js';
import { orgBase, parseOktaFilter, queryParams, type OktaConfig, type OktaFilter } from './okta.config.js';
import { decideOktaDelta, oktaFingerprint, withDelta, type OktaCursor } from './okta.delta.js';
import { explainOktaUser } from './okta.explain.js';
import { mapOktaGroup, mapOktaUser, mergeById, type OktaApiGroup, type OktaApiUser } from './okta.mapping.js';
import { OktaRateLimiter } from './okta.rate-limit.js';

/** Page sizes: users 200 (the API maximum), groups 10000 (maximum), members 1000. */
export const PAGE_SIZE = { users: 200, groups: 10_000, members: 1000 } as const;
/** Member lists read at once: far below Okta's concurrency limit (75 per org, fewer on small editions). */
export const MEMBER_READ_CONCURRENCY = 4;

/** Knobs that are not configuration (tests, bench). */
export interface OktaProviderOptions {
  memberConcurrency?: number;
}

/** The Okta implementation of the DirectoryProvider port. */
export class OktaProvider implements DirectoryProvider {
  readonly type = 'okta';
  private readonly config: OktaConfig;
  private readonly sync: SyncConfig;
  private readonly logger: Logger;
  /** The pacer lives as long as the provider: buckets learnt in one call still count in the next. */
  readonly limiter: OktaRateLimiter;

  constructor(
    private readonly deps: Pick<ProviderDeps<OktaConfig>, 'config' | 'sync' | 'secret' | 'logger' | 'transport' | 'clock'>,
    private readonly options: OktaProviderOptions = {},
  ) {
    this.config = deps.config;
    this.sync = deps.sync;
    this.logger = deps.logger;
    this.limiter = new OktaRateLimiter(deps.clock, deps.config.rateLimitShare ?? 50);
  }

  /** A client for one operation. */
  private client(): OktaApiClient {
    const base = orgBase(this.config.orgUrl);
    if (base === '') throw new DirconnError('config.incomplete', 'okta.orgUrl is not set.', { hint: 'Set it with "dirconn config okta.orgUrl https://<your org>.okta.com".' });
    return new OktaApiClient(base, this.deps.transport, oktaAuth(this.config, this.deps.secret, this.deps.transport, this.deps.clock), this.limiter);
  }

  async read(options: ReadOptions): Promise<DirectorySnapshot> {
    const userFilter = parseOktaFilter(this.sync.userFilter, 'sync.userFilter');
    const groupFilter = parseOktaFilter(this.sync.groupFilter, 'sync.groupFilter');
    if (options.signal?.aborted) throw new DirconnError('cancelled', 'The directory read was cancelled.');
    const client = this.client();
    const signal = options.signal;
    const startedAt = this.deps.clock.now();
    const warnings: ReadWarning[] = [];
    const fingerprint = oktaFingerprint(orgBase(this.config.orgUrl), this.sync.userFilter, this.sync.groupFilter);
    const decision = decideOktaDelta({ force: options.force, cursor: options.since, fingerprint, scopesUsersByGroups: options.users && options.groups && groupFilter.set !== null });
    if (decision.warning) warnings.push(decision.warning);
    const since = decision.since;
    const stats = { usersRead: 0, groupsRead: 0, membersRead: 0, groupsChanged: 0 };
    const userQuery = userFilter.query ? { text: userFilter.query.text, setting: 'sync.userFilter' } : undefined;
    const groupQuery = groupFilter.query ? { text: groupFilter.query.text, setting: 'sync.groupFilter' } : undefined;

    let users: DirectoryUser[] | null = null;
    if (options.users) {
      const query = withDelta(userFilter.query, since === null ? null : `lastUpdated gt "${since}"`);
      const lists: OktaApiUser[][] = [];
      const readUsers = async (params: Record<string, string | null>, what: string): Promise<void> => {
        const list: OktaApiUser[] = [];
        lists.push(list);
        await client.list<OktaApiUser>(client.url('/users', { ...params, limit: String(PAGE_SIZE.users) }), 'users', { what, query: userQuery }, (page) => {
          list.push(...page);
          stats.usersRead += page.length;
          options.onProgress?.({ phase: 'users', count: stats.usersRead });
        }, signal);
      };
      await readUsers(queryParams(query), 'the user list');
      // Without filter or search Okta leaves DEPROVISIONED users out: ask for them separately, so a
      // deprovisioned person is removed (the reference skips this on delta runs).
      if (query === null) await readUsers({ filter: 'status eq "DEPROVISIONED"' }, 'the deprovisioned-user list');
      users = mergeById(...lists)
        .map(mapOktaUser)
        .filter((u): u is DirectoryUser => u !== null && passesSetFilter(userFilter.set, u.email));
    }

    let groups: DirectoryGroup[] | null = null;
    let groupsComplete = !options.groups;
    if (options.groups) {
      let changed = true;
      if (since !== null) {
        const probe = withDelta(groupFilter.query, `(lastUpdated gt "${since}" or lastMembershipUpdated gt "${since}")`);
        const { doc } = await client.get(client.url('/groups', { ...queryParams(probe), limit: '1' }), { what: 'the changed-group check', query: groupQuery }, signal);
        changed = Array.isArray(doc) && doc.length > 0;
      }
      if (changed) {
        groups = await this.readGroups(client, groupFilter, groupQuery, options, stats);
        groupsComplete = true;
      } else groups = [];
    }

    // Reference §5.4: a group set filter keeps only users who are direct members of a kept group
    // (deleted users, and disabled ones when they are being removed, always pass).
    if (users !== null && groups !== null && groupFilter.set !== null) users = scopeUsersToKeptGroups(users, groups, this.sync.removeDisabled);

    const mode = since === null && groupsComplete ? 'full' : 'delta';
    const cursor: OktaCursor = { v: 1, source: 'okta', lastSync: startedAt.toISOString(), fingerprint };
    const api = client.stats;
    const pacing = this.limiter.stats;
    this.logger.debug('okta: read done', { mode, requests: api.requests, pages: api.pages, paceWaits: pacing.paceWaits, throttled: pacing.throttled });
    return {
      users,
      groups,
      mode,
      cursor,
      warnings,
      stats: {
        ...stats,
        apiRequests: api.requests,
        userPages: api.pages['users'] ?? 0,
        groupPages: api.pages['groups'] ?? 0,
        memberPages: api.pages['members'] ?? 0,
        rateLimitPaceWaits: pacing.paceWaits,
        rateLimitPaceWaitedMs: pacing.paceWaitedMs,
        rateLimited429: pacing.throttled,
        // Pacing waits plus the transport's waits after 429s: the run's time spent on rate limits.
        rateLimitWaitedMs: pacing.paceWaitedMs + this.deps.transport.stats().throttledMs,
        users: users?.length ?? 0,
        groups: groups?.length ?? 0,
      },
    };
  }

  /** Every group passing the filter, with its direct members. */
  private async readGroups(
    client: OktaApiClient,
    groupFilter: OktaFilter,
    groupQuery: { text: string; setting: string } | undefined,
    options: ReadOptions,
    stats: { groupsRead: number; membersRead: number; groupsChanged: number },
  ): Promise<DirectoryGroup[]> {
    const raw: OktaApiGroup[] = [];
    await client.list<OktaApiGroup>(client.url('/groups', { ...queryParams(groupFilter.query), limit: String(PAGE_SIZE.groups) }), 'groups', { what: 'the group list', query: groupQuery }, (page) => {
      for (const g of page) if (typeof g.id === 'string' && passesSetFilter(groupFilter.set, g.profile?.name)) raw.push(g);
    }, options.signal);
    stats.groupsRead = raw.length;
    const mapped = new Map<string, DirectoryGroup>();
    let done = 0;
    await forEachLimited(raw, this.options.memberConcurrency ?? MEMBER_READ_CONCURRENCY, options.signal, async (group, workSignal) => {
      const ids: string[] = [];
      const name = group.profile?.name ?? group.id;
      await client.list<OktaApiUser>(client.url(`/groups/${encodeURIComponent(group.id)}/users`, { limit: String(PAGE_SIZE.members) }), 'members', { what: `the members of group ${name}` }, (page) => {
        for (const u of page) if (typeof u.id === 'string') ids.push(u.id);
      }, workSignal);
      stats.membersRead += ids.length;
      mapped.set(group.id, mapOktaGroup(group, ids));
      options.onProgress?.({ phase: 'groups', count: ++done, total: raw.length });
    });
    return raw.map((g) => mapped.get(g.id)).filter((g): g is DirectoryGroup => g !== undefined);
  }

  /** Reads one user and one group: the org URL, the credential and its rights are right. */
  async check(signal?: AbortSignal): Promise<void> {
    const client = this.client();
    await client.get(client.url('/users', { limit: '1' }), { what: 'the user list' }, signal);
    await client.get(client.url('/groups', { limit: '1' }), { what: 'the group list' }, signal);
  }

  /** Explains whether one user (email, login or id) is in scope, and why. */
  async explain(query: string, signal?: AbortSignal): Promise<ProviderExplanation> {
    return explainOktaUser({ client: this.client(), sync: this.sync }, query, signal);
  }
}
