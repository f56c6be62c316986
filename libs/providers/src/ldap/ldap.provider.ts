/**
 * The LDAP / Active Directory source (reference-connector.md §6.1, with the §13 fixes): reads users
 * and groups with paged searches, resolves group members by normalised DN or uid, detects AD deleted
 * users on every run, supports delta reads with a cursor, and fails the whole read on any incomplete
 * search. It never returns a partial list.
 *
 * This class orchestrates one read; the parts live beside it: ldap.read-plan.ts (what to search),
 * ldap.delta.ts (full or delta), ldap.search.ts (user and group searches), ldap.deleted-objects.ts
 * (AD tombstones), ldap.usn-mark.ts (AD USNs), ldap.referrals.ts (other servers) and
 * ldap.explain.ts (verifyLocations and explain).
 */
import type {
  DirectoryGroup,
  DirectoryProvider,
  DirectorySnapshot,
  DirectoryUser,
  Logger,
  ProviderDeps,
  ProviderExplanation,
  ReadOptions,
  ReadWarning,
  SyncConfig,
} from '@dirconn/core';
import { normalizeAdSync } from './ldap.ad-sync.js';
import type { LdapConfig } from './ldap.config.js';
import type { LdapCursor } from './ldap.cursor.js';
import { DELTA_OVERLAP_MS, deltaFilter } from './ldap.cursor.js';
import { readDeletedUsers } from './ldap.deleted-objects.js';
import { decideDelta, isMembershipFilter } from './ldap.delta.js';
import type { LdapSource } from './ldap.explain.js';
import { explainUser, verifyLocations } from './ldap.explain.js';
import { MemberIndex } from './ldap.members.js';
import type { ReadPlan } from './ldap.read-plan.js';
import { buildReadPlan } from './ldap.read-plan.js';
import type { ReferralPolicy } from './ldap.referrals.js';
import { explainForeignBase } from './ldap.referrals.js';
import type { GroupsRead, SearchContext } from './ldap.search.js';
import { anyChanged, progressReporter, readGroups, readUserIndex, readUsers } from './ldap.search.js';
import { escapeFilterValue, rootBase } from './ldap.search-scope.js';
import type { LdapEndpoint, LdapStats } from './ldap.session.js';
import { LdapSession, newStats } from './ldap.session.js';
import { readUsnMark } from './ldap.usn-mark.js';


/** Test and tuning knobs that are not configuration. */
export interface LdapProviderOptions {
  /** Emit onProgress every this many entries per phase. Default 1000. */
  progressEvery?: number;
  /** Reads certificate files. Default fs.readFileSync. */
  readFile?: (path: string) => Buffer;
  /** The clock for cursor times. Default Date.now. */
  now?: () => Date;
  /** Look-back of delta reads before the cursor time, in ms. Default DELTA_OVERLAP_MS. */
  deltaOverlapMs?: number;
  /**
   * Test knob: request the member attribute in ranges of this many values (`member;range=0-<n-1>`,
   * then `member;range=<n>-<2n-1>` …) instead of relying on the server to cut it. Active Directory
   * cuts at MaxValRange (1500) by itself; Samba returns every value unless asked for a range, so the
   * integration tests use this to run the ranged-retrieval path against a real DC.
   */
  memberRangeSize?: number;
  /** Use uSNChanged deltas on AD (default true); false forces the time filter (tests). */
  adUsnDeltas?: boolean;
}

/** LDAP / Active Directory implementation of the DirectoryProvider port. */
export class LdapProvider implements DirectoryProvider {
  readonly type = 'ldap';
  private readonly config: LdapConfig;
  private readonly sync: SyncConfig;
  private readonly password: string;
  private readonly logger: Logger;
  private readonly progressEvery: number;
  private readonly options: LdapProviderOptions;

