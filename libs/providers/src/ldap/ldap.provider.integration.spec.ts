/**
 * LdapProvider against a real OpenLDAP slapd (test-support harness): the reference §12.1 scenario
 * table over plain LDAP, StartTLS and LDAPS with the test CA, the §12.2 circular groups, TLS and
 * credential failures, fail-closed reads (size limit, server killed mid-read), delta reads,
 * verifyLocations, explain and mutual TLS. Needs test-support/scripts/install-slapd.sh.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, buildImportRequests, flattenGroups, silentLogger } from '@dirconn/core';
import type { DirectoryGroup, DirectorySnapshot, SyncConfig } from '@dirconn/core';
import { directoryA, directoryB, fixturePath, slapd as slapdTools, startSlapd, writeDirectoryLdif } from '@dirconn/test-support';
import type { Slapd } from '@dirconn/test-support';
import type { LdapConfig } from './ldap.config.js';
import { LDAP_DEFAULTS } from './ldap.config.js';
import { ldapDefinition } from './ldap.definition.js';
import type { LdapProviderOptions } from './ldap.provider.js';
import { LdapProvider } from './ldap.provider.js';

type Transport = 'plain' | 'starttls' | 'ldaps';
const TRANSPORTS: Transport[] = ['plain', 'starttls', 'ldaps'];

function configFor(s: Slapd, transport: Transport, extra: Partial<LdapConfig> = {}): LdapConfig {
  const base: LdapConfig = { ...LDAP_DEFAULTS, hostname: '127.0.0.1', port: s.port, rootPath: s.baseDn, username: s.adminDn, ad: false, pagedSearch: false, connectTimeout: 5 };
  if (transport === 'starttls') return { ...base, startTls: true, tlsCaPath: s.caCertPath, ...extra };
  if (transport === 'ldaps') return { ...base, port: s.ldapsPort, ssl: true, sslCaPath: s.caCertPath, ...extra };
  return { ...base, ...extra };
}

const { ad: _ad, pagedSearch: _paged, ...settingsA } = directoryA.settings;
const syncA: SyncConfig = { ...DEFAULT_SYNC_CONFIG, users: true, groups: true, ...settingsA };

function provider(s: Slapd, config: LdapConfig, sync: Partial<SyncConfig> = {}, options: LdapProviderOptions = {}, secret = s.adminPassword): LdapProvider {
  return new LdapProvider({ config, sync: { ...syncA, ...sync }, secret, logger: silentLogger }, options);
}

async function readAll(p: LdapProvider, flags: { users: boolean; groups: boolean }): Promise<DirectorySnapshot> {
  return p.read({ force: true, ...flags });
}

const groupsByName = (groups: DirectoryGroup[] | null): Record<string, DirectoryGroup> => Object.fromEntries((groups ?? []).map((g) => [g.name, g]));

let a: Slapd;

beforeAll(async () => {
  a = await startSlapd({ ldifs: [fixturePath(directoryA.ldif)] });
});

afterAll(async () => {
  await a?.stop();
});

describe.each(TRANSPORTS)('directory A over %s (reference §12.1 scenarios)', (transport) => {
  it('defaults: 20 users in directory order and 5 groups with resolved members', async () => {
    const snapshot = await readAll(provider(a, configFor(a, transport)), { users: true, groups: true });
    expect(snapshot.mode).toBe('full');
    expect(snapshot.users).toEqual(
      directoryA.users.map((u) => ({
        externalId: u.dn,
        referenceId: u.dn,
        email: u.email,
        disabled: false,
        deleted: false,
        displayName: u.cn,
        uid: u.uid.toLowerCase(),
      })),
    );
    expect(snapshot.groups).toEqual(
      directoryA.groups.map((g) => ({
        externalId: g.dn,
        referenceId: g.dn,
        name: g.name,
        userMemberExternalIds: g.memberDns,
        groupMemberReferenceIds: [],
      })),
    );
    expect(snapshot.warnings).toEqual([]);
    // One user search serves both the users and the member maps; one group search.
    expect(snapshot.stats['searches']).toBe(2);
  });

  it('userPath = ou=Human Resources: exactly the 3 HR users', async () => {
    const snapshot = await readAll(provider(a, configFor(a, transport), { userPath: 'ou=Human Resources', groups: false }), { users: true, groups: false });
    expect(snapshot.users?.map((u) => u.referenceId).sort()).toEqual(directoryA.users.filter((u) => u.ou === 'Human Resources').map((u) => u.dn).sort());
    expect(snapshot.groups).toBeNull();
  });

  it('userFilter = (cn=Roland Dyke), groups off: only Roland Dyke', async () => {
    const snapshot = await readAll(provider(a, configFor(a, transport), { userFilter: '(cn=Roland Dyke)', groups: false }), { users: true, groups: false });
    expect(snapshot.users?.map((u) => u.email)).toEqual([directoryA.users[0]?.email]);
  });

  it('groupPath = ou=Janitorial, users off: only Cleaners', async () => {
    const snapshot = await readAll(provider(a, configFor(a, transport), { groupPath: 'ou=Janitorial', users: false }), { users: false, groups: true });
    expect(snapshot.users).toBeNull();
    expect(snapshot.groups?.map((g) => g.name)).toEqual(['Cleaners']);
    expect(snapshot.groups?.[0]?.userMemberExternalIds).toEqual([]);
  });

  it('groupFilter = (cn=Red Team), users off: Red Team with its 2 members resolved', async () => {
    const snapshot = await readAll(provider(a, configFor(a, transport), { groupFilter: '(cn=Red Team)', users: false }), { users: false, groups: true });
    const red = directoryA.groups.find((g) => g.name === 'Red Team');
    expect(snapshot.groups).toEqual([{ externalId: red?.dn, referenceId: red?.dn, name: 'Red Team', userMemberExternalIds: red?.memberDns, groupMemberReferenceIds: [] }]);
    // Groups only: one minimal user-scope search for the maps, one group search.
    expect(snapshot.stats['searches']).toBe(2);
  });

  it('import requests: single, batched (largeImport, batch 4 → 7 POSTs), invite flag forwarded', async () => {
    const snapshot = await readAll(provider(a, configFor(a, transport)), { users: true, groups: true });
    const users = (snapshot.users ?? []).map((u) => ({ email: u.email ?? '', externalId: u.externalId, deleted: u.deleted }));
    const groups = flattenGroups(snapshot.groups ?? []).map((g) => ({ name: g.name, externalId: g.externalId, userExternalIds: g.userExternalIds }));
    const single = buildImportRequests(users, groups, { overwriteExisting: false, largeImport: false, inviteUsersAfterProvisioning: false });
    expect(single).toHaveLength(1);
    expect(single[0]).toMatchObject({ overwriteExisting: false, largeImport: false, inviteUsersAfterProvisioning: false });
    expect(single[0]?.members).toHaveLength(20);
    expect(single[0]?.groups.map((g) => g.memberExternalIds.length)).toEqual([3, 2, 0, 3, 2]);
    const batched = buildImportRequests(users, groups, { overwriteExisting: false, largeImport: true, inviteUsersAfterProvisioning: true, batchSize: 4 });
    expect(batched).toHaveLength(7);
    expect(batched.slice(0, 5).every((r) => r.groups.length === 0 && r.members.length === 4)).toBe(true);
    expect(batched.slice(5).map((r) => r.groups.length)).toEqual([4, 1]);
    expect(batched.every((r) => r.inviteUsersAfterProvisioning && r.largeImport && !r.overwriteExisting)).toBe(true);
  });

  it('paged search returns the same result', async () => {
    const snapshot = await readAll(provider(a, configFor(a, transport, { pagedSearch: true, pageSize: 3 })), { users: true, groups: true });
    expect(snapshot.users).toHaveLength(20);
    expect(snapshot.groups).toHaveLength(5);
    expect(snapshot.stats['pages']).toBeGreaterThanOrEqual(9);
  });
});

describe('TLS', () => {
  it.each(['starttls', 'ldaps'] as const)('%s without the test CA fails with provider.tls', async (transport) => {
    const config = configFor(a, transport, { tlsCaPath: null, sslCaPath: null });
    const error = await readAll(provider(a, config), { users: true, groups: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider.tls', hint: expect.stringMatching(/sslCaPath|tlsCaPath/) });
  });

  it.each(['starttls', 'ldaps'] as const)('%s skips verification only when sslAllowUnauthorized is set explicitly', async (transport) => {
    const config = configFor(a, transport, { tlsCaPath: null, sslCaPath: null, sslAllowUnauthorized: true });
    const snapshot = await readAll(provider(a, config), { users: true, groups: false });
    expect(snapshot.users).toHaveLength(20);
  });

  it('verifies the host name against the certificate (localhost is in the SAN)', async () => {
    const snapshot = await readAll(provider(a, configFor(a, 'ldaps', { hostname: 'localhost' })), { users: true, groups: false });
    expect(snapshot.users).toHaveLength(20);
  });

  it('LDAPS against the plain port is a clear TLS error', async () => {
    const error = await readAll(provider(a, configFor(a, 'ldaps', { port: a.port })), { users: true, groups: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'provider.tls' });
  });

  describe('client certificate (mutual TLS)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'dirconn-mtls-'));
      // A client certificate the server's CA did not issue: slapd (TLSVerifyClient try) must refuse it.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'rogue.key'), '-out', join(dir, 'rogue.crt'), '-days', '2', '-subj', '/CN=rogue client'], { stdio: 'ignore' });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(['starttls', 'ldaps'] as const)('%s works with sslCertPath/sslKeyPath', async (transport) => {
      const config = configFor(a, transport, { sslCertPath: a.clientCertPath, sslKeyPath: a.clientKeyPath });
      expect(ldapDefinition.validate(config, syncA, true)).toEqual([]);
      const snapshot = await readAll(provider(a, config), { users: true, groups: true });
      expect(snapshot.users).toHaveLength(20);
    });

    it('sends the configured certificate (an untrusted one is refused by the server)', async () => {
      const config = configFor(a, 'ldaps', { sslCertPath: join(dir, 'rogue.crt'), sslKeyPath: join(dir, 'rogue.key') });
      await expect(readAll(provider(a, config), { users: true, groups: false })).rejects.toMatchObject({ code: expect.stringMatching(/^provider\.(tls|unreachable)$/) });
    });
  });
});

describe('failures', () => {
  it('wrong password → auth.directory, without the password in the message', async () => {
    const error = await readAll(provider(a, configFor(a, 'plain'), {}, {}, 'Wr0ng-Passw0rd!'), { users: true, groups: false }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth.directory' });
    expect(JSON.stringify([(error as Error).message, (error as { hint?: string }).hint])).not.toContain('Wr0ng-Passw0rd!');
    expect((error as Error).message).toContain(a.adminDn);
  });

  it('a bogus userPath fails the read with config.invalid naming the key', async () => {
    await expect(readAll(provider(a, configFor(a, 'plain'), { userPath: 'ou=Nowhere' }), { users: true, groups: false })).rejects.toMatchObject({
      code: 'config.invalid',
      message: expect.stringContaining('sync.userPath points to ou=Nowhere,dc=bitwarden,dc=com'),
    });
  });

  it('an invalid user filter is rejected before searching', () => {
    expect(ldapDefinition.validate(configFor(a, 'plain'), { ...syncA, userFilter: '(cn=Roland Dyke' }, true)).toEqual([{ key: 'sync.userFilter', message: expect.stringContaining('unbalanced') }]);
  });

  it('server down → provider.unreachable naming host:port', async () => {
    const down = await startSlapd({ ldifs: [fixturePath(directoryA.ldif)] });
    const config = configFor(down, 'plain');
    down.kill();
    await new Promise((r) => setTimeout(r, 200));
    try {
      await expect(readAll(provider(down, config), { users: true, groups: false })).rejects.toMatchObject({
        code: 'provider.unreachable',
        message: expect.stringContaining(`127.0.0.1:${down.port}`),
      });
    } finally {
      await down.stop();
    }
  });

  describe('server size limit 5', () => {
    let limited: Slapd;
    beforeAll(async () => {
      limited = await startSlapd({ ldifs: [fixturePath(directoryA.ldif)], sizeLimit: 5 });
    });
    afterAll(async () => {
      await limited?.stop();
    });

    it('a plain search FAILS with provider.incomplete-read (never 5 of 20 users)', async () => {
      const error = await readAll(provider(limited, configFor(limited, 'plain')), { users: true, groups: true }).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'provider.incomplete-read', hint: expect.stringMatching(/pagedSearch/) });
    });

    it('a paged search with pages within the limit reads everything', async () => {
      const snapshot = await readAll(provider(limited, configFor(limited, 'plain', { pagedSearch: true, pageSize: 5 })), { users: true, groups: true });
      expect(snapshot.users).toHaveLength(20);
      expect(snapshot.groups).toHaveLength(5);
    });
  });

  describe('slapd killed in the middle of a paged read', () => {
    let big: Slapd;
    let dir: string;
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'dirconn-big-'));
      const ldif = join(dir, 'big.ldif');
      await writeDirectoryLdif(ldif, { users: 3000, groups: 0, baseDn: 'dc=bitwarden,dc=com' });
      big = await startSlapd({ ldifs: [ldif] });
    });
    afterAll(async () => {
      await big?.stop();
      rmSync(dir, { recursive: true, force: true });
    });

    it('reads 3000 users in pages when the server stays up', async () => {
      const progress: number[] = [];
      const p = provider(big, configFor(big, 'plain', { pagedSearch: true, pageSize: 500 }), { groups: false, groupObjectClass: 'groupOfNames', memberAttribute: 'member' });
      const snapshot = await p.read({ force: true, users: true, groups: false, onProgress: (e) => progress.push(e.count) });
      expect(snapshot.users).toHaveLength(3000);
      expect(snapshot.stats['pages']).toBe(6);
      expect(progress).toEqual([1000, 2000, 3000]);
    });

    it('throws instead of returning the pages read so far', async () => {
      let killed = false;
      const p = provider(big, configFor(big, 'plain', { pagedSearch: true, pageSize: 500 }), { groups: false });
      const error = await p
        .read({
          force: true,
          users: true,
          groups: false,
          onProgress: () => {
            if (!killed) {
              killed = true;
              big.kill();
            }
          },
        })
        .catch((e: unknown) => e);
      expect(killed).toBe(true);
      expect(error).toMatchObject({ code: 'provider.unreachable' });
    });
  });

  it('a cancelled read stops with cancelled, even while connecting', async () => {
    const controller = new AbortController();
    const p = provider(a, configFor(a, 'plain', { pagedSearch: true, pageSize: 2 }));
    const read = p.read({ force: true, users: true, groups: true, signal: controller.signal, onProgress: () => controller.abort() });
    controller.abort();
    await expect(read).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('delta reads (modifyTimestamp)', () => {
  let d: Slapd;
  beforeAll(async () => {
    d = await startSlapd({ ldifs: [fixturePath(directoryA.ldif)] });
  });
  afterAll(async () => {
    await d?.stop();
  });
  const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('picks up a modified user, then re-reads groups fully when a group changed', async () => {
    const p = provider(d, configFor(d, 'plain'), { revisionDateAttribute: 'modifyTimestamp' }, { deltaOverlapMs: 0 });
    await wait(1100);
    const first = await p.read({ force: false, users: true, groups: true });
    expect(first.mode).toBe('full');
    expect(first.cursor).toMatchObject({ v: 1, deltaCapable: true });

    // Nothing changed: an empty delta (no users, groups [] = skip).
    const nothing = await p.read({ force: false, since: first.cursor, users: true, groups: true });
    expect(nothing).toMatchObject({ mode: 'delta', users: [], groups: [] });

    await wait(1100);
    const roland = directoryA.users[0]!;
    await slapdTools.ldapModify(d, `dn: ${roland.dn}\nchangetype: modify\nreplace: mail\nmail: Roland.Dyke@new.example\n`);
    // The cursor of this read must lie in a later second than the change (whole-second timestamps,
    // cursor cut to tenths): otherwise the next delta may see Roland again.
    await wait(1100);
    const delta = await p.read({ force: false, since: first.cursor, users: true, groups: true });
    expect(delta.mode).toBe('delta');
    expect(delta.users?.map((u) => [u.referenceId, u.email])).toEqual([[roland.dn, 'roland.dyke@new.example']]);
    expect(delta.groups).toEqual([]);
    expect(delta.stats['searches']).toBe(2);

    // Timestamps have whole seconds and this test turns the clock overlap off: change in a later second.
    await wait(1100);
    await slapdTools.ldapModify(d, `dn: cn=Red Team,dc=bitwarden,dc=com\nchangetype: modify\nadd: memberUid\nmemberUid: dyker\n`);
    const groupsChanged = await p.read({ force: false, since: delta.cursor, users: true, groups: true });
    // Groups changed → all groups are read (nested groups make a partial group read wrong) and
    // resolved against the full user scope, but users stay a delta: no user changed since.
    expect(groupsChanged.mode).toBe('delta');
    expect(groupsChanged.users).toEqual([]);
    expect(groupsByName(groupsChanged.groups)['Red Team']?.userMemberExternalIds).toContain(roland.dn);
    expect(groupsChanged.groups).toHaveLength(5);
  });

  it('forced reads and changed settings read everything', async () => {
    const p = provider(d, configFor(d, 'plain'), { revisionDateAttribute: 'modifyTimestamp' }, { deltaOverlapMs: 0 });
    const first = await p.read({ force: true, users: true, groups: false });
    expect((await p.read({ force: true, since: first.cursor, users: true, groups: false })).mode).toBe('full');
    const other = provider(d, configFor(d, 'plain'), { revisionDateAttribute: 'modifyTimestamp', userPath: 'ou=Peons' }, { deltaOverlapMs: 0 });
    const changed = await other.read({ force: false, since: first.cursor, users: true, groups: false });
    expect(changed.mode).toBe('full');
    expect(changed.users).toHaveLength(3);
    expect(changed.warnings.map((w) => w.code)).toEqual(['ldap.cursor-stale']);
  });

  it('detects a revision attribute the server does not have (whenChanged on OpenLDAP)', async () => {
    const p = provider(d, configFor(d, 'plain'), { revisionDateAttribute: 'whenChanged' });
    const first = await p.read({ force: false, users: true, groups: true });
    expect(first.cursor).toMatchObject({ deltaCapable: false });
    expect(first.warnings.map((w) => w.code)).toContain('ldap.revision-attribute-missing');
    const next = await p.read({ force: false, since: first.cursor, users: true, groups: true });
    expect(next.mode).toBe('full');
    expect(next.users).toHaveLength(20);
    expect(next.warnings.map((w) => w.code)).toContain('ldap.delta-unavailable');
  });
});

describe('verifyLocations and explain', () => {
  it('verifyLocations reports a bogus userPath and accepts good ones', async () => {
    expect(await provider(a, configFor(a, 'plain'), { userPath: 'ou=Human Resources', groupPath: 'ou=Janitorial' }).verifyLocations()).toEqual([]);
    expect(await provider(a, configFor(a, 'plain'), { userPath: 'ou=Bogus' }).verifyLocations()).toEqual([{ key: 'sync.userPath', message: 'ou=Bogus,dc=bitwarden,dc=com does not exist' }]);
    expect(await provider(a, configFor(a, 'plain', { rootPath: 'dc=nowhere,dc=com' })).verifyLocations()).toEqual([{ key: 'ldap.rootPath', message: 'dc=nowhere,dc=com is not on this server (it holds dc=bitwarden,dc=com): another domain or forest?' }]);
  });

  it.each(['DykeR@50fd7c8c76b079a6e87db5b0f18d6fe3.bitwarden.com', 'dyker', 'cn=Roland Dyke, ou=Human Resources, dc=bitwarden, dc=com'])('explain finds Roland Dyke by %s', async (query) => {
    const result = await provider(a, configFor(a, 'plain')).explain(query);
    expect(result.found).toBe(true);
    expect(result.referenceId).toBe(directoryA.users[0]?.dn);
    expect(result.checks.every((c) => c.passed)).toBe(true);
    expect(result.user?.email).toBe(directoryA.users[0]?.email);
    expect(result.checks.find((c) => c.check === 'direct group memberships')?.detail).toBe('Blue Team');
  });

  it('explain says why a user outside the userPath is out of scope', async () => {
    const result = await provider(a, configFor(a, 'plain'), { userPath: 'ou=Peons' }).explain('dyker');
    expect(result.found).toBe(true);
    expect(result.user).toBeUndefined();
    const scope = result.checks.find((c) => c.check.includes('sync.userPath'));
    expect(scope).toMatchObject({ passed: false, detail: expect.stringContaining('is not under ou=Peons,dc=bitwarden,dc=com') });
  });

  it('explain reports a filter mismatch and an unknown query', async () => {
    const filtered = await provider(a, configFor(a, 'plain'), { userFilter: '(cn=Loella Mak)' }).explain('dyker');
    expect(filtered.checks.find((c) => c.check === 'matches sync.userFilter')?.passed).toBe(false);
    const missing = await provider(a, configFor(a, 'plain')).explain('nobody@example.com');
    expect(missing).toMatchObject({ found: false });
  });

  it('check() binds', async () => {
    await expect(provider(a, configFor(a, 'ldaps')).check()).resolves.toBeUndefined();
  });
});

describe('continuation references (ldap.followReferrals)', () => {
  let main: Slapd;
  let remote: Slapd;
  const password = 'Referral-Test-Pw-1';
  const remoteUser = 'cn=Remote Person,ou=Remote,dc=bitwarden,dc=com';
  beforeAll(async () => {
    remote = await startSlapd({
      adminPassword: password,
      ldifs: [`dn: ou=Remote,dc=bitwarden,dc=com\nobjectClass: organizationalUnit\nou: Remote\n\ndn: ${remoteUser}\nobjectClass: inetOrgPerson\ncn: Remote Person\nsn: Person\nuid: RemoteP\nmail: Remote.Person@remote.example\n`],
    });
    main = await startSlapd({ adminPassword: password, ldifs: [fixturePath(directoryA.ldif)] });
    await slapdTools.ldapModify(main, `dn: ou=Remote,dc=bitwarden,dc=com\nchangetype: add\nobjectClass: referral\nobjectClass: extensibleObject\nou: Remote\nref: ldap://127.0.0.1:${remote.port}/ou=Remote,dc=bitwarden,dc=com\n`);
  });
  afterAll(async () => {
    await main?.stop();
    await remote?.stop();
  });

  it('reports references it does not follow (default)', async () => {
    const snapshot = await readAll(provider(main, configFor(main, 'plain'), { groups: false }), { users: true, groups: false });
    expect(snapshot.users).toHaveLength(20);
    expect(snapshot.warnings).toEqual([{ code: 'ldap.references-not-followed', message: expect.stringContaining(`ldap://127.0.0.1:${remote.port}/ou=Remote`) }]);
    // Issue #9 item 6: the read says it skipped part of the scope, so core removes nobody as vanished.
    expect(snapshot.mode).toBe('full');
    expect(snapshot.skipped).toEqual([expect.stringContaining(`ldap://127.0.0.1:${remote.port}/ou=Remote`)]);
  });

  it('follows them with the same credentials when enabled', async () => {
    const snapshot = await readAll(provider(main, configFor(main, 'plain', { followReferrals: true }), { groups: false }), { users: true, groups: false });
    expect(snapshot.users).toHaveLength(21);
    expect(snapshot.users?.find((u) => u.referenceId === remoteUser)?.email).toBe('remote.person@remote.example');
    expect(snapshot.warnings).toEqual([]);
    expect(snapshot.skipped).toBeUndefined();
    expect(snapshot.stats['connections']).toBe(2);
  });
});

describe('directory B: circular groups (reference §12.2)', () => {
  let b: Slapd;
  beforeAll(async () => {
    b = await startSlapd({ ldifs: [fixturePath(directoryB.ldif)] });
  });
  afterAll(async () => {
    await b?.stop();
  });

  it('reads raw memberships with forward references and cycles, and core flattens them to the expected closure', async () => {
    const { ad: _a, pagedSearch: _p, ...settingsB } = directoryB.settings;
    const p = provider(b, configFor(b, 'plain', { pagedSearch: true }), settingsB);
    const snapshot = await readAll(p, { users: true, groups: true });
    expect(snapshot.users).toHaveLength(8);
    const byName = groupsByName(snapshot.groups);
    for (const g of directoryB.groups) {
      expect(byName[g.name]?.userMemberExternalIds).toEqual(g.userMemberDns);
      expect(byName[g.name]?.groupMemberReferenceIds).toEqual(g.childGroupDns);
    }
    const emailById = new Map((snapshot.users ?? []).map((u) => [u.externalId, u.email]));
    const flattened = flattenGroups(snapshot.groups ?? []);
    for (const g of flattened) {
      expect(g.userExternalIds.map((id) => emailById.get(id)).sort()).toEqual([...(directoryB.expectedClosure[g.name] ?? [])].sort());
    }
  });
});
