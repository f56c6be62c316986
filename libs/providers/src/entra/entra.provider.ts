/**
 * `EntraProvider`: reads users and groups from Microsoft Graph v1.0 (reference-connector.md §6.2,
 * directory-apis.md §2), complete or not at all.
 *
 * Full read (first run, `--force`, every `sync.fullSyncIntervalHours`, or when the saved cursor does
 * not fit the settings): one `/users/delta` round and one `/groups/delta` round with members, each
 * ending in a deltaLink. The two links are the snapshot's cursor; core stores it only after a
 * successful sync and hands it back as `since`.
 *
 * Delta read: replay both links. Changed users (new, updated, disabled, soft- or hard-deleted) are
 * returned in `delta` mode. When any group or membership changed, every group is read again (a
 * partial group list would be wrong for nested groups), and so are all users when group membership
 * decides the user scope (includeGroup/excludeGroup, or the group filter of §5.4), since users may
 * have entered or left it. An expired link (410 / syncStateNotFound) means a full read with a
 * warning, never an error loop.
 */
import { createHash } from 'node:crypto';
import { DirconnError } from '@dirconn/core';
import type { DirectoryGroup, DirectoryProvider, DirectorySnapshot, DirectoryUser, ProviderDeps, ProviderExplanation, ReadOptions, ReadWarning } from '@dirconn/core';
import { acquireGraphToken, AzureHttpAdapter, createEntraCredential } from './entra.auth.js';
import { graphRootOf, type EntraConfig } from './entra.config.js';
import { hasGroupSetFilter, parseEntraGroupFilter, parseEntraUserFilter, userFilterNeedsGroups, type EntraGroupFilter, type EntraUserFilter, type UserScopeSets } from './entra.filter.js';
import { DeltaExpiredError, GraphClient } from './entra.graph.js';
import { explainEntraUser } from './entra.explain.js';
import { fetchUser, GRAPH_CONCURRENCY, groupsDeltaRound, mapLimit, unionOfGroups, unionOfUnits, usersDeltaRound } from './entra.read.js';
import { partialUserIds, scopeGroups, scopeUsers, scopeUsersByGroups, skippedUserWarnings } from './entra.scope.js';
import type { GraphUser } from './entra.mapping.js';

/** The cursor an Entra read returns; opaque to core. */
export interface EntraCursor {
  v: 1;
  /** Digest of the settings that decide what is read; another value means a full read. */
  fingerprint: string;
  /** deltaLink of the users round, or null when users were not read. */
  users: string | null;
  /** deltaLink of the groups round, or null when groups were not tracked. */
  groups: string | null;
}

/** Parses a cursor we produced earlier; anything else is ignored (full read). */
export function parseEntraCursor(value: unknown): EntraCursor | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Partial<EntraCursor>;
  const link = (v: unknown): v is string | null => v === null || typeof v === 'string';
  if (c.v !== 1 || typeof c.fingerprint !== 'string' || !link(c.users) || !link(c.groups)) return undefined;
  return { v: 1, fingerprint: c.fingerprint, users: c.users, groups: c.groups };
}

/** What one read works with. */
interface ReadContext {
  graph: GraphClient;
  options: ReadOptions;
  userFilter: EntraUserFilter;
  groupFilter: EntraGroupFilter;
  /** Group changes must be tracked: groups are synced, or membership decides the user scope. */
  trackGroups: boolean;
  warnings: ReadWarning[];
  stats: EntraReadStats;
}

/** Counters of one read (snapshot.stats). */
interface EntraReadStats {
  [counter: string]: number;
  usersFilteredOut: number;
  usersSkipped: number;
  usersOutsideKeptGroups: number;
  groupsFilteredOut: number;
  ignoredMembers: number;
  userChanges: number;
  groupChanges: number;
  partialUsersRead: number;
}

/** The Entra implementation of the DirectoryProvider port. */
export class EntraProvider implements DirectoryProvider {
  readonly type = 'entra';
  readonly #adapter: AzureHttpAdapter;
  #credential: ReturnType<typeof createEntraCredential> | null = null;
  #token: { token: string; expiresOn: number } | null = null;

  constructor(private readonly deps: ProviderDeps<EntraConfig>) {
    this.#adapter = new AzureHttpAdapter(deps.http);
  }

