/**
 * Everything one LDAP read needs, derived once from the source config and the sync settings: search
 * bases, filters, requested attributes, page size, user mapping settings and the settings
 * fingerprint that ties a delta cursor to them. Pure, no I/O.
 */
import { createHash } from 'node:crypto';
import { DirconnError } from '@dirconn/core';
import type { ReadOptions, SyncConfig } from '@dirconn/core';
import type { LdapConfig } from './ldap.config.js';
import { attributeList } from './ldap.attributes.js';
import { externalIdSourceAttribute } from './ldap.external-id.js';
import type { UserMappingSettings } from './ldap.mapping.js';
import { composeFilter, rootBase, searchBase } from './ldap.search-scope.js';

/** Everything a read needs, derived once from config + sync. */
export interface ReadPlan {
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
  /** Digest of the settings that decide what is read (a cursor made under others is refused). */
  fingerprint: string;
  /** LdapProviderOptions.memberRangeSize: request member values in ranges of this size (tests). */
  memberRangeSize: number | undefined;
}

/**
 * Builds the read plan. Throws config.incomplete when the user object class (or, with groups, the
 * group object class) or the root path is not set.
 */
export function buildReadPlan(config: LdapConfig, sync: SyncConfig, options: Pick<ReadOptions, 'users' | 'groups'>, memberRangeSize: number | undefined): ReadPlan {
  const ad = config.ad;
  const requireClass = (value: string | null, key: string): string => {
    if (value === null || value.trim() === '') {
      throw new DirconnError('config.incomplete', `${key} is not set.`, { hint: `Set it with "dirconn config ${key} <class>" (e.g. inetOrgPerson, groupOfNames).` });
    }
    return value;
  };
  const userClass = requireClass(sync.userObjectClass, 'sync.userObjectClass');
  const groupClass = options.groups ? requireClass(sync.groupObjectClass, 'sync.groupObjectClass') : (sync.groupObjectClass ?? 'group');
  const scheme = config.externalIdAttribute;
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
  const userBase = searchBase(config.rootPath, sync.userPath);
  const groupBase = searchBase(config.rootPath, sync.groupPath);
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
    !ad && 'entryUUID',
  );
  const memberRequest = sync.memberAttribute?.trim() && memberRangeSize !== undefined && memberRangeSize > 0 ? `${sync.memberAttribute.trim()};range=0-${memberRangeSize - 1}` : sync.memberAttribute;
  const groupAttributes = attributeList(sync.groupNameAttribute, 'cn', memberRequest, wantsGuid && 'objectGUID', revision, idAttribute, ad && 'name');
  const indexAttributes = attributeList('uid', wantsGuid && 'objectGUID', idAttribute);
  const pageSize = config.pagedSearch || ad ? Math.max(1, config.pageSize) : undefined;
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        config.hostname?.trim().toLowerCase(),
        // Another bind account may see other entries (and other tombstones): read everything once.
        config.username?.trim().toLowerCase(),
        config.port,
        rootBase(config.rootPath).root,
        ad,
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
        // Following referrals reads other servers' entries: a cursor made without them (or with
        // them) must not drive a delta read (issue #9 item 6). Only when on, so that the
        // fingerprints of existing cursors (referrals off, the default) stay the same.
        ...(config.followReferrals ? ['followReferrals'] : []),
      ]),
    )
    .digest('hex')
    .slice(0, 24);
  return { sync, userBase, groupBase, userFilter, groupFilter, userAttributes, groupAttributes, indexAttributes, pageSize, userSettings, fingerprint, memberRangeSize };
}