  constructor(deps: Pick<ProviderDeps<LdapConfig>, 'config' | 'sync' | 'secret' | 'logger'>, options: LdapProviderOptions = {}) {
    this.config = deps.config;
    // Idempotent: the AD defaults are applied again so a provider built from raw settings behaves the same.
    this.sync = normalizeAdSync(deps.sync, deps.config.ad);
    this.password = deps.secret ?? '';
    this.logger = deps.logger;
    this.progressEvery = Math.max(1, options.progressEvery ?? 1000);
    this.options = options;
  }

  private get ad(): boolean {
    return this.config.ad;
  }

  private plan(options: Pick<ReadOptions, 'users' | 'groups'>): ReadPlan {
    return buildReadPlan(this.config, this.sync, options, this.options.memberRangeSize);
  }

  private source(signal?: AbortSignal): LdapSource {
    return { config: this.config, sync: this.sync, open: () => this.open(newStats(), signal), memberRangeSize: this.options.memberRangeSize };
  }

  private open(stats: LdapStats, signal?: AbortSignal, endpoint?: LdapEndpoint): Promise<LdapSession> {
    return LdapSession.open({
      config: this.config,
      password: this.password,
      stats,
      signal,
      ...(endpoint ? { endpoint } : {}),
      ...(this.options.readFile ? { readFile: this.options.readFile } : {}),
    });
  }

  /** Checks connectivity, TLS and credentials (connect + bind + unbind). */
  async check(signal?: AbortSignal): Promise<void> {
    const session = await this.open(newStats(), signal);
    await session.close();
  }

