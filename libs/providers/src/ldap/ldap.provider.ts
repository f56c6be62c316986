/**
 * The LDAP / Active Directory source (reference-connector.md §6.1, with the §13 fixes): reads users
 * and groups with paged searches, resolves group members by normalised DN or uid, detects AD deleted
 * users on every run, supports delta reads with a cursor, and fails the whole read on any incomplete
 * search. It never returns a partial list.
 */
import { createHash } from 'node:crypto';
import { AndFilter, Control, EqualityFilter, OrFilter } from 'ldapts';
import { DirconnError } from '@dirconn/core';
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
import type { LdapConfig } from './ldap.config.js';
import type { LdapEntry, LowerAttributes, RawGroup, UserMappingSettings } from './ldap.mapping.js';
import {
  MemberIndex,
  composeFilter,
  deletedObjectsBase,
  emailOf,
  escapeFilterValue,
  externalIdSourceAttribute,
  firstString,
  guidToBytes,
  isDisabledByUac,
  isDnLike,
  isGuidText,
  isUnder,
  lowerAttributes,
  mapGroupEntry,
  mapUserEntry,
  normalizeAdSync,
  resolveMembers,
  rootBase,
  searchBase,
  stringValues,
  toDeltaTime,
  withRevisionFilter,
} from './ldap.mapping.js';
import { collectRangedValues, findRangedAttribute } from './ldap.ranged.js';
import type { LdapEndpoint, LdapStats, SearchSpec } from './ldap.session.js';
import { LdapSession, endpointText, newStats } from './ldap.session.js';

/** OID of AD's "show deleted objects" control (LDAP_SERVER_SHOW_DELETED_OID). */
export const SHOW_DELETED_OID = '1.2.840.113556.1.4.417';

/**
 * Delta reads look back this far before the cursor's time, so a skew between our clock and the
 * directory's (whose timestamps the filter compares) cannot hide a change. Re-reading a few users
 * is harmless; missing one is not.
 */
export const DELTA_OVERLAP_MS = 10 * 60 * 1000;

/**
 * Where an AD domain controller stood when a read started: its identity and its update sequence
 * number (USN) high-water mark. USNs are per DC and per database instance, so a cursor is only
 * trusted by the same DC with the same invocationId (a DC restored from backup gets a new one).
 */
export interface AdUsnMark {
  /** rootDSE dsServiceName: the DN of the DC's NTDS Settings object. */
  server: string;
  /** invocationId of that DC's database, lower-case hex. */
  invocationId: string;
  /** rootDSE highestCommittedUSN when the read started (decimal). */
  highest: string;
}

/** The cursor an LDAP read returns; opaque to core, stored after a successful sync. */
export interface LdapCursor {
  v: 1;
  /** ISO time at which the read that produced this cursor started. */
  lastSync: string;
  /** Digest of the settings that decide what is read; any change forces a full read. */
  fingerprint: string;
  /** False when the revision attribute was missing on the entries read: deltas would miss changes. */
  deltaCapable: boolean;
  /**
   * AD only: the DC's USN mark at the start of the read. The next delta read on the same DC asks for
   * `uSNChanged` above it (exact, no clock involved); on another DC it falls back to the time filter.
   */
  usn?: AdUsnMark;
  /**
   * AD only: false when the bind user could see no deleted users on the last full read (it probably
   * lacks the right to list CN=Deleted Objects), so delta reads repeat the warning instead of
   * staying silent.
   */
  tombstonesVisible?: boolean;
}

/** What a delta read asks for: entries changed since a time (revision attribute) or above a USN. */
export type DeltaSpec = { kind: 'time'; time: string } | { kind: 'usn'; from: string };

/** `(&<filter>(<revision>>=<time>))` or, for USN deltas, `(&<filter>(uSNChanged>=<usn>))`. */
export function deltaFilter(filter: string, revision: string, delta: DeltaSpec): string {
  return delta.kind === 'usn' ? `(&${filter}(uSNChanged>=${delta.from}))` : withRevisionFilter(filter, revision, delta.time);
}

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

/** Parses a cursor we produced earlier; anything else (foreign or older formats) is ignored. */
export function parseLdapCursor(value: unknown): LdapCursor | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const c = value as Partial<LdapCursor>;
  if (c.v !== 1 || typeof c.lastSync !== 'string' || Number.isNaN(Date.parse(c.lastSync)) || typeof c.fingerprint !== 'string' || typeof c.deltaCapable !== 'boolean') return undefined;
  const cursor: LdapCursor = { v: 1, lastSync: c.lastSync, fingerprint: c.fingerprint, deltaCapable: c.deltaCapable };
  const usn = c.usn as Partial<AdUsnMark> | undefined;
  if (typeof usn === 'object' && usn !== null && typeof usn.server === 'string' && typeof usn.invocationId === 'string' && typeof usn.highest === 'string' && /^\d{1,20}$/.test(usn.highest)) {
    cursor.usn = { server: usn.server, invocationId: usn.invocationId, highest: usn.highest };
  }
  if (typeof c.tombstonesVisible === 'boolean') cursor.tombstonesVisible = c.tombstonesVisible;
  return cursor;
}

/** Same DC and same database instance (USNs of one are meaningless on the other). */
function sameDc(a: AdUsnMark, b: AdUsnMark): boolean {
  return a.server.trim().toLowerCase() === b.server.trim().toLowerCase() && a.invocationId === b.invocationId;
}

