/**
 * Issue #9 item 6: references the read does not follow (ldap.followReferrals off, or a second hop)
 * make the read incomplete (`ReferralPolicy.skipped` → `DirectorySnapshot.skipped`), and
 * followReferrals is part of the settings fingerprint that ties a delta cursor to its settings.
 * Over a fake session; the slapd integration spec reads a real referral object.
 */
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG } from '@dirconn/core';
import type { ReadWarning } from '@dirconn/core';
import type { LdapEntry } from './ldap.attributes.js';
import type { LdapConfig } from './ldap.config.js';
import { LDAP_DEFAULTS } from './ldap.config.js';
import { buildReadPlan } from './ldap.read-plan.js';
import type { ReferralPolicy } from './ldap.referrals.js';
import { searchFollowing } from './ldap.referrals.js';
import type { LdapSession, SearchSpec } from './ldap.session.js';
import { newStats } from './ldap.session.js';

const spec: SearchSpec = { base: { dn: 'dc=example,dc=com', key: 'ldap.rootPath' }, scope: 'sub', filter: '(objectClass=person)', attributes: ['mail'] };
const REMOTE = 'ldap://remote.example.com:389/ou=Remote,dc=example,dc=com';
const FURTHER = 'ldap://further.example.com/ou=Far,dc=example,dc=com';

/** A session whose search returns `entries` and then the references `refs`. */
function fakeSession(entries: LdapEntry[], refs: string[]): { session: LdapSession; closed: () => boolean } {
  let closed = false;
  const session = {
    endpoint: { host: 'dc1.example.com', port: 389, transport: 'plain' as const },
    stats: newStats(),
    signal: undefined,
    search: (_spec: SearchSpec, onPage: (entries: LdapEntry[]) => void): Promise<string[]> => {
      onPage(entries);
      return Promise.resolve(refs);
    },
    close: (): Promise<void> => {
      closed = true;
      return Promise.resolve();
    },
  };
  return { session: session as unknown as LdapSession, closed: () => closed };
}

function policy(followReferrals: boolean, referred?: LdapSession): ReferralPolicy {
  return {
    followReferrals,
    open: () => (referred ? Promise.resolve(referred) : Promise.reject(new Error('no referred server in this test'))),
    skipped: [],
  };
}

describe('searchFollowing: references not followed make the read incomplete', () => {
  it('followReferrals off: each reference is recorded as skipped and named in the warning', async () => {
    const referrals = policy(false);
    const warnings: ReadWarning[] = [];
    const read: LdapEntry[] = [];
    await searchFollowing(fakeSession([{ dn: 'cn=a,dc=example,dc=com' }], [REMOTE]).session, spec, (page) => read.push(...page), warnings, referrals);
    expect(read).toHaveLength(1);
    expect(referrals.skipped).toEqual([`${REMOTE} (referred by the search of dc=example,dc=com; ldap.followReferrals is off)`]);
    expect(warnings).toEqual([{ code: 'ldap.references-not-followed', message: expect.stringContaining(REMOTE) }]);
  });

  it('followReferrals on: one hop is read; a reference from the referred server is skipped', async () => {
    const referred = fakeSession([{ dn: 'cn=r,ou=Remote,dc=example,dc=com' }], [FURTHER]);
    const referrals = policy(true, referred.session);
    const warnings: ReadWarning[] = [];
    const read: string[] = [];
    await searchFollowing(fakeSession([{ dn: 'cn=a,dc=example,dc=com' }], [REMOTE]).session, spec, (page) => read.push(...page.map((e) => e.dn)), warnings, referrals);
    expect(read).toEqual(['cn=a,dc=example,dc=com', 'cn=r,ou=Remote,dc=example,dc=com']);
    expect(referred.closed()).toBe(true);
    expect(referrals.skipped).toEqual([`${FURTHER} (a second referral hop, from ${REMOTE})`]);
    expect(warnings.map((w) => w.code)).toEqual(['ldap.references-not-followed']);
  });

  it('followed references and AD partitions that hold no users skip nothing', async () => {
    const referrals = policy(false);
    const warnings: ReadWarning[] = [];
    await searchFollowing(fakeSession([], ['ldap://example.com/DC=DomainDnsZones,DC=example,DC=com', 'ldap://example.com/CN=Configuration,DC=example,DC=com']).session, spec, () => undefined, warnings, referrals);
    expect(referrals.skipped).toEqual([]);
    expect(warnings).toEqual([]);

    const followed = policy(true, fakeSession([], []).session);
    await searchFollowing(fakeSession([], [REMOTE]).session, spec, () => undefined, warnings, followed);
    expect(followed.skipped).toEqual([]);
  });
});

describe('settings fingerprint', () => {
  const config: LdapConfig = { ...LDAP_DEFAULTS, hostname: 'dc1.example.com', rootPath: 'dc=example,dc=com', username: 'cn=reader,dc=example,dc=com', ad: false };
  const sync = { ...DEFAULT_SYNC_CONFIG, users: true, groups: false, userObjectClass: 'person', userEmailAttribute: 'mail', revisionDateAttribute: 'modifyTimestamp' };
  const options = { users: true, groups: false };

  it('changes with ldap.followReferrals, so a cursor made under the other value is refused', () => {
    const off = buildReadPlan(config, sync, options, undefined).fingerprint;
    const on = buildReadPlan({ ...config, followReferrals: true }, sync, options, undefined).fingerprint;
    expect(on).not.toBe(off);
    // Same settings, same fingerprint.
    expect(buildReadPlan({ ...config }, sync, options, undefined).fingerprint).toBe(off);
  });
});
