/**
 * The OneLogin source (reference §6.5, issue #11): users and ROLES as groups through the OneLogin API
 * v2 (`/api/2/users`, `/api/2/roles`, `/api/2/roles/{id}/users`) with a v2 client-credentials token,
 * the reference's `<set clause>|<native query>` filters (users by email, roles by name; the query is
 * sent as OneLogin query parameters), and the rule that a group set filter scopes users (§5.4).
 *
 * Better than the reference: any failed, throttled-out or malformed page aborts the whole read with a
 * typed error (the reference silently keeps the partial list, which can remove people); rate limits
 * are read and waited out (onelogin.rate-limit.ts); role members come from OneLogin itself, so a
 * groups-only sync has members; users without a usable email are named instead of dropped silently.
 * Every read is complete (`mode: full`): OneLogin has no delta, and a deleted user simply vanishes —
 * core removes previously synced users that vanish from a complete read.
 */
import { DirconnError } from '@dirconn/core';
import type { DirectoryGroup, DirectoryProvider, DirectorySnapshot, DirectoryUser, Logger, ProviderDeps, ProviderExplanation, ReadOptions, SyncConfig } from '@dirconn/core';
import { forEachLimited } from '../shared/run-limited.js';
import { passesSetFilter, scopeUsersToKeptGroups } from '../shared/set-filter.js';
import { OneLoginApiClient } from './onelogin.api.js';
import { OneLoginAuth } from './onelogin.auth.js';
import { oneLoginBase, parseOneLoginFilter, type OneLoginConfig, type OneLoginFilter } from './onelogin.config.js';
import { explainOneLoginUser } from './onelogin.explain.js';
import { mapOneLoginRole, mapOneLoginUser, oneLoginRoleName, type OneLoginApiRole, type OneLoginApiRoleUser, type OneLoginApiUser } from './onelogin.mapping.js';
import { OneLoginRateLimiter } from './onelogin.rate-limit.js';

/** Page sizes asked for: the v2 maxima (users 1000, roles and role users 650). */
export const PAGE_SIZE = { users: 1000, roles: 650, members: 650 } as const;
/** Role member lists read at once (the limit is per hour, so parallelism only shortens the wall time). */
export const MEMBER_READ_CONCURRENCY = 4;

/** Knobs that are not configuration (tests, bench). */
export interface OneLoginProviderOptions {
  memberConcurrency?: number;
}

/** The OneLogin implementation of the DirectoryProvider port. */
export class OneLoginProvider implements DirectoryProvider {
  readonly type = 'onelogin';
  private readonly config: OneLoginConfig;
  private readonly sync: SyncConfig;
  private readonly logger: Logger;
  /** The pacer and the token live as long as the provider: what one call learnt counts in the next. */
  readonly limiter: OneLoginRateLimiter;
  #auth: OneLoginAuth | null = null;

  constructor(
    private readonly deps: Pick<ProviderDeps<OneLoginConfig>, 'config' | 'sync' | 'secret' | 'logger' | 'transport' | 'clock'>,
    private readonly options: OneLoginProviderOptions = {},
  ) {
    this.config = deps.config;
    this.sync = deps.sync;
    this.logger = deps.logger;
    this.limiter = new OneLoginRateLimiter(deps.clock);
  }