  async read(options: ReadOptions): Promise<DirectorySnapshot> {
    const startedAt = (this.options.now ?? (() => new Date()))();
    const started = Date.now();
    const plan = this.plan(options);
    const warnings: ReadWarning[] = [];
    const stats = newStats();
    const revision = plan.sync.revisionDateAttribute?.trim() || null;

    const prefix = rootBase(this.config.rootPath).ignoredPrefix;
    if (prefix !== null) {
      warnings.push({
        code: 'ldap.rootPath-prefix-ignored',
        message: `ldap.rootPath starts with "${prefix}" before the first dc=; that part is ignored (reference behaviour), so searches start at ${rootBase(this.config.rootPath).root}. Move "${prefix}" into sync.userPath / sync.groupPath if it was meant to narrow the search.`,
      });
    }

    const session = await this.open(stats, options.signal);
    try {
      const progress = progressReporter(options.onProgress, this.progressEvery);
      const referrals: ReferralPolicy = { followReferrals: this.config.followReferrals, open: (s, signal, endpoint) => this.open(s, signal, endpoint), skipped: [] };
      const context: SearchContext = { session, plan, referrals, progress, warnings, logger: this.logger };
      // AD: where the DC stands before anything is read, so changes made during this read are seen next time.
      const usnMark = this.ad && revision !== null && this.options.adUsnDeltas !== false ? await readUsnMark(session, this.logger) : null;
      const decision = decideDelta({ force: options.force, since: options.since, revision, fingerprint: plan.fingerprint, usnMark, overlapMs: this.options.deltaOverlapMs ?? DELTA_OVERLAP_MS });
      if (decision.warning !== undefined) warnings.push(decision.warning);
      if (decision.usnFallback !== undefined) this.logger.debug('ldap delta by time: another DC or database answered', decision.usnFallback);
      const { cursor, delta } = decision;
      if (delta !== null) this.logger.debug('ldap delta read', delta);

      let users: DirectoryUser[] | null = null;
      let usersComplete = !options.users;
      let groups: DirectoryGroup[] | null = null;
      let memberResolution: GroupsRead['memberResolution'] | undefined;
      let groupsComplete = !options.groups;
      let index: MemberIndex | null = null;
      const revisionSeen = { users: false, groups: false, userEntries: 0, groupEntries: 0 };

      // Groups: a delta run re-reads every group when any changed (reference; nested groups make a
      // partial group read wrong), resolving members against the full user scope.
      let groupsChanged = true;
      if (options.groups && delta !== null && revision !== null) {
        groupsChanged = await anyChanged(context, deltaFilter(plan.groupFilter, revision, delta), plan.groupBase, plan.sync.groupPath ? 'sync.groupPath' : 'ldap.rootPath');
      }
      // Users: AD keeps memberOf on the group side, so a user who joins or leaves a group has no new
      // whenChanged/uSNChanged. With a membership user filter (memberOf, in-chain) any changed group
      // therefore means a full user read; otherwise only changed users are read.
      let scopeChanged = false;
      if (this.ad && options.users && delta !== null && revision !== null && isMembershipFilter(plan.sync.userFilter)) {
        const groupClass = `(&(objectClass=${escapeFilterValue(plan.sync.groupObjectClass ?? 'group')}))`;
        scopeChanged = await anyChanged(context, deltaFilter(groupClass, revision, delta), rootBase(this.config.rootPath).root, 'ldap.rootPath');
      }
      const fullUserRead = delta === null || scopeChanged;

      if (options.users) {
        index = options.groups && groupsChanged && fullUserRead ? new MemberIndex() : null;
        const filter = fullUserRead || revision === null || delta === null ? plan.userFilter : deltaFilter(plan.userFilter, revision, delta);
        users = await readUsers(context, filter, index, revisionSeen);
        usersComplete = fullUserRead;
      }
      if (options.groups) {
        if (groupsChanged) {
          if (index === null) index = await readUserIndex(context);
          ({ groups, memberResolution } = await readGroups(context, index, revisionSeen));
          groupsComplete = true;
        } else {
          groups = [];
        }
      }
      const mode: 'full' | 'delta' = usersComplete && groupsComplete ? 'full' : 'delta';

      let tombstonesVisible: boolean | undefined;
      if (this.ad && options.users && users !== null) {
        const deleted = await readDeletedUsers({ session, config: this.config, plan, delta: mode === 'delta' && revision !== null ? delta : null, previouslyVisible: cursor?.tombstonesVisible, progress, warnings });
        for (const u of deleted.users) users.push(u);
        tombstonesVisible = deleted.visible;
      }

      const deltaCapable =
        revision !== null &&
        (revisionSeen.userEntries === 0 || revisionSeen.users) &&
        (revisionSeen.groupEntries === 0 || revisionSeen.groups);
      if (revision !== null && !deltaCapable && mode === 'full') {
        warnings.push({
          code: 'ldap.revision-attribute-missing',
          message: `sync.revisionDateAttribute "${revision}" is not present on the entries read, so delta reads could not see changes; every sync will read everything. On OpenLDAP use modifyTimestamp (AD: whenChanged).`,
        });
      }
      let nextCursor: LdapCursor | undefined;
      if (revision !== null) {
        nextCursor = { v: 1, lastSync: startedAt.toISOString(), fingerprint: plan.fingerprint, deltaCapable };
        if (usnMark !== null) nextCursor.usn = usnMark;
        if (tombstonesVisible !== undefined) nextCursor.tombstonesVisible = tombstonesVisible;
      }

      this.logger.debug('ldap read finished', { mode, users: users?.length ?? null, groups: groups?.length ?? null, ...stats });
      const snapshot: DirectorySnapshot = {
        users,
        groups,
        mode,
        warnings,
        stats: { ...stats, durationMs: Date.now() - started },
      };
      if (nextCursor !== undefined) snapshot.cursor = nextCursor;
      if (memberResolution !== undefined) snapshot.memberResolution = memberResolution;
      // Entries behind a reference not followed were not read: absence means nothing (issue #9 item 6).
      if (referrals.skipped.length > 0) snapshot.skipped = [...new Set(referrals.skipped)];
      return snapshot;
    } catch (error) {
      throw await explainForeignBase(session, error);
    } finally {
      await session.close();
    }
  }

  /** Checks that the base DN and the user/group search bases exist. */
  async verifyLocations(signal?: AbortSignal): Promise<{ key: string; message: string }[]> {
    return verifyLocations(this.source(signal));
  }

  /** Explains whether one user (DN, email, uid, sAMAccountName, UPN or externalId) is in scope, and why. */
  async explain(query: string, signal?: AbortSignal): Promise<ProviderExplanation> {
    return explainUser(this.source(signal), query);
  }
}
