/**
 * LdapProvider against a real Samba Active Directory DC (test-support harness): AD defaults,
 * objectGUID ids (checked against Samba's own GUID text), userAccountControl, prefix+suffix emails,
 * bind name forms, AD bind errors, strong auth, deleted users (tombstones) on every run, the
 * warning when the bind user cannot see CN=Deleted Objects, and whenChanged deltas.
 * Needs root and test-support/scripts/install-samba.sh; only one DC can run per machine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, silentLogger } from '@dirconn/core';
import type { DirectoryUser, SyncConfig } from '@dirconn/core';
import { samba, sambaSeed, seedAd, startSambaDc } from '@dirconn/test-support';
import type { AdSeedInfo, SambaDc } from '@dirconn/test-support';
import type { LdapConfig } from './ldap.config.js';
import { LDAP_DEFAULTS } from './ldap.config.js';
import { ldapDefinition } from './ldap.definition.js';
import type { LdapProviderOptions } from './ldap.provider.js';
import { LdapProvider } from './ldap.provider.js';

let dc: SambaDc;
let seed: AdSeedInfo;

beforeAll(async () => {
  dc = await startSambaDc();
  seed = await seedAd(dc, { bigGroupSize: 200 });
}, 180_000);

afterAll(async () => {
  await dc?.stop();
});

function configFor(extra: Partial<LdapConfig> = {}): LdapConfig {
  return { ...LDAP_DEFAULTS, hostname: '127.0.0.1', port: dc.ldapsPort, ssl: true, sslCaPath: dc.caCertPath, rootPath: dc.baseDn, username: `${dc.domain}\\${dc.adminUser}`, ad: true, domain: dc.domain, ...extra };
}

/** AD defaults come from normalizeSync (as core does); the whole domain is searched (paths ''). */
function provider(config: LdapConfig, sync: Partial<SyncConfig> = {}, secret = dc.adminPassword, options: LdapProviderOptions = {}): LdapProvider {
  const raw: SyncConfig = { ...DEFAULT_SYNC_CONFIG, users: true, groups: true, userPath: '', groupPath: '', useEmailPrefixSuffix: true, emailSuffix: seed.emailSuffix, ...sync };
  const effective = ldapDefinition.normalizeSync?.(raw, config) ?? raw;
  return new LdapProvider({ config, sync: effective, secret, logger: silentLogger }, options);
}

const byGuid = (users: DirectoryUser[] | null): Map<string, DirectoryUser> => new Map((users ?? []).map((u) => [u.externalId, u]));