  /** A client for one operation (the token is shared between operations). */
  private client(): OneLoginApiClient {
    const clientId = (this.config.clientId ?? '').trim();
    if (clientId === '') throw new DirconnError('config.incomplete', 'onelogin.clientId is not set.', { hint: 'Set it with "dirconn config onelogin.clientId <client id of the API credential>".' });
    const secret = this.deps.secret?.trim();
    if (!secret) {
      throw new DirconnError('secrets.missing', 'No OneLogin client secret is set.', {
        hint: 'Save the API credential\'s client secret with "dirconn config onelogin.clientSecret --secretfile <file>" (or DIRCONN_ONELOGIN_SECRET[_FILE]).',
      });
    }
    const base = oneLoginBase(this.config);
    this.#auth ??= new OneLoginAuth(base, clientId, secret, this.deps.transport, this.deps.clock);
    return new OneLoginApiClient(base, this.deps.transport, this.#auth, this.limiter);
  }

  async read(options: ReadOptions): Promise<DirectorySnapshot> {
    const userFilter = parseOneLoginFilter(this.sync.userFilter, 'sync.userFilter');
    const groupFilter = parseOneLoginFilter(this.sync.groupFilter, 'sync.groupFilter');
    if (options.signal?.aborted) throw new DirconnError('cancelled', 'The directory read was cancelled.');
    const client = this.client();
    const signal = options.signal;
    const stats = { usersRead: 0, usersWithoutEmail: 0, usersFromUsername: 0, usersFromSuffix: 0, groupsRead: 0, membersRead: 0 };

    let users: DirectoryUser[] | null = null;
    if (options.users) {
      const raw: OneLoginApiUser[] = [];
      await client.list<OneLoginApiUser>('/api/2/users', [...(userFilter.query?.params ?? []), ['limit', String(PAGE_SIZE.users)]], 'users', { what: 'the user list', query: queryContext(userFilter, 'sync.userFilter') }, (page) => {
        raw.push(...page);
        stats.usersRead += page.length;
        options.onProgress?.({ phase: 'users', count: stats.usersRead });
      }, signal);
      users = [];
      const seen = new Set<string>();
      for (const item of raw) {
        const mapped = item !== null && typeof item === 'object' ? mapOneLoginUser(item, this.sync) : null;
        if (mapped === null) throw new DirconnError('provider.incomplete-read', 'OneLogin returned a user without an id, so nothing was synced.', { hint: 'Check onelogin.baseUrl (and any proxy in between); run the sync again.' });
        if (seen.has(mapped.user.externalId)) continue;
        seen.add(mapped.user.externalId);
        if (mapped.source === 'none') stats.usersWithoutEmail++;
        if (mapped.source === 'username') stats.usersFromUsername++;
        if (mapped.source === 'username+suffix') stats.usersFromSuffix++;
        // A user without a usable email stays in the read (email null): core names it as not synced
        // and never removes a previously synced person as "vanished" because of it.
        if (passesSetFilter(userFilter.set, mapped.user.email)) users.push(mapped.user);
      }
    }

    let groups: DirectoryGroup[] | null = null;
    if (options.groups) groups = await this.readRoles(client, groupFilter, options, stats);

    // Reference §5.4: a role set filter keeps only users who are direct members of a kept role
    // (deleted users, and disabled ones when they are being removed, always pass).
    if (users !== null && groups !== null && groupFilter.set !== null) users = scopeUsersToKeptGroups(users, groups, this.sync.removeDisabled);

    const api = client.stats;
    const pacing = this.limiter.stats;
    this.logger.debug('onelogin: read done', { requests: api.requests, pages: api.pages, paceWaits: pacing.paceWaits, throttled: pacing.throttled });
    return {
      users,
      groups,
      mode: 'full',
      warnings: [],
      stats: {
        ...stats,
        apiRequests: api.requests,
        tokenRequests: this.#auth?.fetched ?? 0,
        userPages: api.pages['users'] ?? 0,
        rolePages: api.pages['roles'] ?? 0,
        memberPages: api.pages['members'] ?? 0,
        rateLimitPaceWaits: pacing.paceWaits,
        rateLimitPaceWaitedMs: pacing.paceWaitedMs,
        rateLimited429: pacing.throttled,
        rateLimitRemaining: pacing.lastRemaining,
        // Pacing waits plus the transport's waits after 429s: the run's time spent on rate limits.
        rateLimitWaitedMs: pacing.paceWaitedMs + this.deps.transport.stats().throttledMs,
        users: users?.length ?? 0,
        groups: groups?.length ?? 0,
      },
    };
  }

  /** Every role passing the filter, with its users. */
  private async readRoles(client: OneLoginApiClient, groupFilter: OneLoginFilter, options: ReadOptions, stats: { groupsRead: number; membersRead: number }): Promise<DirectoryGroup[]> {
    const raw: OneLoginApiRole[] = [];
    await client.list<OneLoginApiRole>('/api/2/roles', [...(groupFilter.query?.params ?? []), ['limit', String(PAGE_SIZE.roles)]], 'roles', { what: 'the role list', query: queryContext(groupFilter, 'sync.groupFilter') }, (page) => {
      for (const role of page) {
        if (role === null || typeof role !== 'object' || (typeof role.id !== 'number' && typeof role.id !== 'string')) throw new DirconnError('provider.incomplete-read', 'OneLogin returned a role without an id, so nothing was synced.');
        if (passesSetFilter(groupFilter.set, role.name)) raw.push(role);
      }
    }, options.signal);
    stats.groupsRead = raw.length;
    const mapped = new Map<OneLoginApiRole, DirectoryGroup>();
    let done = 0;
    await forEachLimited(raw, this.options.memberConcurrency ?? MEMBER_READ_CONCURRENCY, options.signal, async (role, workSignal) => {
      const members: OneLoginApiRoleUser[] = [];
      await client.list<OneLoginApiRoleUser>(`/api/2/roles/${encodeURIComponent(String(role.id))}/users`, [['limit', String(PAGE_SIZE.members)]], 'members', { what: `the users of role ${oneLoginRoleName(role)}` }, (page) => {
        for (const m of page) if (m !== null && typeof m === 'object') members.push(m);
      }, workSignal);
      const group = mapOneLoginRole(role, members);
      stats.membersRead += group.userMemberExternalIds.length;
      mapped.set(role, group);
      options.onProgress?.({ phase: 'groups', count: ++done, total: raw.length });
    });
    return raw.map((r) => mapped.get(r)).filter((g): g is DirectoryGroup => g !== undefined);
  }

  /** Gets a token and reads one user and one role: the credential, its scope and the host are right. */
  async check(signal?: AbortSignal): Promise<void> {
    const client = this.client();
    await client.get(client.url('/api/2/users', [['limit', '1']]), { what: 'the user list' }, signal);
    await client.get(client.url('/api/2/roles', [['limit', '1']]), { what: 'the role list' }, signal);
  }

  /** Explains whether one user (email, username or id) is in scope, and why. */
  async explain(query: string, signal?: AbortSignal): Promise<ProviderExplanation> {
    return explainOneLoginUser({ client: this.client(), sync: this.sync }, query, signal);
  }
}

function queryContext(filter: OneLoginFilter, setting: string): { text: string; setting: string } | undefined {
  return filter.query ? { text: filter.query.text, setting } : undefined;
}
