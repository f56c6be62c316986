/**
 * The Google Workspace source (reference §6.3, issue #10): users (active and suspended, then a
 * `showDeleted` pass whose users are deleted), groups and their direct members through the Admin SDK
 * Directory API, with the reference's `<set clause>|<query>` filters and the rule that a group set
 * filter scopes users (§5.4). Always a full read (Google has no delta for these lists).
 *
 * Better than the reference: users of every domain when only `google.customer` is set; 403 rate
 * limits retried with back-off inside a bounded wait; any failed page aborts the whole read with a
 * typed error; skipped users and whole-account (CUSTOMER) groups are reported; member lists of groups
 * Google reports empty are not fetched; member lists are read a few at a time.
 */
import { DirconnError } from '@dirconn/core';
import type { DirectoryGroup, DirectoryProvider, DirectorySnapshot, DirectoryUser, Logger, ProviderDeps, ProviderExplanation, ReadOptions, ReadWarning, SyncConfig } from '@dirconn/core';
import { passesSetFilter, scopeUsersToKeptGroups } from '../shared/set-filter.js';
import { forEachLimited, GoogleDirectoryClient } from './google.api.js';
import { GOOGLE_SCOPES, GoogleTokenSource, resolveCredentials } from './google.auth.js';
import { GOOGLE_ROOT_URL, parseGoogleFilter, type GoogleConfig, type ServiceAccountKey } from './google.config.js';
import { explainGoogleUser } from './google.explain.js';
import { isKnownEmpty, mapGoogleGroup, mapGoogleUser, resolveMembers, type GoogleApiGroup, type GoogleApiMember, type GoogleApiUser } from './google.mapping.js';

/** Page sizes: the API maxima (users 500, groups and members 200). */
export const PAGE_SIZE = { users: 500, groups: 200, members: 200 } as const;
/** Member lists read at once (Google's per-user quota is about 40 requests per second). */
export const MEMBER_READ_CONCURRENCY = 8;

/** Partial-response field masks: only what the mapping reads. */
const FIELDS = {
  users: 'nextPageToken,users(id,primaryEmail,suspended,archived,emails,name/fullName)',
  groups: 'nextPageToken,groups(id,email,name,directMembersCount)',
  members: 'nextPageToken,members(id,email,type,status)',
} as const;

/** Knobs that are not configuration (tests). */
export interface GoogleProviderOptions {
  /** Reads the key file. Default: the file system. */
  readKey?: (path: string) => ServiceAccountKey;
  /** Member lists read at once. Default {@link MEMBER_READ_CONCURRENCY}. */
  memberConcurrency?: number;
}

/** The scope of list calls: `customer` and/or `domain` as configured (never empty values). */
export function scopeParams(config: GoogleConfig): Record<string, string> {
  const params: Record<string, string> = {};
  if (config.customer?.trim()) params['customer'] = config.customer.trim();
  if (config.domain?.trim()) params['domain'] = config.domain.trim();
  return params;
}

/** The Google Workspace implementation of the DirectoryProvider port. */
export class GoogleProvider implements DirectoryProvider {
  readonly type = 'google';
  private readonly config: GoogleConfig;
  private readonly sync: SyncConfig;
  private readonly logger: Logger;

  constructor(
    private readonly deps: Pick<ProviderDeps<GoogleConfig>, 'config' | 'sync' | 'secret' | 'logger' | 'transport' | 'clock'>,
    private readonly options: GoogleProviderOptions = {},
  ) {
    this.config = deps.config;
    this.sync = deps.sync;
    this.logger = deps.logger;
  }

  /** A client with fresh credentials (the key file is read here, at each run). */
  private client(): GoogleDirectoryClient {
    const credentials = resolveCredentials(this.config, this.deps.secret, this.options.readKey);
    const tokens = new GoogleTokenSource(credentials, this.deps.transport, this.deps.clock);
    return new GoogleDirectoryClient(this.config.rootUrl?.trim() || GOOGLE_ROOT_URL, this.deps.transport, tokens, { clientEmail: credentials.clientEmail, adminUser: credentials.adminUser, tokenUrl: credentials.tokenUrl });
  }

