/**
 * Active Directory deleted users (reference §6.1.4, improved): tombstones under CN=Deleted Objects,
 * read with the "show deleted objects" control on every run, and warnings that name the missing
 * right when the bind user cannot see them.
 */
import { Control } from 'ldapts';
import { DirconnError } from '@dirconn/core';
import type { DirectoryUser, ReadWarning } from '@dirconn/core';
import type { LdapConfig } from './ldap.config.js';
import { GUID_BINARY } from './ldap.ad-values.js';
import { attributeList, lowerAttributes, stringValues } from './ldap.attributes.js';
import { isUnder, normalizeDn } from './ldap.dn.js';
import type { DeltaSpec } from './ldap.cursor.js';
import { deltaFilter } from './ldap.cursor.js';
import { mapUserEntry } from './ldap.mapping.js';
import type { ReadPlan } from './ldap.read-plan.js';
import type { ProgressReporter } from './ldap.search.js';
import { deletedObjectsBase, escapeFilterValue, rootBase } from './ldap.search-scope.js';
import type { LdapSession } from './ldap.session.js';

/** OID of AD's "show deleted objects" control (LDAP_SERVER_SHOW_DELETED_OID). */
export const SHOW_DELETED_OID = '1.2.840.113556.1.4.417';

/** What the deleted-users search needs from its read. */
export interface DeletedUsersRead {
  session: LdapSession;
  config: LdapConfig;
  plan: ReadPlan;
  /** The delta of a delta read (only tombstones changed since), or null on a full read. */
  delta: DeltaSpec | null;
  /** The previous cursor's tombstone visibility (undefined: unknown). */
  previouslyVisible: boolean | undefined;
  progress: ProgressReporter;
  warnings: ReadWarning[];
}

/**
 * Whether a tombstone was inside the user search base before it was deleted (its `lastKnownParent`).
 * With no `sync.userPath` the user base is the whole domain: every tombstone is inside. Without a
 * last parent, it cannot be placed: outside (issue #9 item 4).
 */
export function tombstoneInsideUserBase(lastKnownParent: string | undefined, userBase: string, rootPath: string | null | undefined): boolean {
  if (normalizeDn(userBase) === normalizeDn(rootBase(rootPath).root)) return true;
  if (lastKnownParent === undefined || lastKnownParent.trim() === '') return false;
  return isUnder(lastKnownParent, userBase);
}

/**
 * AD deleted users (reference §6.1.4, improved): searched on every run, not only forced ones. If the
 * bind user cannot see CN=Deleted Objects, a warning says so (the reference hides it). `visible`
 * is false when no tombstone could be seen, undefined when the externalId scheme rules them out.
 */
export async function readDeletedUsers(read: DeletedUsersRead): Promise<{ users: DirectoryUser[]; visible: boolean | undefined }> {
  const { session, config, plan, delta, previouslyVisible, progress, warnings } = read;
  const base = deletedObjectsBase(config.rootPath);
  const scheme = config.externalIdAttribute;
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
  const username = (config.username ?? '').trim();
  const who = /\\|@/.test(username) && !username.includes('=') ? username : `${(config.domain ?? '').trim() || 'DOMAIN'}\\<bind user>`;
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
        attributes: attributeList(plan.sync.userEmailAttribute, 'objectGUID', 'userAccountControl', 'cn', 'displayName', 'lastKnownParent', plan.sync.useEmailPrefixSuffix && plan.sync.emailPrefixAttribute),
        binaryAttributes: GUID_BINARY,
        controls: [showDeleted],
        pageSize: plan.pageSize,
      },
      (entries) => {
        for (const entry of entries) {
          if (!entry.dn) continue;
          const attrs = lowerAttributes(entry);
          if (!attrs.has('objectguid')) continue;
          const user = mapUserEntry(entry, attrs, plan.userSettings, true);
          if (!tombstoneInsideUserBase(stringValues(attrs.get('lastknownparent'))[0], plan.userBase, config.rootPath)) user.outsideUserScope = true;
          users.push(user);
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