  /** The Graph root of this configuration (validated before the provider is built). */
  get graphRoot(): string {
    const root = graphRootOf(this.deps.config);
    if (root === null) throw new DirconnError('config.incomplete', 'entra.graphUrl is not set and cannot be derived from entra.identityAuthority.', { hint: 'Set entra.graphUrl, e.g. https://graph.microsoft.com.' });
    return root;
  }

  /** A Graph client with a cached token (refreshed 2 minutes before expiry, or after a 401). */
  graphClient(signal?: AbortSignal): GraphClient {
    const root = this.graphRoot;
    const token = async (refresh: boolean): Promise<string> => {
      const now = this.deps.clock.now().getTime();
      if (!refresh && this.#token !== null && this.#token.expiresOn - now > 120_000) return this.#token.token;
      // A 401 means the cached token is no good: a new credential has an empty token cache.
      if (refresh) this.#credential = null;
      this.#credential ??= createEntraCredential({ config: this.deps.config, secret: this.deps.secret, adapter: this.#adapter });
      this.#token = await acquireGraphToken(this.#credential, this.#adapter, root, (this.deps.config.certificatePath ?? '').trim() !== '', signal);
      return this.#token.token;
    };
    return new GraphClient({ transport: this.deps.transport, graphRoot: root, token, ...(signal ? { signal } : {}) });
  }

  /** Signs in and reads one user (and one group when groups are synced): credentials and permissions. */
  async check(signal?: AbortSignal): Promise<void> {
    const graph = this.graphClient(signal);
    await graph.get(graph.url('/users', { $select: 'id', $top: '1' }), { route: 'GET /users', what: 'the user list', permission: 'User.Read.All' });
    if (this.deps.sync.groups) await graph.get(graph.url('/groups', { $select: 'id', $top: '1' }), { route: 'GET /groups', what: 'the group list', permission: 'GroupMember.Read.All' });
  }

  /** Checks that the groups and administrative units named in the filters exist. */
  async verifyLocations(signal?: AbortSignal): Promise<{ key: string; message: string }[]> {
    const graph = this.graphClient(signal);
    const problems: { key: string; message: string }[] = [];
    const userFilter = parseEntraUserFilter(this.deps.sync.userFilter);
    const groupFilter = parseEntraGroupFilter(this.deps.sync.groupFilter);
    const probes: { key: string; path: string; kind: string; id: string; permission: 'GroupMember.Read.All' | 'AdministrativeUnit.Read.All' }[] = [];
    for (const id of [...(userFilter.includeGroupIds ?? []), ...userFilter.excludeGroupIds]) probes.push({ key: 'sync.userFilter', path: `/groups/${encodeURIComponent(id)}`, kind: 'group', id, permission: 'GroupMember.Read.All' });
    for (const id of groupFilter.administrativeUnits?.ids ?? []) probes.push({ key: 'sync.groupFilter', path: `/directory/administrativeUnits/${encodeURIComponent(id)}`, kind: 'administrative unit', id, permission: 'AdministrativeUnit.Read.All' });
    await mapLimit(probes, GRAPH_CONCURRENCY, async (probe) => {
      try {
        await graph.get(graph.url(probe.path, { $select: 'id' }), { route: `GET ${probe.path.replace(/\/[^/]+$/, '/{id}')}`, what: `${probe.kind} ${probe.id}`, permission: probe.permission });
      } catch (error) {
        if (DirconnError.is(error) && (error.details as { status?: unknown } | undefined)?.status === 404) problems.push({ key: probe.key, message: `no ${probe.kind} with id ${probe.id} in the tenant` });
        else throw error;
      }
    });
    return problems;
  }

  async explain(query: string, signal?: AbortSignal): Promise<ProviderExplanation> {
    return explainEntraUser({ graph: this.graphClient(signal), sync: this.deps.sync, query });
  }

  async read(options: ReadOptions): Promise<DirectorySnapshot> {
    const started = Date.now();
    const userFilter = parseEntraUserFilter(this.deps.sync.userFilter);
    const groupFilter = parseEntraGroupFilter(this.deps.sync.groupFilter);
    const graph = this.graphClient(options.signal);
    const ctx: ReadContext = {
      graph,
      options,
      userFilter,
      groupFilter,
      trackGroups: options.groups || (options.users && userFilterNeedsGroups(userFilter)),
      warnings: [],
      stats: { usersFilteredOut: 0, usersSkipped: 0, usersOutsideKeptGroups: 0, groupsFilteredOut: 0, ignoredMembers: 0, userChanges: 0, groupChanges: 0, partialUsersRead: 0 },
    };
    const fingerprint = this.fingerprint(options);
    let snapshot: DirectorySnapshot | null = null;
    const cursor = options.force ? undefined : parseEntraCursor(options.since);
    if (!options.force && options.since !== undefined && options.since !== null) {
      if (cursor === undefined) ctx.warnings.push({ code: 'entra.cursor-unknown', message: 'The saved delta cursor was not made by this Entra source; reading everything.' });
      else if (cursor.fingerprint !== fingerprint) ctx.warnings.push({ code: 'entra.cursor-stale', message: 'The Entra settings or filters changed since the last sync; reading everything instead of only changes.' });
      else if (!this.usableCursor(ctx, cursor)) ctx.warnings.push({ code: 'entra.cursor-stale', message: 'The saved delta links do not match this configuration; reading everything.' });
      else {
        try {
          snapshot = await this.deltaRead(ctx, cursor, fingerprint);
        } catch (error) {
          if (!(error instanceof DeltaExpiredError)) throw error;
          ctx.warnings.push({ code: 'entra.delta-expired', message: `${error.message} Reading everything instead (Graph keeps change tokens for about 7 days).` });
        }
      }
    }
    snapshot ??= await this.fullRead(ctx, fingerprint);
    const transport = this.deps.transport.stats();
    snapshot.stats = {
      ...snapshot.stats,
      graphRequests: graph.stats.graphRequests,
      pages: graph.stats.pages,
      signInRequests: this.#adapter.requests,
      retries: transport.retries,
      throttledMs: transport.throttledMs,
      durationMs: Date.now() - started,
    };
    return snapshot;
  }

  /** Settings that decide what is read: a change means the saved links no longer fit. */
  private fingerprint(options: ReadOptions): string {
    const c = this.deps.config;
    const basis = JSON.stringify([c.tenant?.trim().toLowerCase(), c.applicationId?.trim().toLowerCase(), this.graphRoot, this.deps.sync.userFilter ?? '', this.deps.sync.groupFilter ?? '', options.users, options.groups]);
    return createHash('sha256').update(basis).digest('base64url').slice(0, 22);
  }

  private usableCursor(ctx: ReadContext, cursor: EntraCursor): boolean {
    const ok = (link: string | null, needed: boolean): boolean => !needed || (link !== null && ctx.graph.isGraphUrl(link));
    return ok(cursor.users, ctx.options.users) && ok(cursor.groups, ctx.trackGroups);
  }

  private async scopeSets(ctx: ReadContext): Promise<UserScopeSets> {
    const f = ctx.userFilter;
    const included = f.includeGroupIds === null ? null : await unionOfGroups(ctx.graph, f.includeGroupIds);
    const excluded = f.excludeGroupIds.size === 0 ? new Set<string>() : await unionOfGroups(ctx.graph, f.excludeGroupIds);
    return { included, excluded };
  }

  private async readUsers(ctx: ReadContext, items: GraphUser[]): Promise<DirectoryUser[]> {
    const scope = userFilterNeedsGroups(ctx.userFilter) && items.some((u) => u['@removed'] === undefined) ? await this.scopeSets(ctx) : { included: null, excluded: new Set<string>() };
    const scoped = scopeUsers(items, ctx.userFilter, scope);
    ctx.warnings.push(...skippedUserWarnings(scoped.skipped));
    ctx.stats.usersFilteredOut += scoped.filteredOut;
    ctx.stats.usersSkipped += scoped.skipped.length;
    return scoped.users;
  }

  private async readGroups(ctx: ReadContext, round: Awaited<ReturnType<typeof groupsDeltaRound>>): Promise<DirectoryGroup[]> {
    const units = ctx.groupFilter.administrativeUnits === null ? null : await unionOfUnits(ctx.graph, ctx.groupFilter.administrativeUnits.ids);
    const scoped = scopeGroups(round.merger.groups(), ctx.groupFilter, units);
    ctx.stats.groupsFilteredOut = scoped.filteredOut;
    ctx.stats.ignoredMembers = scoped.ignoredMembers;
    return scoped.groups;
  }

  /** §5.4 with the groups of this run. */
  private scopeByGroups(ctx: ReadContext, users: DirectoryUser[] | null, groups: DirectoryGroup[] | null): DirectoryUser[] | null {
    if (users === null || groups === null || !ctx.options.groups || !hasGroupSetFilter(ctx.groupFilter)) return users;
    const scoped = scopeUsersByGroups(users, groups, this.deps.sync.removeDisabled);
    ctx.stats.usersOutsideKeptGroups = scoped.dropped;
    return scoped.users;
  }

  private async fullRead(ctx: ReadContext, fingerprint: string): Promise<DirectorySnapshot> {
    const { options } = ctx;
    let users: DirectoryUser[] | null = null;
    let groups: DirectoryGroup[] | null = null;
    const cursor: EntraCursor = { v: 1, fingerprint, users: null, groups: null };
    if (options.users) {
      const round = await usersDeltaRound(ctx.graph, null, options.onProgress);
      cursor.users = round.deltaLink;
      users = await this.readUsers(ctx, round.items);
    }
    if (ctx.trackGroups) {
      const round = await groupsDeltaRound(ctx.graph, null, options.onProgress);
      cursor.groups = round.deltaLink;
      if (options.groups) groups = await this.readGroups(ctx, round);
    }
    users = this.scopeByGroups(ctx, users, groups);
    return { users, groups, mode: 'full', cursor, warnings: ctx.warnings, stats: { ...ctx.stats, users: users?.length ?? 0, groups: groups?.length ?? 0 } };
  }

  private async deltaRead(ctx: ReadContext, previous: EntraCursor, fingerprint: string): Promise<DirectorySnapshot> {
    const { options } = ctx;
    const cursor: EntraCursor = { v: 1, fingerprint, users: previous.users, groups: previous.groups };
    let groupRound: Awaited<ReturnType<typeof groupsDeltaRound>> | null = null;
    let groupsChanged = false;
    if (ctx.trackGroups && previous.groups !== null) {
      const changes = await groupsDeltaRound(ctx.graph, previous.groups, options.onProgress);
      cursor.groups = changes.deltaLink;
      groupsChanged = changes.merger.size > 0;
      ctx.stats.groupChanges = changes.merger.size;
    }
    const membershipScopesUsers = userFilterNeedsGroups(ctx.userFilter) || (options.groups && hasGroupSetFilter(ctx.groupFilter));
    let users: DirectoryUser[] | null = null;
    let usersComplete = !options.users;
    if (options.users && previous.users !== null) {
      if (groupsChanged && membershipScopesUsers) {
        const round = await usersDeltaRound(ctx.graph, null, options.onProgress);
        cursor.users = round.deltaLink;
        users = await this.readUsers(ctx, round.items);
        usersComplete = true;
      } else {
        const changes = await usersDeltaRound(ctx.graph, previous.users, options.onProgress);
        cursor.users = changes.deltaLink;
        ctx.stats.userChanges = changes.items.length;
        const items = await this.completePartialUsers(ctx, changes.items);
        users = await this.readUsers(ctx, items);
      }
    }
    // Groups: all of them when anything changed, or when changed users must be scoped by them (§5.4).
    const needGroupsForScope = !groupsChanged && !usersComplete && options.groups && hasGroupSetFilter(ctx.groupFilter) && (users?.some((u) => !u.deleted) ?? false);
    let groups: DirectoryGroup[] | null = options.groups ? [] : null;
    let groupsComplete = !options.groups;
    if (options.groups && (groupsChanged || needGroupsForScope)) {
      groupRound = await groupsDeltaRound(ctx.graph, null, options.onProgress);
      cursor.groups = groupRound.deltaLink;
      groups = await this.readGroups(ctx, groupRound);
      groupsComplete = true;
    }
    if (groupsComplete) users = this.scopeByGroups(ctx, users, groups);
    const mode = usersComplete && groupsComplete ? 'full' : 'delta';
    return { users, groups, mode, cursor, warnings: ctx.warnings, stats: { ...ctx.stats, users: users?.length ?? 0, groups: groups?.length ?? 0 } };
  }

  /** Delta replays may carry only the changed properties: read such users whole (few per run). */
  private async completePartialUsers(ctx: ReadContext, items: GraphUser[]): Promise<GraphUser[]> {
    const partial = new Set(partialUserIds(items));
    if (partial.size === 0) return items;
    const fetched = await mapLimit([...partial], GRAPH_CONCURRENCY, (id) => fetchUser(ctx.graph, id));
    const byId = new Map<string, GraphUser>();
    for (const user of fetched) if (user !== null) byId.set(user.id, user);
    ctx.stats.partialUsersRead = partial.size;
    // A user gone between the delta page and the lookup is a tombstone.
    return items.map((item) => (partial.has(item.id) ? (byId.get(item.id) ?? { id: item.id, '@removed': { reason: 'deleted' } }) : item));
  }
}
