/**
 * The user and group searches of one LDAP read: a "did anything change" probe, the user search
 * (optionally building the member lookup tables), the user-scope index for groups-only and delta
 * runs, and the group search with AD ranged retrieval and member resolution.
 */
import { DirconnError } from '@dirconn/core';
import type { DirectoryGroup, DirectoryUser, Logger, ReadOptions, ReadWarning } from '@dirconn/core';
import { GUID_BINARY } from './ldap.ad-values.js';
import type { LdapEntry, LowerAttributes } from './ldap.attributes.js';
import { lowerAttributes, stringValues } from './ldap.attributes.js';
import type { RawGroup } from './ldap.mapping.js';
import { mapGroupEntry, mapUserEntry } from './ldap.mapping.js';
import { MemberIndex, resolveMembers } from './ldap.members.js';
import { collectRangedValues, findRangedAttribute } from './ldap.ranged.js';
import type { ReadPlan } from './ldap.read-plan.js';
import type { ReferralPolicy } from './ldap.referrals.js';
import { searchFollowing } from './ldap.referrals.js';
import type { LdapSession } from './ldap.session.js';

/** The mangled RDN of a deleted AD object (`CN=Name\0ADEL:<objectGUID>`). */
const DELETED_OBJECT_RDN = /\\0ADEL:/i;

/** Reports a phase's running count; `final` reports the last count once. */
export type ProgressReporter = (phase: string, count: number, final?: boolean) => void;

/** A reporter that calls onProgress every `every` entries per phase and once at its end. */
export function progressReporter(onProgress: ReadOptions['onProgress'], every: number): ProgressReporter {
  const last = new Map<string, number>();
  return (phase, count, final = false) => {
    if (!onProgress) return;
    const previous = last.get(phase);
    if (final ? previous !== count : Math.floor(count / every) > Math.floor((previous ?? 0) / every)) {
      last.set(phase, count);
      onProgress({ phase, count });
    }
  };
}

/** Whether the revision attribute was seen on the entries read, and how many entries were read. */
export interface RevisionSeen {
  users: boolean;
  groups: boolean;
  userEntries: number;
  groupEntries: number;
}

/** What every search of one read shares. */
export interface SearchContext {
  session: LdapSession;
  plan: ReadPlan;
  referrals: ReferralPolicy;
  progress: ProgressReporter;
  warnings: ReadWarning[];
  logger: Logger;
}

/** True when at least one entry under `base` matches `filter` (one-entry size limit). */
export async function anyChanged(context: SearchContext, filter: string, base: string, key: string): Promise<boolean> {
  let found = false;
  try {
    await searchFollowing(context.session, { base: { dn: base, key }, scope: 'sub', filter, attributes: ['1.1'], sizeLimit: 1 }, (entries) => {
      if (entries.length > 0) found = true;
    }, context.warnings, context.referrals);
  } catch (error) {
    // A size-limit stop is exactly "at least one changed".
    if (DirconnError.is(error) && error.code === 'provider.incomplete-read') return true;
    throw error;
  }
  return found;
}

/** The user search: maps every entry and, when given an index, registers each user in it. */
export async function readUsers(context: SearchContext, filter: string, index: MemberIndex | null, revisionSeen: RevisionSeen): Promise<DirectoryUser[]> {
  const { session, plan, progress, warnings } = context;
  const users: DirectoryUser[] = [];
  const revision = plan.sync.revisionDateAttribute?.trim().toLowerCase() || null;
  context.logger.debug('ldap user search', { base: plan.userBase, filter });
  await searchFollowing(
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
    context.referrals,
  );
  progress('users', users.length, true);
  return users;
}

/** The full user scope, for member resolution when users are not synced (or read as a delta). */
export async function readUserIndex(context: SearchContext): Promise<MemberIndex> {
  const { session, plan, progress, warnings } = context;
  const index = new MemberIndex();
  let count = 0;
  await searchFollowing(
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
    context.referrals,
  );
  progress('user scope', count, true);
  return index;
}

/** The groups read, and how their member values resolved (`DirectorySnapshot.memberResolution`). */
export interface GroupsRead {
  groups: DirectoryGroup[];
  memberResolution: { resolved: number; unresolved: number };
}

/** The group search, AD ranged member retrieval, and member resolution against the index. */
export async function readGroups(context: SearchContext, index: MemberIndex, revisionSeen: RevisionSeen): Promise<GroupsRead> {
  const { session, plan, progress, warnings } = context;
  const stats = session.stats;
  const raws: RawGroup[] = [];
  const ranged: { position: number; entry: LdapEntry; attrs: LowerAttributes; name: string }[] = [];
  const memberAttribute = plan.sync.memberAttribute?.trim() || null;
  const revision = plan.sync.revisionDateAttribute?.trim().toLowerCase() || null;
  const settings = { groupNameAttribute: plan.sync.groupNameAttribute, memberAttribute, externalIdAttribute: plan.userSettings.externalIdAttribute };
  let unnamed = 0;
  context.logger.debug('ldap group search', { base: plan.groupBase, filter: plan.groupFilter });
  await searchFollowing(
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
    context.referrals,
  );
  progress('groups', raws.length, true);

  // Large groups (AD MaxValRange): fetch the remaining member chunks, one group after another.
  const rangeSize = plan.memberRangeSize;
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
  let resolvedCount = 0;
  let unresolvedGroups = 0;
  const examples: string[] = [];
  for (const raw of raws) {
    const resolved = resolveMembers(raw, index);
    const group = resolved.group;
    // Samba with the Recycle Bin on still lists deleted members (`CN=x\0ADEL:<guid>,CN=Deleted
    // Objects,…`; Windows hides such deactivated links): they are gone, not out of scope.
    const unresolved = resolved.unresolved.filter((value) => !DELETED_OBJECT_RDN.test(value));
    groups.push(group);
    resolvedCount += group.userMemberExternalIds.length + group.groupMemberReferenceIds.length;
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
  return { groups, memberResolution: { resolved: resolvedCount, unresolved: unresolvedCount } };
}