/** True when an AD user filter depends on group membership (memberOf, in-chain or direct). */
export function isMembershipFilter(filter: string | null | undefined): boolean {
  return /memberof/i.test(filter ?? '');
}

const GUID_BINARY = ['objectGUID', 'objectguid', 'ObjectGUID', 'OBJECTGUID'];
/** The mangled RDN of a deleted AD object (`CN=Name\0ADEL:<objectGUID>`). */
const DELETED_OBJECT_RDN = /\\0ADEL:/i;
const INVOCATION_ID_BINARY = ['invocationId', 'invocationID', 'invocationid'];

/** Adds names to a list once, case-insensitively, skipping blanks. */
function attributeList(...names: (string | null | undefined | false)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const name of names) {
    if (!name) continue;
    const trimmed = name.trim();
    const key = trimmed.toLowerCase();
    if (trimmed === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(trimmed);
  }
  return out;
}

/** Everything a read needs, derived once from config + sync. */
interface ReadPlan {
  sync: SyncConfig;
  userBase: string;
  groupBase: string;
  userFilter: string;
  groupFilter: string;
  userAttributes: string[];
  groupAttributes: string[];
  indexAttributes: string[];
  pageSize: number | undefined;
  userSettings: UserMappingSettings;
  fingerprint: string;
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
    const sync = this.sync;
    const requireClass = (value: string | null, key: string): string => {
      if (value === null || value.trim() === '') {
        throw new DirconnError('config.incomplete', `${key} is not set.`, { hint: `Set it with "dirconn config ${key} <class>" (e.g. inetOrgPerson, groupOfNames).` });
      }
      return value;
    };
    const userClass = requireClass(sync.userObjectClass, 'sync.userObjectClass');
    const groupClass = options.groups ? requireClass(sync.groupObjectClass, 'sync.groupObjectClass') : (sync.groupObjectClass ?? 'group');
    const scheme = this.config.externalIdAttribute;
    const idAttribute = externalIdSourceAttribute(scheme);
    const wantsGuid = scheme === 'auto' || scheme === 'objectGUID';
    const revision = sync.revisionDateAttribute?.trim() || null;
    const userSettings: UserMappingSettings = {
      userEmailAttribute: sync.userEmailAttribute,
      useEmailPrefixSuffix: sync.useEmailPrefixSuffix,
      emailPrefixAttribute: sync.emailPrefixAttribute,
      emailSuffix: sync.emailSuffix,
      externalIdAttribute: scheme,
    };
    const userBase = searchBase(this.config.rootPath, sync.userPath);
    const groupBase = searchBase(this.config.rootPath, sync.groupPath);
    const userFilter = composeFilter(userClass, sync.userFilter);
    const groupFilter = composeFilter(groupClass, sync.groupFilter);
    const userAttributes = attributeList(
      sync.userEmailAttribute,
      sync.useEmailPrefixSuffix && sync.emailPrefixAttribute,
      'uid',
      'cn',
      'displayName',
      wantsGuid && 'objectGUID',
      'userAccountControl',
      revision,
      idAttribute,
      !this.ad && 'entryUUID',
    );
    const rangeSize = this.options.memberRangeSize;
    const memberRequest = sync.memberAttribute?.trim() && rangeSize !== undefined && rangeSize > 0 ? `${sync.memberAttribute.trim()};range=0-${rangeSize - 1}` : sync.memberAttribute;
    const groupAttributes = attributeList(sync.groupNameAttribute, 'cn', memberRequest, wantsGuid && 'objectGUID', revision, idAttribute, this.ad && 'name');
    const indexAttributes = attributeList('uid', wantsGuid && 'objectGUID', idAttribute);
    const pageSize = this.config.pagedSearch || this.ad ? Math.max(1, this.config.pageSize) : undefined;
    const fingerprint = createHash('sha256')
      .update(
        JSON.stringify([
          this.config.hostname?.trim().toLowerCase(),
          // Another bind account may see other entries (and other tombstones): read everything once.
          this.config.username?.trim().toLowerCase(),
          this.config.port,
          rootBase(this.config.rootPath).root,
          this.ad,
          scheme,
          userBase.toLowerCase(),
          groupBase.toLowerCase(),
          userFilter,
          groupFilter,
          revision,
          sync.userEmailAttribute,
          sync.useEmailPrefixSuffix,
          sync.emailPrefixAttribute,
          sync.emailSuffix,
          sync.memberAttribute,
          sync.groupNameAttribute,
          options.users,
          options.groups,
        ]),
      )
      .digest('hex')
      .slice(0, 24);
    return { sync, userBase, groupBase, userFilter, groupFilter, userAttributes, groupAttributes, indexAttributes, pageSize, userSettings, fingerprint };
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

    // Delta decision (reference §6.1.2, improved: our own cursor, settings fingerprint, clock overlap,
    // and on AD the DC's update sequence numbers when the same DC answers).
    let cursor: LdapCursor | undefined;
    if (!options.force && options.since !== undefined && options.since !== null && revision !== null) {
      const parsed = parseLdapCursor(options.since);
      if (parsed === undefined) {
        warnings.push({ code: 'ldap.cursor-unknown', message: 'The saved delta cursor was not made by this LDAP source; reading everything.' });
      } else if (parsed.fingerprint !== plan.fingerprint) {
        warnings.push({ code: 'ldap.cursor-stale', message: 'The LDAP settings changed since the last sync; reading everything instead of only changes.' });
      } else if (!parsed.deltaCapable) {
        warnings.push({ code: 'ldap.delta-unavailable', message: `sync.revisionDateAttribute "${revision}" was not found on the entries last read, so changes cannot be detected by it; reading everything.` });
      } else {
        cursor = parsed;
      }
    }