describe('Active Directory (Samba)', () => {
  it('reads users with objectGUID ids, disabled flags and prefix+suffix emails', async () => {
    const snapshot = await provider(configFor()).read({ force: true, users: true, groups: true });
    expect(snapshot.mode).toBe('full');
    const users = byGuid(snapshot.users);
    for (const u of [...seed.users, ...seed.bulkUsers]) {
      expect(users.get(u.objectGuid)).toMatchObject({ referenceId: u.dn, email: u.expectedEmail, disabled: u.disabled, deleted: false });
    }
    // Samba's own GUID text (ldb formatting) agrees with our byte order.
    const shown = await samba.sambaTool(dc, ['user', 'show', seed.users[0]!.sAMAccountName, '--attributes=objectGUID']);
    expect(shown).toContain(`objectGUID: ${seed.users[0]!.objectGuid}`);
    expect(snapshot.warnings.map((w) => w.code)).not.toContain('ad.deleted-objects-unreadable');
  });

  it('resolves group members and nested groups by DN (comma and non-ASCII names included)', async () => {
    const snapshot = await provider(configFor()).read({ force: true, users: false, groups: true });
    const groups = new Map((snapshot.groups ?? []).map((g) => [g.externalId, g]));
    for (const key of ['groupA', 'groupB', 'cycleX', 'sales', 'engineering', 'empty', 'big'] as const) {
      const g = seed.groups[key]!;
      const read = groups.get(g.objectGuid);
      expect(read?.name).toBe(g.name);
      expect([...(read?.userMemberExternalIds ?? [])].sort()).toEqual(g.memberUserDns.map((dn) => [...seed.usersByKey.values()].find((u) => u.dn === dn)!.objectGuid).sort());
      expect(read?.groupMemberReferenceIds.length).toBe(g.memberGroupDns.length);
    }
  });

  it('applies the AD default userPath CN=Users when the path is null', async () => {
    const snapshot = await provider(configFor(), { userPath: null, groups: false }).read({ force: true, users: true, groups: false });
    const dns = (snapshot.users ?? []).map((u) => u.referenceId.toLowerCase());
    expect(dns.length).toBeGreaterThan(0);
    expect(dns.every((dn) => dn.endsWith(`cn=users,${dc.baseDn.toLowerCase()}`))).toBe(true);
  });

  it.each([
    ['DOMAIN\\user', () => `${dc.domain}\\${dc.adminUser}`],
    ['UPN', () => `${dc.adminUser}@${dc.realm.toLowerCase()}`],
    ['DN', () => dc.adminDn],
  ])('binds with a %s name', async (_form, name) => {
    await expect(provider(configFor({ username: name() })).check()).resolves.toBeUndefined();
  });

  it('works over StartTLS', async () => {
    const snapshot = await provider(configFor({ port: dc.ldapPort, ssl: false, startTls: true, sslCaPath: null, tlsCaPath: dc.caCertPath }), { groups: false }).read({ force: true, users: true, groups: false });
    expect((snapshot.users ?? []).length).toBeGreaterThan(seed.users.length);
  });

  it('explains a wrong password with the AD data code', async () => {
    const error = await provider(configFor(), {}, 'Wrong-Password-1!').check().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth.directory', message: expect.stringContaining('password is wrong (AD data 52e)') });
  });

  it('refuses a simple bind over plain LDAP with a hint to encrypt', async () => {
    const error = await provider(configFor({ port: dc.ldapPort, ssl: false, sslCaPath: null })).check().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth.directory', hint: expect.stringMatching(/ldap\.ssl|startTls/) });
  });

  it('reports deleted users on every (non-forced) run with their objectGUID', async () => {
    const victim = seed.usersByKey.get('judy')!;
    await sambaSeed.deleteUser(dc, victim.dn);
    const snapshot = await provider(configFor(), { groups: false }).read({ force: false, users: true, groups: false });
    const tombstone = byGuid(snapshot.users).get(victim.objectGuid);
    expect(tombstone).toMatchObject({ deleted: true, externalId: victim.objectGuid });
    expect((snapshot.users ?? []).filter((u) => !u.deleted).some((u) => u.externalId === victim.objectGuid)).toBe(false);
  });

  it('warns (does not fail) when the bind user cannot see deleted users', async () => {
    // Samba lets a plain user see the container but not the tombstones in it (Windows hides both).
    const svc = seed.serviceAccount;
    const snapshot = await provider(configFor({ username: svc.dn }), { groups: false }, seed.userPassword).read({ force: true, users: true, groups: false });
    expect((snapshot.users ?? []).length).toBeGreaterThan(0);
    expect(snapshot.users?.some((u) => u.deleted)).toBe(false);
    const warning = snapshot.warnings.find((w) => w.code === 'ad.deleted-objects-none-visible');
    expect(warning?.message).toMatch(/dsacls ".*CN=Deleted Objects.*" \/takeOwnership/);
    expect(warning?.message).toContain(':LCRP');
  });

  it('reads only changed users with whenChanged deltas', async () => {
    const p = provider(configFor(), { groups: false }, dc.adminPassword, { deltaOverlapMs: 0 });
    await new Promise((r) => setTimeout(r, 1100));
    const first = await p.read({ force: false, users: true, groups: false });
    expect(first.cursor).toMatchObject({ deltaCapable: true });
    await new Promise((r) => setTimeout(r, 1100));
    const heidi = seed.usersByKey.get('heidi')!;
    await sambaSeed.setMail(dc, heidi.dn, 'Heidi.New@dirconn.example');
    const delta = await p.read({ force: false, since: first.cursor, users: true, groups: false });
    expect(delta.mode).toBe('delta');
    expect(delta.users?.filter((u) => !u.deleted).map((u) => [u.externalId, u.email])).toEqual([[heidi.objectGuid, 'heidi.new@dirconn.example']]);
  });

  it('verifyLocations accepts the defaults and explain finds a user by sAMAccountName and GUID', async () => {
    const p = provider(configFor(), { userPath: null, groupPath: null });
    expect(await p.verifyLocations()).toEqual([]);
    const olivia = seed.usersByKey.get('olivia')!;
    const bySam = await p.explain(olivia.sAMAccountName);
    expect(bySam).toMatchObject({ found: true, referenceId: olivia.dn, user: { externalId: olivia.objectGuid } });
    const byGuid2 = await p.explain(olivia.objectGuid);
    expect(byGuid2.referenceId).toBe(olivia.dn);
  });
});
