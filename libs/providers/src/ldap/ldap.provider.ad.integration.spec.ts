/**
 * LdapProvider against a real Samba Active Directory DC (test-support harness): AD defaults,
 * objectGUID ids (checked against Samba's own GUID text), userAccountControl, prefix+suffix emails,
 * bind name forms, AD bind errors (wrong password, locked account), TLS trust, a base in another
 * domain, strong auth, a 5,000-member group (plain and through ranged retrieval), in-chain
 * (nested-group) filters and their time limit, deleted users (tombstones) on every run, the warning
 * when the bind user cannot see deleted users, and deltas by uSNChanged and by whenChanged that pick
 * up membership changes, disables, renames and deletes.
 * Needs root and test-support/scripts/install-samba.sh; only one DC can run per machine. This is the
 * only AD spec that seeds the 5,000-member group (the CLI e2e seeds none).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, silentLogger } from '@dirconn/core';
import type { DirectoryGroup, DirectoryUser, SyncConfig } from '@dirconn/core';
import { samba, sambaSeed, seedAd, startSambaDc } from '@dirconn/test-support';
import type { AdSeedInfo, SambaDc } from '@dirconn/test-support';
import type { LdapConfig } from './ldap.config.js';
import { LDAP_DEFAULTS } from './ldap.config.js';
import { ldapDefinition } from './ldap.definition.js';
import type { LdapCursor } from './ldap.cursor.js';
import type { LdapProviderOptions } from './ldap.provider.js';
import { LdapProvider } from './ldap.provider.js';

let dc: SambaDc;
let seed: AdSeedInfo;

beforeAll(async () => {
  dc = await startSambaDc();
  seed = await seedAd(dc, { bigGroupSize: 5000 });
}, 300_000);

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
const groupByGuid = (groups: DirectoryGroup[] | null): Map<string, DirectoryGroup> => new Map((groups ?? []).map((g) => [g.externalId, g]));
const user = (key: string) => {
  const found = seed.usersByKey.get(key);
  if (!found) throw new Error(`no seeded user ${key}`);
  return found;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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

  it('reads only changed users with whenChanged deltas (USN deltas off)', async () => {
    const p = provider(configFor(), { groups: false }, dc.adminPassword, { deltaOverlapMs: 0, adUsnDeltas: false });
    await new Promise((r) => setTimeout(r, 1100));
    const first = await p.read({ force: false, users: true, groups: false });
    expect(first.cursor).toMatchObject({ deltaCapable: true });
    await new Promise((r) => setTimeout(r, 1100));
    const heidi = seed.usersByKey.get('heidi')!;
    await sambaSeed.setMail(dc, heidi.dn, 'Heidi.New@dirconn.example');
    const delta = await p.read({ force: false, since: first.cursor, users: true, groups: false });
    expect(delta.mode).toBe('delta');
    expect(delta.users?.filter((u) => !u.deleted).map((u) => [u.externalId, u.email])).toEqual([[heidi.objectGuid, 'heidi.new@dirconn.example']]);
    expect((delta.cursor as LdapCursor).usn).toBeUndefined();
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

  it('reads a 5,000-member group completely (Samba returns every value at once), paging even with pagedSearch off', async () => {
    // AD mode always pages (as the reference desktop does): 5,000+ users in pages of 500.
    const snapshot = await provider(configFor({ pagedSearch: false }), { groupPath: 'OU=Groups' }).read({ force: true, users: true, groups: true });
    expect(snapshot.stats['pages']).toBeGreaterThan(10);
    const big = groupByGuid(snapshot.groups).get(seed.groups['big']!.objectGuid);
    expect(big?.userMemberExternalIds).toHaveLength(5000);
    expect(new Set(big?.userMemberExternalIds)).toEqual(new Set(seed.bulkUsers.map((u) => u.objectGuid)));
    expect(snapshot.stats['rangedFetches']).toBe(0);
  });

  it('follows ranged retrieval (member;range=…) against the DC for the 5,000-member group', async () => {
    // AD cuts member at 1,500 values by itself; Samba only when asked, so the provider asks (test knob).
    const snapshot = await provider(configFor(), { groupPath: 'OU=Groups' }, dc.adminPassword, { memberRangeSize: 1500 }).read({ force: true, users: true, groups: true });
    const groups = groupByGuid(snapshot.groups);
    const big = groups.get(seed.groups['big']!.objectGuid);
    expect(big?.userMemberExternalIds).toHaveLength(5000);
    expect(new Set(big?.userMemberExternalIds)).toEqual(new Set(seed.bulkUsers.map((u) => u.objectGuid)));
    // 0-1499 came with the search; 1500-2999, 3000-4499 and 4500-* were fetched.
    expect(snapshot.stats['rangedFetches']).toBe(3);
    // Small groups came back as member;range=0-* and needed nothing more.
    expect(groups.get(seed.groups['engineering']!.objectGuid)?.userMemberExternalIds.length).toBe(seed.groups['engineering']!.memberUserDns.length);
    expect(groups.get(seed.groups['empty']!.objectGuid)?.userMemberExternalIds).toEqual([]);
  });

  it('filters users by nested group membership (LDAP_MATCHING_RULE_IN_CHAIN), cycles included', async () => {
    const inChain = (key: string): string => `(memberOf:1.2.840.113556.1.4.1941:=${seed.groups[key]!.dn})`;
    const a = await provider(configFor(), { groups: false, userFilter: inChain('groupA') }).read({ force: true, users: true, groups: false });
    const active = (snapshot: typeof a): string[] => (snapshot.users ?? []).filter((u) => !u.deleted).map((u) => u.externalId).sort();
    expect(active(a)).toEqual(seed.groups['groupA']!.expectedUserKeys.map((k) => user(k).objectGuid).sort());
    const cycle = await provider(configFor(), { groups: false, userFilter: inChain('cycleX') }).read({ force: true, users: true, groups: false });
    expect(active(cycle)).toEqual(seed.groups['cycleX']!.expectedUserKeys.map((k) => user(k).objectGuid).sort());
  });

  it('fails the read (never a partial or empty list) when the in-chain search hits the time limit', async () => {
    // Samba needs seconds for an in-chain search over 5,000 members; ldap.searchTimeLimit 1 stops it.
    const filter = `(memberOf:1.2.840.113556.1.4.1941:=${seed.groups['big']!.dn})`;
    const slow = provider(configFor({ searchTimeLimit: 1 }), { groups: false, userFilter: filter });
    const error = await slow.read({ force: true, users: true, groups: false }).catch((e: unknown) => e);
    // Samba reports it as operationsError ("ldb_wait … Operations error") when attributes are
    // requested (timeLimitExceeded otherwise); either way the read fails, naming the setting.
    expect(error).toMatchObject({ code: 'provider.incomplete-read', message: expect.stringMatching(/time limit|operations error/) });
    expect((error as { hint?: string }).hint).toContain('ldap.searchTimeLimit');
    // The same search without the tiny limit returns every member.
    const complete = await provider(configFor(), { groups: false, userFilter: filter }).read({ force: true, users: true, groups: false });
    expect((complete.users ?? []).filter((u) => !u.deleted)).toHaveLength(5000);
  });

  it('a membership change behind an in-chain user filter is picked up by the next delta (full user read)', async () => {
    const p = provider(configFor(), { groups: false, userFilter: `(memberOf:1.2.840.113556.1.4.1941:=${seed.groups['groupA']!.dn})` });
    const first = await p.read({ force: false, users: true, groups: false });
    const unchanged = await p.read({ force: false, since: first.cursor, users: true, groups: false });
    expect(unchanged).toMatchObject({ mode: 'delta' });
    // dave joins GroupC (nested in GroupB in GroupA): his own whenChanged/uSNChanged do not move.
    await sambaSeed.addMember(dc, seed.groups['groupC']!.dn, user('dave').dn);
    const delta = await p.read({ force: false, since: unchanged.cursor, users: true, groups: false });
    expect(delta.mode).toBe('full');
    expect((delta.users ?? []).map((u) => u.externalId)).toContain(user('dave').objectGuid);
    await sambaSeed.removeMember(dc, seed.groups['groupC']!.dn, user('dave').dn);
  });

  it('delta sync by uSNChanged picks up a membership change, a disable, a rename and a delete', async () => {
    const p = provider(configFor(), { groupPath: 'OU=Groups' });
    const first = await p.read({ force: false, users: true, groups: true });
    const cursor = first.cursor as LdapCursor;
    expect(cursor.usn).toMatchObject({ server: expect.stringMatching(/^CN=NTDS Settings,CN=DC1,/), invocationId: expect.stringMatching(/^[0-9a-f]{32}$/), highest: expect.stringMatching(/^\d+$/) });

    const grace = user('grace');
    const renamedDn = await sambaSeed.renameUser(dc, grace.dn, 'CN=Grace Renamed', seed.ous['sales']);
    await sambaSeed.disableUser(dc, user('ivan').dn);
    await sambaSeed.addMember(dc, seed.groups['sales']!.dn, user('trent').dn);
    await sambaSeed.setMail(dc, user('peggy').dn, 'Peggy.Changed@dirconn.example');
    await sambaSeed.deleteUser(dc, user('mallory').dn);

    const delta = await p.read({ force: false, since: first.cursor, users: true, groups: true });
    expect(delta.mode).toBe('delta');
    // Exactly the changed users (no 10-minute look-back re-reading everything seeded a minute ago).
    const changed = byGuid(delta.users);
    expect([...changed.keys()].sort()).toEqual([grace, user('ivan'), user('peggy'), user('mallory')].map((u) => u.objectGuid).sort());
    expect(changed.get(grace.objectGuid)).toMatchObject({ referenceId: renamedDn, deleted: false });
    expect(changed.get(user('ivan').objectGuid)).toMatchObject({ disabled: true, deleted: false });
    expect(changed.get(user('peggy').objectGuid)).toMatchObject({ email: 'peggy.changed@dirconn.example' });
    expect(changed.get(user('mallory').objectGuid)).toMatchObject({ deleted: true });
    // A group changed, so every group is read again (nested groups), members resolved by the full scope.
    const groups = groupByGuid(delta.groups);
    expect(groups.size).toBe(Object.keys(seed.groups).length);
    expect(groups.get(seed.groups['sales']!.objectGuid)?.userMemberExternalIds).toContain(user('trent').objectGuid);
    expect(groups.get(seed.groups['engineering']!.objectGuid)?.userMemberExternalIds).toContain(grace.objectGuid);
    expect(groups.get(seed.groups['big']!.objectGuid)?.userMemberExternalIds).toHaveLength(5000);

    // Nothing changed since: an empty delta that does not even read the groups.
    const quiet = await p.read({ force: false, since: delta.cursor, users: true, groups: true });
    expect(quiet).toMatchObject({ mode: 'delta', users: [], groups: [] });
  });

  it('USN deltas do not depend on clocks: a client clock 15 minutes ahead misses changes by whenChanged, not by uSNChanged', async () => {
    const ahead = () => new Date(Date.now() + 15 * 60_000);
    const byTime = provider(configFor(), { groups: false }, dc.adminPassword, { now: ahead, adUsnDeltas: false });
    const byUsn = provider(configFor(), { groups: false }, dc.adminPassword, { now: ahead });
    const timeCursor = (await byTime.read({ force: false, users: true, groups: false })).cursor;
    const usnCursor = (await byUsn.read({ force: false, users: true, groups: false })).cursor;
    await sambaSeed.setMail(dc, user('olivia').dn, 'Olivia.Later@dirconn.example');
    const missed = await byTime.read({ force: false, since: timeCursor, users: true, groups: false });
    expect(missed.users?.filter((u) => !u.deleted)).toEqual([]);
    const seen = await byUsn.read({ force: false, since: usnCursor, users: true, groups: false });
    expect(seen.users?.filter((u) => !u.deleted).map((u) => [u.externalId, u.email])).toEqual([[user('olivia').objectGuid, 'olivia.later@dirconn.example']]);
  });

  it('falls back to the whenChanged delta when another DC (or a restored database) answers', async () => {
    const p = provider(configFor(), { groups: false }, dc.adminPassword, { deltaOverlapMs: 0 });
    // whenChanged has whole seconds and the filter is >=: start in a second of its own.
    await sleep(1100);
    const first = await p.read({ force: false, users: true, groups: false });
    const cursor = first.cursor as LdapCursor;
    const otherDc: LdapCursor = { ...cursor, usn: { ...cursor.usn!, invocationId: '0'.repeat(32), highest: '999999999' } };
    await sleep(1100);
    await sambaSeed.setMail(dc, user('trent').dn, 'Trent.Moved@dirconn.example');
    const delta = await p.read({ force: false, since: otherDc, users: true, groups: false });
    expect(delta.mode).toBe('delta');
    expect(delta.users?.filter((u) => !u.deleted).map((u) => u.externalId)).toEqual([user('trent').objectGuid]);
  });

  it('repeats the deleted-users warning once on delta reads when the bind user saw none on the full read', async () => {
    const svc = seed.serviceAccount;
    const p = provider(configFor({ username: `${dc.domain}\\${svc.sAMAccountName}` }), { groups: false }, seed.userPassword);
    const full = await p.read({ force: false, users: true, groups: false });
    const codes = (w: { code: string }[]): string[] => w.map((x) => x.code).filter((c) => c.startsWith('ad.deleted-objects'));
    expect(codes(full.warnings)).toEqual(['ad.deleted-objects-none-visible']);
    expect(full.cursor).toMatchObject({ tombstonesVisible: false });
    const delta = await p.read({ force: false, since: full.cursor, users: true, groups: false });
    expect(delta.mode).toBe('delta');
    expect(codes(delta.warnings)).toEqual(['ad.deleted-objects-none-visible']);
    // The administrator sees tombstones (judy, mallory): no warning, and none on its deltas either.
    const admin = provider(configFor(), { groups: false });
    const adminFull = await admin.read({ force: false, users: true, groups: false });
    expect(codes(adminFull.warnings)).toEqual([]);
    expect(codes((await admin.read({ force: false, since: adminFull.cursor, users: true, groups: false })).warnings)).toEqual([]);
  });

  it('explains a locked-out bind account (AD data 775), distinct from a wrong password (52e)', async () => {
    const xena = user('xena');
    const bindAs = (password: string) => provider(configFor({ username: `${dc.domain}\\${xena.sAMAccountName}` }), { groups: false }, password).check().catch((e: unknown) => e);
    await samba.sambaTool(dc, ['domain', 'passwordsettings', 'set', '--account-lockout-threshold=3']);
    try {
      for (let i = 0; i < 3; i++) expect(await bindAs('Wrong-Password-1!')).toMatchObject({ code: 'auth.directory', message: expect.stringContaining('(AD data 52e)') });
      const locked = await bindAs(seed.userPassword);
      expect(locked).toMatchObject({ code: 'auth.directory', message: expect.stringContaining('the account is locked out (AD data 775)'), hint: expect.stringContaining('Unlock') });
    } finally {
      await samba.sambaTool(dc, ['domain', 'passwordsettings', 'set', '--account-lockout-threshold=0']);
      await samba.sambaTool(dc, ['user', 'unlock', xena.sAMAccountName]);
    }
    expect(await bindAs(seed.userPassword)).toBeUndefined();
  });

  it('explains an untrusted DC certificate (no CA configured)', async () => {
    const error = await provider(configFor({ sslCaPath: null })).read({ force: true, users: true, groups: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider.tls', message: expect.stringContaining('cannot be verified'), hint: expect.stringContaining('ldap.sslCaPath') });
  });

  it('names a base DN of another domain as such (Samba answers noSuchObject where Windows refers)', async () => {
    const error = await provider(configFor({ rootPath: 'DC=other,DC=example' })).read({ force: true, users: true, groups: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider.referral', message: expect.stringContaining('belongs to another domain or forest') });
    expect((error as Error).message).toContain(dc.baseDn);
    const problems = await provider(configFor({ rootPath: 'DC=other,DC=example' })).verifyLocations();
    expect(problems).toEqual([{ key: 'ldap.rootPath', message: expect.stringContaining('another domain or forest?') }]);
  });

  // Last: the Recycle Bin cannot be turned off again.
  it('with the Recycle Bin on, a deleted user keeps its mail and its stale group links are not reported', async () => {
    await sambaSeed.enableRecycleBin(dc);
    const zoe = user('zoe');
    await sambaSeed.deleteUser(dc, zoe.dn);
    const snapshot = await provider(configFor(), { groupPath: 'OU=Groups' }).read({ force: true, users: true, groups: true });
    expect(byGuid(snapshot.users).get(zoe.objectGuid)).toMatchObject({ deleted: true, email: zoe.expectedEmail });
    expect(groupByGuid(snapshot.groups).get(seed.groups['sales']!.objectGuid)?.userMemberExternalIds).not.toContain(zoe.objectGuid);
    expect(snapshot.warnings.map((w) => w.code)).not.toContain('ldap.unresolved-members');
  });
});