    const session = await this.open(stats, options.signal);
    try {
      const progress = this.progress(options);
      // AD: where the DC stands before anything is read, so changes made during this read are seen next time.
      const usnMark = this.ad && revision !== null && this.options.adUsnDeltas !== false ? await this.readUsnMark(session) : null;
      let delta: DeltaSpec | null = null;
      if (cursor !== undefined && revision !== null) {
        const previous = cursor.usn;
        if (usnMark !== null && previous !== undefined && sameDc(previous, usnMark) && BigInt(previous.highest) <= BigInt(usnMark.highest)) {
          delta = { kind: 'usn', from: String(BigInt(previous.highest) + 1n) };
        } else {
          if (usnMark !== null && previous !== undefined) {
            this.logger.debug('ldap delta by time: another DC or database answered', { previous: previous.server, now: usnMark.server });
          }
          delta = { kind: 'time', time: toDeltaTime(new Date(Date.parse(cursor.lastSync) - (this.options.deltaOverlapMs ?? DELTA_OVERLAP_MS))) };
        }
        this.logger.debug('ldap delta read', delta);
      }

      let users: DirectoryUser[] | null = null;
      let usersComplete = !options.users;
      let groups: DirectoryGroup[] | null = null;
      let groupsComplete = !options.groups;
      let index: MemberIndex | null = null;
      const revisionSeen = { users: false, groups: false, userEntries: 0, groupEntries: 0 };

      // Groups: a delta run re-reads every group when any changed (reference; nested groups make a
      // partial group read wrong), resolving members against the full user scope.
      let groupsChanged = true;
      if (options.groups && delta !== null && revision !== null) {
        groupsChanged = await this.anyChanged(session, deltaFilter(plan.groupFilter, revision, delta), plan.groupBase, plan.sync.groupPath ? 'sync.groupPath' : 'ldap.rootPath', warnings);
      }
      // Users: AD keeps memberOf on the group side, so a user who joins or leaves a group has no new
      // whenChanged/uSNChanged. With a membership user filter (memberOf, in-chain) any changed group
      // therefore means a full user read; otherwise only changed users are read.
      let scopeChanged = false;
      if (this.ad && options.users && delta !== null && revision !== null && isMembershipFilter(plan.sync.userFilter)) {
        const groupClass = `(&(objectClass=${escapeFilterValue(plan.sync.groupObjectClass ?? 'group')}))`;
        scopeChanged = await this.anyChanged(session, deltaFilter(groupClass, revision, delta), rootBase(this.config.rootPath).root, 'ldap.rootPath', warnings);
      }
      const fullUserRead = delta === null || scopeChanged;

      if (options.users) {
        index = options.groups && groupsChanged && fullUserRead ? new MemberIndex() : null;
        const filter = fullUserRead || revision === null || delta === null ? plan.userFilter : deltaFilter(plan.userFilter, revision, delta);
        users = await this.readUsers(session, plan, filter, index, revisionSeen, progress, warnings);
        usersComplete = fullUserRead;
      }
      if (options.groups) {
        if (groupsChanged) {
          if (index === null) index = await this.readUserIndex(session, plan, progress, warnings);
          groups = await this.readGroups(session, plan, index, revisionSeen, progress, warnings);
          groupsComplete = true;
        } else {
          groups = [];
        }
      }
      const mode: 'full' | 'delta' = usersComplete && groupsComplete ? 'full' : 'delta';

      let tombstonesVisible: boolean | undefined;
      if (this.ad && options.users && users !== null) {
        const deleted = await this.readDeletedUsers(session, plan, mode === 'delta' && revision !== null ? delta : null, cursor?.tombstonesVisible, progress, warnings);
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
      return snapshot;
    } catch (error) {
      throw await this.explainForeignBase(session, error);
    } finally {
      await session.close();
    }
  }

  /**
   * AD: the DC's identity (dsServiceName, invocationId) and highestCommittedUSN from the rootDSE.
   * Null when the server does not publish them (then deltas use the time filter).
   */
  private async readUsnMark(session: LdapSession): Promise<AdUsnMark | null> {
    try {
      const root = (await session.searchAll({ base: { dn: '', key: 'ldap.hostname' }, scope: 'base', filter: '(objectClass=*)', attributes: ['dsServiceName', 'highestCommittedUSN'] })).entries[0];
      if (!root) return null;
      const attrs = lowerAttributes(root);
      const server = firstString(attrs, 'dsServiceName');
      const highest = firstString(attrs, 'highestCommittedUSN');
      if (server === null || highest === null || !/^\d{1,20}$/.test(highest)) return null;
      const ntds = (await session.searchAll({ base: { dn: server, key: 'ldap.hostname' }, scope: 'base', filter: '(objectClass=*)', attributes: ['invocationId'], binaryAttributes: INVOCATION_ID_BINARY })).entries[0];
      const value = ntds ? lowerAttributes(ntds).get('invocationid') : undefined;
      const bytes = Array.isArray(value) ? value[0] : value;
      if (!Buffer.isBuffer(bytes) || bytes.length === 0) return null;
      return { server, invocationId: bytes.toString('hex'), highest };
    } catch (error) {
      if (DirconnError.is(error) && (error.code === 'config.invalid' || error.code === 'provider.rights' || error.code === 'provider.error' || error.code === 'provider.referral')) {
        this.logger.debug('ldap: no USN mark from the rootDSE; deltas use the time filter', { error: error.message });
        return null;
      }
      throw error;
    }
  }