  async read(options: ReadOptions): Promise<DirectorySnapshot> {
    const userFilter = parseGoogleFilter(this.sync.userFilter, 'sync.userFilter');
    const groupFilter = parseGoogleFilter(this.sync.groupFilter, 'sync.groupFilter');
    if (options.signal?.aborted) throw new DirconnError('cancelled', 'The directory read was cancelled.');
    const client = this.client();
    const signal = options.signal;
    const warnings: ReadWarning[] = [];
    const scope = scopeParams(this.config);
    const stats = { usersRead: 0, deletedUsersRead: 0, usersSkipped: 0, groupsRead: 0, memberListsSkipped: 0, membersSkipped: 0 };

    let users: DirectoryUser[] | null = null;
    if (options.users) {
      const byId = new Map<string, DirectoryUser>();
      const skipped: string[] = [];
      const userQuery = userFilter.query ? { text: userFilter.query, setting: 'sync.userFilter' } : undefined;
      for (const deleted of [false, true]) {
        await client.list<GoogleApiUser>(
          {
            path: '/users',
            params: { ...scope, query: userFilter.query, showDeleted: deleted ? 'true' : null, maxResults: String(PAGE_SIZE.users), fields: FIELDS.users },
            itemsKey: 'users',
            counter: deleted ? 'deletedUsers' : 'users',
            context: { what: deleted ? 'the deleted-user list' : 'the user list', scope: GOOGLE_SCOPES[0], query: userQuery },
          },
          (page) => {
            for (const raw of page) {
              if (deleted) stats.deletedUsersRead++;
              else stats.usersRead++;
              const user = mapGoogleUser(raw, deleted);
              if (user === null) skipped.push(raw.primaryEmail ?? raw.id);
              else if (!byId.has(user.externalId)) byId.set(user.externalId, user);
            }
            options.onProgress?.({ phase: 'users', count: byId.size });
          },
          signal,
        );
      }
      stats.usersSkipped = skipped.length;
      if (skipped.length > 0) {
        warnings.push({ code: 'google.user-without-email', message: `${skipped.length} user${skipped.length === 1 ? ' has' : 's have'} no email address and ${skipped.length === 1 ? 'is' : 'are'} not synced: ${skipped.slice(0, 5).join(', ')}${skipped.length > 5 ? ', …' : ''}.` });
      }
      users = [...byId.values()].filter((u) => passesSetFilter(userFilter.set, u.email));
    }

    let groups: DirectoryGroup[] | null = null;
    if (options.groups) {
      const rawGroups: GoogleApiGroup[] = [];
      await client.list<GoogleApiGroup>(
        {
          path: '/groups',
          params: { ...scope, query: groupFilter.query, maxResults: String(PAGE_SIZE.groups), fields: FIELDS.groups },
          itemsKey: 'groups',
          counter: 'groups',
          context: { what: 'the group list', scope: GOOGLE_SCOPES[1], query: groupFilter.query ? { text: groupFilter.query, setting: 'sync.groupFilter' } : undefined },
        },
        (page) => {
          for (const g of page) if (typeof g.id === 'string' && passesSetFilter(groupFilter.set, g.name)) rawGroups.push(g);
        },
        signal,
      );
      stats.groupsRead = rawGroups.length;
      const allUserIds = (users ?? []).filter((u) => !u.deleted).map((u) => u.externalId);
      const mapped = new Map<string, DirectoryGroup>();
      const wholeAccount: string[] = [];
      let done = 0;
      await forEachLimited(rawGroups, this.options.memberConcurrency ?? MEMBER_READ_CONCURRENCY, signal, async (group, workSignal) => {
        const members: GoogleApiMember[] = [];
        if (isKnownEmpty(group)) stats.memberListsSkipped++;
        else {
          await client.list<GoogleApiMember>(
            {
              path: `/groups/${encodeURIComponent(group.id)}/members`,
              params: { maxResults: String(PAGE_SIZE.members), fields: FIELDS.members },
              itemsKey: 'members',
              counter: 'members',
              context: { what: `the members of ${group.name ?? group.id}`, scope: GOOGLE_SCOPES[2] },
            },
            (page) => members.push(...page),
            workSignal,
          );
        }
        const resolved = resolveMembers(members);
        stats.membersSkipped += resolved.skipped;
        if (resolved.wholeAccount) wholeAccount.push(group.name ?? group.id);
        mapped.set(group.id, mapGoogleGroup(group, resolved, allUserIds));
        options.onProgress?.({ phase: 'groups', count: ++done, total: rawGroups.length });
      });
      groups = rawGroups.map((g) => mapped.get(g.id)).filter((g): g is DirectoryGroup => g !== undefined);
      if (wholeAccount.length > 0) {
        const scopeNote = users === null ? 'users are not synced, so these groups get no members from it' : `all ${allUserIds.length} synced users become members`;
        warnings.push({ code: 'google.customer-member', message: `Group${wholeAccount.length === 1 ? '' : 's'} ${wholeAccount.join(', ')} contain${wholeAccount.length === 1 ? 's' : ''} the whole account (a CUSTOMER member): ${scopeNote}.` });
      }
    }

    // Reference §5.4: a group set filter keeps only users who are direct members of a kept group
    // (deleted users, and disabled ones when they are being removed, always pass).
    if (users !== null && groups !== null && groupFilter.set !== null) users = scopeUsersToKeptGroups(users, groups, this.sync.removeDisabled);

    const api = client.stats;
    this.logger.debug('google: read done', { requests: api.requests, pages: api.pages });
    return {
      users,
      groups,
      mode: 'full',
      warnings,
      stats: {
        ...stats,
        apiRequests: api.requests,
        userPages: api.pages['users'] ?? 0,
        deletedUserPages: api.pages['deletedUsers'] ?? 0,
        groupPages: api.pages['groups'] ?? 0,
        memberPages: api.pages['members'] ?? 0,
        users: users?.length ?? 0,
        groups: groups?.length ?? 0,
      },
    };
  }

  /** Signs in and reads one page of users: credentials, delegation and scope are right. */
  async check(signal?: AbortSignal): Promise<void> {
    const client = this.client();
    await client.get('/users', { ...scopeParams(this.config), maxResults: '1', fields: 'users(id)' }, { what: 'the user list', scope: GOOGLE_SCOPES[0], pagedRequest: false }, signal);
  }

  /** Explains whether one user (email or id) is in scope, and why. */
  async explain(query: string, signal?: AbortSignal): Promise<ProviderExplanation> {
    return explainGoogleUser({ client: this.client(), config: this.config, sync: this.sync, scope: scopeParams(this.config) }, query, signal);
  }
}
