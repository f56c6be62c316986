/**
 * The LDAP side of `dirconn config` checks and `dirconn explain`: do the configured base DN and
 * search bases exist (and on this server), and why is one user in or out of scope.
 */
import { AndFilter, EqualityFilter, OrFilter } from 'ldapts';
import { DirconnError } from '@dirconn/core';
import type { ProviderExplanation, SyncConfig } from '@dirconn/core';
import type { LdapConfig } from './ldap.config.js';
import { GUID_BINARY, guidToBytes, isDisabledByUac, isGuidText } from './ldap.ad-values.js';
import type { LdapEntry } from './ldap.attributes.js';
import { attributeList, firstString, lowerAttributes, stringValues } from './ldap.attributes.js';
import { isDnLike, isUnder } from './ldap.dn.js';
import { externalIdSourceAttribute } from './ldap.external-id.js';
import { emailOf, mapUserEntry } from './ldap.mapping.js';
import { buildReadPlan } from './ldap.read-plan.js';
import { namingContexts } from './ldap.referrals.js';
import { rootBase, searchBase } from './ldap.search-scope.js';
import type { LdapSession } from './ldap.session.js';

/** The configured source these checks run against. */
export interface LdapSource {
  config: LdapConfig;
  /** The sync settings, AD defaults applied. */
  sync: SyncConfig;
  /** Opens one session to the configured server (the caller closes it). */
  open: () => Promise<LdapSession>;
  /** LdapProviderOptions.memberRangeSize (test knob). */
  memberRangeSize: number | undefined;
}

/** Checks that the base DN and the user/group search bases exist. */
export async function verifyLocations(source: LdapSource): Promise<{ key: string; message: string }[]> {
  const { config, sync } = source;
  const problems: { key: string; message: string }[] = [];
  const { root, ignoredPrefix } = rootBase(config.rootPath);
  if (ignoredPrefix !== null) {
    problems.push({ key: 'ldap.rootPath', message: `"${ignoredPrefix}" before the first dc= is ignored (reference behaviour): searches start at ${root}; move it into sync.userPath / sync.groupPath` });
  }
  const locations: { key: string; dn: string }[] = [{ key: 'ldap.rootPath', dn: root }];
  if (sync.userPath?.trim()) locations.push({ key: 'sync.userPath', dn: searchBase(config.rootPath, sync.userPath) });
  if (sync.groupPath?.trim()) locations.push({ key: 'sync.groupPath', dn: searchBase(config.rootPath, sync.groupPath) });
  const session = await source.open();
  try {
    let contexts: string[] | undefined;
    for (const location of locations) {
      try {
        const { entries } = await session.searchAll({ base: { dn: location.dn, key: location.key }, scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] });
        if (entries.length === 0) problems.push({ key: location.key, message: `${location.dn} is not visible to the bind user` });
      } catch (error) {
        if (DirconnError.is(error) && error.code === 'config.invalid') {
          contexts ??= await namingContexts(session);
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
export async function explainUser(source: LdapSource, query: string): Promise<ProviderExplanation> {
  const q = query.trim();
  const { config, sync } = source;
  const { root } = rootBase(config.rootPath);
  const userBase = searchBase(config.rootPath, sync.userPath);
  const userClass = sync.userObjectClass ?? 'person';
  const plan = buildReadPlan(config, sync, { users: true, groups: false }, source.memberRangeSize);
  const attributes = attributeList(...plan.userAttributes, 'objectClass', 'sAMAccountName', 'userPrincipalName', 'mail');
  const session = await source.open();
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
      if (config.ad) {
        add('sAMAccountName', q);
        add('userPrincipalName', q);
      } else {
        add('uid', q);
      }
      const guid = isGuidText(q) ? guidToBytes(q) : null;
      if (guid && (config.externalIdAttribute === 'auto' || config.externalIdAttribute === 'objectGUID')) add('objectGUID', guid);
      const idAttribute = externalIdSourceAttribute(config.externalIdAttribute);
      if (idAttribute && idAttribute !== 'objectGUID') add(idAttribute, q);
      entries = (await session.searchAll({ base: { dn: root, key: rootSpec.key }, scope: 'sub', filter: new OrFilter({ filters: [...clauses.values()] }), attributes, binaryAttributes: GUID_BINARY, sizeLimit: 10 })).entries;
    }
    const entry = entries[0];
    const checks: ProviderExplanation['checks'] = [];
    if (!entry) {
      checks.push({ check: 'found in the directory', passed: false, detail: `no entry under ${root} matches "${q}" (searched by DN, mail, ${config.ad ? 'sAMAccountName, userPrincipalName' : 'uid'} and externalId)` });
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
      const groupBase = searchBase(config.rootPath, sync.groupPath);
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