  /**
   * A search base the server says does not exist (noSuchObject) may belong to another domain: AD
   * answers with a referral, Samba with noSuchObject. When the base lies outside every naming
   * context of this DC, say so (provider.referral) instead of "does not exist".
   */
  private async explainForeignBase(session: LdapSession, error: unknown): Promise<unknown> {
    if (!DirconnError.is(error) || error.code !== 'config.invalid') return error;
    const details = error.details as { base?: unknown; key?: unknown } | undefined;
    const dn = typeof details?.base === 'string' ? details.base : null;
    if (dn === null) return error;
    const contexts = await this.namingContexts(session);
    if (contexts.length === 0 || contexts.some((nc) => isUnder(dn, nc))) return error;
    const key = typeof details?.key === 'string' ? details.key : 'ldap.rootPath';
    return new DirconnError(
      'provider.referral',
      `${dn} (${key}) is not in any naming context of the LDAP server ${endpointText(session.endpoint)}, which holds ${contexts.join(', ')}: it belongs to another domain or forest, so nothing was read.`,
      {
        hint: 'Point ldap.hostname at a domain controller of that domain (or a global catalog, port 3269 with ldap.ssl, for a forest-wide read), or correct ldap.rootPath to this domain.',
        cause: error,
      },
    );
  }

  /** The rootDSE namingContexts ([] when unreadable). */
  private async namingContexts(session: LdapSession): Promise<string[]> {
    try {
      const root = (await session.searchAll({ base: { dn: '', key: 'ldap.hostname' }, scope: 'base', filter: '(objectClass=*)', attributes: ['namingContexts'] })).entries[0];
      return root ? stringValues(lowerAttributes(root).get('namingcontexts')) : [];
    } catch {
      return [];
    }
  }

  private progress(options: ReadOptions): (phase: string, count: number, final?: boolean) => void {
    const every = this.progressEvery;
    const last = new Map<string, number>();
    return (phase, count, final = false) => {
      if (!options.onProgress) return;
      const previous = last.get(phase);
      if (final ? previous !== count : Math.floor(count / every) > Math.floor((previous ?? 0) / every)) {
        last.set(phase, count);
        options.onProgress({ phase, count });
      }
    };
  }

  /** Runs a search; continuation references are followed (followReferrals) or reported. */
  private async searchFollowing(session: LdapSession, spec: SearchSpec, onPage: (entries: LdapEntry[]) => void, warnings: ReadWarning[]): Promise<void> {
    const references = await session.search(spec, onPage);
    if (references.length === 0) return;
    const relevant = references.filter((url) => !/^ldaps?:\/\/[^/]*\/(dc=domaindnszones|dc=forestdnszones|cn=configuration)\b/i.test(url));
    if (relevant.length === 0) return;
    if (!this.config.followReferrals) {
      warnings.push({
        code: 'ldap.references-not-followed',
        message: `The search of ${spec.base.dn} referred to other servers (${relevant.slice(0, 3).join(', ')}${relevant.length > 3 ? ` and ${relevant.length - 3} more` : ''}); entries there were not read. Set ldap.followReferrals true, or use a global catalog.`,
      });
      return;
    }
    const seen = new Set<string>();
    for (const url of relevant) {
      const target = parseLdapUrl(url, session.endpoint);
      if (target === undefined || seen.has(url)) continue;
      seen.add(url);
      const referred = await this.open(session.stats, session.signal, target.endpoint);
      try {
        // One hop only: references returned by the referred server are reported, not chased.
        const nested = await referred.search({ ...spec, base: { dn: target.dn ?? spec.base.dn, key: spec.base.key } }, onPage);
        if (nested.length > 0) {
          warnings.push({ code: 'ldap.references-not-followed', message: `${url} referred further (${nested.slice(0, 3).join(', ')}); only one referral hop is followed.` });
        }
      } finally {
        await referred.close();
      }
    }
  }

  private async anyChanged(session: LdapSession, filter: string, base: string, key: string, warnings: ReadWarning[]): Promise<boolean> {
    let found = false;
    try {
      await this.searchFollowing(session, { base: { dn: base, key }, scope: 'sub', filter, attributes: ['1.1'], sizeLimit: 1 }, (entries) => {
        if (entries.length > 0) found = true;
      }, warnings);
    } catch (error) {
      // A size-limit stop is exactly "at least one changed".
      if (DirconnError.is(error) && error.code === 'provider.incomplete-read') return true;
      throw error;
    }
    return found;
  }

  private async readUsers(
    session: LdapSession,
    plan: ReadPlan,
    filter: string,
    index: MemberIndex | null,
    revisionSeen: { users: boolean; userEntries: number },
    progress: (phase: string, count: number, final?: boolean) => void,
    warnings: ReadWarning[],
  ): Promise<DirectoryUser[]> {
    const users: DirectoryUser[] = [];
    const revision = plan.sync.revisionDateAttribute?.trim().toLowerCase() || null;
    this.logger.debug('ldap user search', { base: plan.userBase, filter });
    await this.searchFollowing(
      session,
      { base: { dn: plan.userBase, key: plan.sync.userPath ? 'sync.userPath' : 'ldap.rootPath' }, scope: 'sub', filter, attributes: plan.userAttributes, binaryAttributes: GUID_BINARY, pageSize: plan.pageSize },
      (entries) => {
        for (const entry of entries) {
          if (!entry.dn) continue;
          const attrs = lowerAttributes(entry);
          const user = mapUserEntry(entry, attrs, plan.userSettings);
          users.push(user);
          if (index !== null) index.addUser(entry.dn, user.externalId, stringValues(attrs.get('uid')));
          revisionSeen.userEntries++;
          if (revision !== null && !revisionSeen.users && attrs.has(revision)) revisionSeen.users = true;
        }
        progress('users', users.length);
      },
      warnings,
    );
    progress('users', users.length, true);
    return users;
  }

  /** The full user scope, for member resolution when users are not synced (or read as a delta). */
  private async readUserIndex(session: LdapSession, plan: ReadPlan, progress: (phase: string, count: number, final?: boolean) => void, warnings: ReadWarning[]): Promise<MemberIndex> {
    const index = new MemberIndex();
    let count = 0;
    await this.searchFollowing(
      session,
      { base: { dn: plan.userBase, key: plan.sync.userPath ? 'sync.userPath' : 'ldap.rootPath' }, scope: 'sub', filter: plan.userFilter, attributes: plan.indexAttributes, binaryAttributes: GUID_BINARY, pageSize: plan.pageSize },
      (entries) => {
        for (const entry of entries) {
          if (!entry.dn) continue;
          const attrs = lowerAttributes(entry);
          index.addUser(entry.dn, mapUserEntry(entry, attrs, plan.userSettings).externalId, stringValues(attrs.get('uid')));
        }
        count += entries.length;
        progress('user scope', count);
      },
      warnings,
    );
    progress('user scope', count, true);
    return index;
  }

  private async readGroups(
    session: LdapSession,
    plan: ReadPlan,
    index: MemberIndex,
    revisionSeen: { groups: boolean; groupEntries: number },
    progress: (phase: string, count: number, final?: boolean) => void,
    warnings: ReadWarning[],
  ): Promise<DirectoryGroup[]> {
    const stats = session.stats;
    const raws: RawGroup[] = [];
    const ranged: { position: number; entry: LdapEntry; attrs: LowerAttributes; name: string }[] = [];
    const memberAttribute = plan.sync.memberAttribute?.trim() || null;
    const revision = plan.sync.revisionDateAttribute?.trim().toLowerCase() || null;
    const settings = { groupNameAttribute: plan.sync.groupNameAttribute, memberAttribute, externalIdAttribute: this.config.externalIdAttribute };
    let unnamed = 0;
    this.logger.debug('ldap group search', { base: plan.groupBase, filter: plan.groupFilter });
    await this.searchFollowing(
      session,
      { base: { dn: plan.groupBase, key: plan.sync.groupPath ? 'sync.groupPath' : 'ldap.rootPath' }, scope: 'sub', filter: plan.groupFilter, attributes: plan.groupAttributes, binaryAttributes: GUID_BINARY, pageSize: plan.pageSize },
      (entries) => {
        for (const entry of entries) {
          if (!entry.dn) continue;
          const attrs = lowerAttributes(entry);
          revisionSeen.groupEntries++;
          if (revision !== null && !revisionSeen.groups && attrs.has(revision)) revisionSeen.groups = true;
          const found = memberAttribute === null ? undefined : findRangedAttribute(entry, memberAttribute);
          // ldapts lists a requested attribute the server did not return as []: not a ranged reply.
          const rangedAttr = found !== undefined && stringValues(entry[found.name]).length > 0 ? found : undefined;
          const raw = mapGroupEntry(entry, attrs, settings, rangedAttr ? [] : undefined);
          if (raw === null) {
            unnamed++;
            continue;
          }
          if (rangedAttr) ranged.push({ position: raws.length, entry, attrs, name: rangedAttr.name });
          raws.push(raw);
        }
        progress('groups', raws.length);
      },
      warnings,
    );
    progress('groups', raws.length, true);

    // Large groups (AD MaxValRange): fetch the remaining member chunks, one group after another.
    const rangeSize = this.options.memberRangeSize;
    if (memberAttribute !== null) {
      for (const item of ranged) {
        const found = findRangedAttribute(item.entry, memberAttribute);
        const raw = raws[item.position];
        if (!found || !raw) continue;
        raw.memberValues = await collectRangedValues(item.entry.dn, memberAttribute, { range: found.range, values: item.entry[found.name] }, async (dn, attribute, start) => {
          stats.rangedFetches++;
          const { entries } = await session.searchAll({
            base: { dn, key: plan.sync.groupPath ? 'sync.groupPath' : 'ldap.rootPath' },
            scope: 'base',
            filter: '(objectClass=*)',
            attributes: [`${attribute};range=${start}-${rangeSize !== undefined && rangeSize > 0 ? String(start + rangeSize - 1) : '*'}`],
          });
          const entry = entries[0];
          if (!entry) return undefined;
          // ldapts adds requested-but-absent attributes as []: drop those so only real chunks remain.
          const reply: Record<string, unknown> = {};
          for (const [k, v] of Object.entries(entry)) if (k !== 'dn' && !(Array.isArray(v) && v.length === 0)) reply[k] = v;
          return reply;
        });
      }
    }

    for (const raw of raws) index.addGroup(raw.referenceId);
    const groups: DirectoryGroup[] = [];
    let unresolvedCount = 0;
    let unresolvedGroups = 0;
    const examples: string[] = [];
    for (const raw of raws) {
      const resolved = resolveMembers(raw, index);
      const group = resolved.group;
      // Samba with the Recycle Bin on still lists deleted members (`CN=x\0ADEL:<guid>,CN=Deleted
      // Objects,…`; Windows hides such deactivated links): they are gone, not out of scope.
      const unresolved = resolved.unresolved.filter((value) => !DELETED_OBJECT_RDN.test(value));
      groups.push(group);
      if (unresolved.length > 0) {
        unresolvedCount += unresolved.length;
        unresolvedGroups++;
        if (examples.length < 3) examples.push(`${unresolved[0] ?? ''} (in ${raw.name})`);
      }
    }
    if (unnamed > 0) {
      warnings.push({ code: 'ldap.group-without-name', message: `${unnamed} group(s) have neither ${plan.sync.groupNameAttribute ?? 'a name attribute'} nor cn and were skipped.` });
    }
    if (unresolvedCount > 0) {
      warnings.push({
        code: 'ldap.unresolved-members',
        message: `${unresolvedCount} member value(s) in ${unresolvedGroups} group(s) match no user in the user scope (sync.userPath/userFilter) and no group read, so they are not synced, e.g. ${examples.join('; ')}.`,
      });
    }
    return groups;
  }

  /**
   * AD deleted users (reference §6.1.4, improved): searched on every run, not only forced ones. If the
   * bind user cannot see CN=Deleted Objects, a warning says so (the reference hides it).
   */
  private async readDeletedUsers(
    session: LdapSession,
    plan: ReadPlan,
    delta: DeltaSpec | null,
    previouslyVisible: boolean | undefined,
    progress: (phase: string, count: number, final?: boolean) => void,
    warnings: ReadWarning[],
  ): Promise<{ users: DirectoryUser[]; visible: boolean | undefined }> {
    const base = deletedObjectsBase(this.config.rootPath);
    const scheme = this.config.externalIdAttribute;
    if (scheme !== 'auto' && scheme !== 'objectGUID') {
      warnings.push({
        code: 'ad.deleted-objects-skipped',
        message: `Deleted AD users are only detected with ldap.externalIdAttribute auto or objectGUID (tombstones keep only their objectGUID); with ${scheme} they are detected as vanished users on full reads.`,
      });
      return { users: [], visible: undefined };
    }
    const showDeleted = new Control(SHOW_DELETED_OID, { critical: true });
    const key = 'ldap.rootPath';
    const domain = base.replace(/^CN=Deleted Objects,/i, '');
    // dsacls takes DOMAIN\user or a UPN: name the bind user when ldap.username is one of those.
    const username = (this.config.username ?? '').trim();
    const who = /\\|@/.test(username) && !username.includes('=') ? username : `${(this.config.domain ?? '').trim() || 'DOMAIN'}\\<bind user>`;
    const grant = `Grant the bind user "List Contents" and "Read Property" on it, as a domain admin: dsacls "${base}" /takeOwnership, then dsacls "${base}" /G ${who}:LCRP (domain ${domain}).`;
    const unreadable = (why: string): { users: DirectoryUser[]; visible: boolean } => {
      warnings.push({
        code: 'ad.deleted-objects-unreadable',
        message: `Cannot read ${base} (${why}), so users deleted in Active Directory cannot be detected on this run (they are still removed when they vanish from a full read, within the safety limits). ${grant}`,
      });
      return { users: [], visible: false };
    };
    const noneVisible = (): void => {
      warnings.push({
        code: 'ad.deleted-objects-none-visible',
        message: `No deleted users are visible in ${base}. If users were deleted in the last months, the bind user probably cannot list deleted objects, so deletions are only detected when users vanish from a full read. ${grant}`,
      });
    };
    const classFilter = `(&(&(objectClass=${escapeFilterValue(plan.sync.userObjectClass ?? 'person')}))(isDeleted=TRUE))`;
    const revision = plan.sync.revisionDateAttribute?.trim() || null;
    const filter = delta !== null && revision !== null ? deltaFilter(classFilter, revision, delta) : classFilter;
    const users: DirectoryUser[] = [];
    try {
      // Without rights AD often answers with nothing rather than an error: check the container first.
      const container = await session.searchAll({ base: { dn: base, key }, scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'], controls: [showDeleted] });
      if (container.entries.length === 0) return unreadable('the container is not visible to the bind user');
      await session.search(
        {
          base: { dn: base, key },
          scope: 'sub',
          filter,
          attributes: attributeList(plan.sync.userEmailAttribute, 'objectGUID', 'userAccountControl', 'cn', 'displayName', plan.sync.useEmailPrefixSuffix && plan.sync.emailPrefixAttribute),
          binaryAttributes: GUID_BINARY,
          controls: [showDeleted],
          pageSize: plan.pageSize,
        },
        (entries) => {
          for (const entry of entries) {
            if (!entry.dn) continue;
            const attrs = lowerAttributes(entry);
            if (!attrs.has('objectguid')) continue;
            users.push(mapUserEntry(entry, attrs, plan.userSettings, true));
          }
          progress('deleted users', users.length);
        },
      );
    } catch (error) {
      if (DirconnError.is(error) && (error.code === 'provider.rights' || (error.code === 'config.invalid' && /does not exist/.test(error.message)))) {
        return unreadable(error.code === 'provider.rights' ? 'insufficient access rights' : 'it does not exist or is hidden');
      }
      throw error;
    }
    progress('deleted users', users.length, true);
    if (users.length > 0) return { users, visible: true };
    if (delta === null) {
      // AD may also hide tombstones from a user who can see the container: say so on full reads…
      noneVisible();
      return { users, visible: false };
    }
    // … and on the delta reads after such a full read (none changed is normal there, so remember).
    if (previouslyVisible === false) noneVisible();
    return { users, visible: previouslyVisible };
  }

  /** Checks that the base DN and the user/group search bases exist. */
  async verifyLocations(signal?: AbortSignal): Promise<{ key: string; message: string }[]> {
    const problems: { key: string; message: string }[] = [];
    const { root, ignoredPrefix } = rootBase(this.config.rootPath);
    if (ignoredPrefix !== null) {
      problems.push({ key: 'ldap.rootPath', message: `"${ignoredPrefix}" before the first dc= is ignored (reference behaviour): searches start at ${root}; move it into sync.userPath / sync.groupPath` });
    }
    const locations: { key: string; dn: string }[] = [{ key: 'ldap.rootPath', dn: root }];
    if (this.sync.userPath?.trim()) locations.push({ key: 'sync.userPath', dn: searchBase(this.config.rootPath, this.sync.userPath) });
    if (this.sync.groupPath?.trim()) locations.push({ key: 'sync.groupPath', dn: searchBase(this.config.rootPath, this.sync.groupPath) });
    const session = await this.open(newStats(), signal);
    try {
      let contexts: string[] | undefined;
      for (const location of locations) {
        try {
          const { entries } = await session.searchAll({ base: { dn: location.dn, key: location.key }, scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
          if (entries.length === 0) problems.push({ key: location.key, message: `${location.dn} is not visible to the bind user` });
        } catch (error) {
          if (DirconnError.is(error) && error.code === 'config.invalid') {
            contexts ??= await this.namingContexts(session);
            const foreign = contexts.length > 0 && !contexts.some((nc) => isUnder(location.dn, nc));
            problems.push({ key: location.key, message: foreign ? `${location.dn} is not on this server (it holds ${contexts.join(', ')}): another domain or forest?` : `${location.dn} does not exist` });
          }
          else if (DirconnError.is(error) && error.code === 'provider.referral') problems.push({ key: location.key, message: `${location.dn} is on another server (referral): ${error.message}` });
          else throw error;
        }
      }
    } finally {
      await session.close();
    }
    return problems;
  }

  /** Explains whether one user (DN, email, uid, sAMAccountName, UPN or externalId) is in scope, and why. */
  async explain(query: string, signal?: AbortSignal): Promise<ProviderExplanation> {
    const q = query.trim();
    const sync = this.sync;
    const { root } = rootBase(this.config.rootPath);
    const userBase = searchBase(this.config.rootPath, sync.userPath);
    const userClass = sync.userObjectClass ?? 'person';
    const plan = this.plan({ users: true, groups: false });
    const attributes = attributeList(...plan.userAttributes, 'objectClass', 'sAMAccountName', 'userPrincipalName', 'mail');
    const session = await this.open(newStats(), signal);
    try {
      const rootSpec = { dn: root, key: 'ldap.rootPath' };
      let entries: LdapEntry[] = [];
      if (isDnLike(q)) {
        try {
          entries = (await session.searchAll({ base: { dn: q, key: 'query' }, scope: 'base', filter: '(objectClass=*)', attributes, binaryAttributes: GUID_BINARY })).entries;
        } catch (error) {
          if (!(DirconnError.is(error) && error.code === 'config.invalid')) throw error;
        }
      } else {
        // Filter objects, not text: ldapts's text parser cannot carry binary values (objectGUID).
        const clauses = new Map<string, EqualityFilter>();
        const add = (attribute: string, value: string | Buffer): void => {
          const key = `${attribute.toLowerCase()}=${typeof value === 'string' ? value : value.toString('hex')}`;
          if (!clauses.has(key)) clauses.set(key, new EqualityFilter({ attribute, value }));
        };
        add('mail', q);
        if (sync.userEmailAttribute) add(sync.userEmailAttribute, q);
        if (this.ad) {
          add('sAMAccountName', q);
          add('userPrincipalName', q);
        } else {
          add('uid', q);
        }
        const guid = isGuidText(q) ? guidToBytes(q) : null;
        if (guid && (this.config.externalIdAttribute === 'auto' || this.config.externalIdAttribute === 'objectGUID')) add('objectGUID', guid);
        const idAttribute = externalIdSourceAttribute(this.config.externalIdAttribute);
        if (idAttribute && idAttribute !== 'objectGUID') add(idAttribute, q);
        entries = (await session.searchAll({ base: { dn: root, key: rootSpec.key }, scope: 'sub', filter: new OrFilter({ filters: [...clauses.values()] }), attributes, binaryAttributes: GUID_BINARY, sizeLimit: 10 })).entries;
      }
      const entry = entries[0];
      const checks: ProviderExplanation['checks'] = [];
      if (!entry) {
        checks.push({ check: 'found in the directory', passed: false, detail: `no entry under ${root} matches "${q}" (searched by DN, mail, ${this.ad ? 'sAMAccountName, userPrincipalName' : 'uid'} and externalId)` });
        return { found: false, checks };
      }
      const attrs = lowerAttributes(entry);
      checks.push({ check: 'found in the directory', passed: true, detail: entries.length > 1 ? `${entry.dn} (first of ${entries.length} matches)` : entry.dn });
      const inBase = isUnder(entry.dn, userBase);
      checks.push({ check: 'inside the user search base (sync.userPath)', passed: inBase, detail: inBase ? `${entry.dn} is under ${userBase}` : `${entry.dn} is not under ${userBase}, so it is out of scope; change sync.userPath to include it` });
      // Server-side, so object class inheritance counts (inetOrgPerson is a person).
      const classOk = (await session.searchAll({ base: { dn: entry.dn, key: 'query' }, scope: 'base', filter: new EqualityFilter({ attribute: 'objectClass', value: userClass }), attributes: ['1.1'] })).entries.length > 0;
      const classes = stringValues(attrs.get('objectclass'));
      checks.push({ check: 'matches sync.userObjectClass', passed: classOk, detail: classOk ? `is a ${userClass}` : `objectClass is ${classes.join(', ') || 'unknown'}, not ${userClass}` });
      const filterMatches = (await session.searchAll({ base: { dn: entry.dn, key: 'query' }, scope: 'base', filter: plan.userFilter, attributes: ['1.1'] })).entries.length > 0;
      checks.push({
        check: 'matches sync.userFilter',
        passed: filterMatches,
        detail: sync.userFilter?.trim() ? `${filterMatches ? 'matches' : 'does not match'} ${plan.userFilter}` : `no user filter; ${filterMatches ? 'matches' : 'does not match'} ${plan.userFilter}`,
      });
      const email = emailOf(attrs, plan.userSettings);
      checks.push({
        check: 'has an email',
        passed: email !== null,
        detail: email ?? `no ${sync.userEmailAttribute ?? 'email attribute'} value${sync.useEmailPrefixSuffix ? ` and no ${sync.emailPrefixAttribute ?? 'prefix attribute'} for the prefix+suffix` : ' (sync.useEmailPrefixSuffix is off)'}; users without an email are not synced`,
      });
      const disabled = isDisabledByUac(firstString(attrs, 'userAccountControl'));
      checks.push({
        check: 'enabled in the directory',
        passed: !disabled,
        detail: disabled ? (sync.removeDisabled ? 'disabled (userAccountControl); sync.removeDisabled is on, so it is removed from the organization' : 'disabled (userAccountControl); sync.removeDisabled is off, so it stays a member') : 'not disabled',
      });
      checks.push({ check: 'user sync enabled (sync.users)', passed: sync.users, detail: sync.users ? 'sync.users is on' : 'sync.users is off: no users are synced' });

      // Direct group memberships (member attribute by DN, memberUid by uid).
      const memberAttribute = sync.memberAttribute?.trim();
      if (memberAttribute && sync.groupObjectClass) {
        const uid = firstString(attrs, 'uid');
        const values = new Set<string>([entry.dn]);
        if (uid) {
          values.add(uid);
          values.add(uid.toLowerCase());
        }
        const groupBase = searchBase(this.config.rootPath, sync.groupPath);
        const found = await session.searchAll({
          base: { dn: groupBase, key: sync.groupPath ? 'sync.groupPath' : 'ldap.rootPath' },
          scope: 'sub',
          filter: new AndFilter({
            filters: [
              new EqualityFilter({ attribute: 'objectClass', value: sync.groupObjectClass }),
              new OrFilter({ filters: [...values].map((value) => new EqualityFilter({ attribute: memberAttribute, value })) }),
            ],
          }),
          attributes: attributeList(sync.groupNameAttribute, 'cn'),
          sizeLimit: 200,
        });
        const names = found.entries.map((g) => {
          const a = lowerAttributes(g);
          return firstString(a, sync.groupNameAttribute) ?? firstString(a, 'cn') ?? g.dn;
        });
        checks.push({ check: 'direct group memberships', passed: true, detail: names.length > 0 ? names.join(', ') : `member of no ${sync.groupObjectClass} under ${groupBase}` });
      }

      const inScope = inBase && classOk && filterMatches;
      const explanation: ProviderExplanation = { found: true, referenceId: entry.dn, checks };
      if (inScope) explanation.user = mapUserEntry(entry, attrs, plan.userSettings);
      return explanation;
    } finally {
      await session.close();
    }
  }
}

/** Parses a referral/continuation URL (`ldap://host:port/dn`) into an endpoint and base DN. */
export function parseLdapUrl(url: string, current: LdapEndpoint): { endpoint: LdapEndpoint; dn: string | undefined } | undefined {
  const m = /^(ldaps?):\/\/([^/:?]*|\[[^\]]+\])(?::(\d+))?(?:\/([^?]*))?/i.exec(url.trim());
  if (!m) return undefined;
  const scheme = (m[1] ?? 'ldap').toLowerCase();
  const host = (m[2] ?? '').replace(/^\[|\]$/g, '') || current.host;
  const port = m[3] ? Number(m[3]) : scheme === 'ldaps' ? 636 : 389;
  // Never downgrade: a plain referral from an encrypted session is followed with StartTLS.
  const transport = scheme === 'ldaps' ? 'ldaps' : current.transport === 'plain' ? 'plain' : 'starttls';
  const dn = m[4] ? decodeURIComponent(m[4]) : undefined;
  return { endpoint: { host, port, transport }, dn: dn === '' ? undefined : dn };
}
