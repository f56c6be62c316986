/**
 * The Entra provider against the fake Entra/Graph server over real HTTPS (test CA), with the real
 * `@azure/identity` sign-in, the platform's NodeHttpClient and the shared RetryingTransport: the
 * reference fixture shapes (§12.3), filters, delta rounds, expired tokens, throttling and every
 * fail-closed path.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, RetryingTransport, silentLogger } from '@dirconn/core';
import type { Clock, DirectorySnapshot, ReadOptions, SyncConfig } from '@dirconn/core';
import { makeFakeEntraTls, seedReferenceTenant, startFakeEntra, type FakeEntra, type FakeEntraTls } from '@dirconn/test-support';
import { NodeHttpClient } from '../http/node-http-client.js';
import { ENTRA_DEFAULTS, type EntraConfig } from './entra.config.js';
import { entraDefinition } from './entra.definition.js';
import type { EntraCursor } from './entra.provider.js';

let tls: FakeEntraTls;
let entra: FakeEntra;
let seed: ReturnType<typeof seedReferenceTenant>;

/** Real time, instant waits (recorded): Retry-After storms take no wall time. */
function instantClock(): Clock & { sleeps: number[] } {
  const sleeps: number[] = [];
  return { sleeps, now: () => new Date(), sleep: (ms) => { sleeps.push(ms); return Promise.resolve(); } };
}

function provider(options: { config?: Partial<EntraConfig>; sync?: Partial<SyncConfig>; secret?: string | null; budgetMs?: number } = {}) {
  const http = new NodeHttpClient({ errorCode: 'provider.unreachable', ca: tls.caCert, proxy: null });
  const clock = instantClock();
  const transport = new RetryingTransport({
    http,
    clock,
    logger: silentLogger,
    service: 'Microsoft Entra ID',
    errorCodes: { unreachable: 'provider.unreachable', throttled: 'provider.throttled', serverError: 'provider.error' },
    random: () => 0.5,
    policy: { maxTotalWaitMs: options.budgetMs ?? 900_000 },
  });
  const config: EntraConfig = { ...ENTRA_DEFAULTS, tenant: entra.tenant, applicationId: entra.clientId, identityAuthority: entra.url, graphUrl: entra.url, ...options.config };
  const sync: SyncConfig = { ...DEFAULT_SYNC_CONFIG, users: true, groups: true, ...options.sync };
  const secret = options.secret === undefined ? entra.clientSecret : options.secret;
  return { p: entraDefinition.create({ config, sync, secret, logger: silentLogger, http, clock, transport }), clock };
}

const read = (p: ReturnType<typeof provider>['p'], extra: Partial<ReadOptions> = {}): Promise<DirectorySnapshot> => p.read({ force: false, users: true, groups: true, ...extra });
const emails = (s: DirectorySnapshot): string[] => (s.users ?? []).map((u) => u.email ?? '').sort();

beforeAll(async () => {
  tls = await makeFakeEntraTls();
});

beforeEach(async () => {
  entra = await startFakeEntra({ tls });
  seed = seedReferenceTenant(entra.directory);
});

afterEach(async () => {
  await entra.close();
});

afterAll(() => undefined);

describe('Entra provider against the fake Graph (reference fixture shapes, §12.3)', () => {
  it('reads 6 users (3 disabled) and groups A (3 members) and B (empty) in one round each, returning both delta links', async () => {
    const snapshot = await read(provider().p);
    expect(snapshot.mode).toBe('full');
    expect(snapshot.users).toHaveLength(6);
    expect(snapshot.users?.filter((u) => u.disabled)).toHaveLength(3);
    expect(Object.fromEntries((snapshot.groups ?? []).map((g) => [g.name, g.userMemberExternalIds.length]))).toEqual({ 'Integration Testing Group A': 3, 'Integration Testing Group B': 0 });
    const cursor = snapshot.cursor as EntraCursor;
    expect(cursor.users).toMatch(new RegExp(`^${entra.url}/v1.0/users/delta\\?\\$deltatoken=`));
    expect(cursor.groups).toMatch(/\/v1.0\/groups\/delta\?\$deltatoken=/);
    // Requests: metadata + token, one users page and one groups page.
    expect(entra.requests({ path: /^\/v1.0\// }).map((r) => r.path)).toEqual(['/v1.0/users/delta', '/v1.0/groups/delta']);
    expect(entra.requests({ path: /\/v1.0\/users\/delta/ })[0]?.query['$select']).toBe('id,mail,userPrincipalName,displayName,accountEnabled,userType');
  });

  it('include: group A → exactly group A and its 3 users (group filter scopes users, §5.4)', async () => {
    const snapshot = await read(provider({ sync: { groupFilter: 'include:Integration Testing Group A' } }).p);
    expect(snapshot.groups?.map((g) => g.name)).toEqual(['Integration Testing Group A']);
    expect(emails(snapshot)).toEqual(['user1@example.com', 'user2@example.com', 'user4@example.com']);
  });

  it('rejects a bad secret as auth.directory with the service error and a hint', async () => {
    await expect(read(provider({ secret: 'wrong' }).p)).rejects.toMatchObject({ code: 'auth.directory', message: expect.stringContaining('invalid_client'), hint: expect.stringContaining('entra.key') });
  });

  it('signs in with the app certificate instead of a secret', async () => {
    const snapshot = await read(provider({ config: { certificatePath: tls.appPemPath }, secret: null }).p, { groups: false });
    expect(snapshot.users).toHaveLength(6);
    const token = entra.requests({ path: /oauth2\/v2.0\/token$/ });
    expect(token.length).toBeGreaterThan(0);
  });

  it('names an unknown tenant and an unknown application', async () => {
    await expect(read(provider({ config: { tenant: 'nowhere.example.com' } }).p)).rejects.toMatchObject({ code: 'auth.directory', hint: expect.stringContaining('entra.tenant') });
    await expect(read(provider({ config: { applicationId: '00000000-0000-4000-8000-000000000000' } }).p)).rejects.toMatchObject({ code: 'auth.directory', hint: expect.stringContaining('entra.applicationId') });
  });
});

describe('users: mapping, guests and filters', () => {
  it('keeps guests with a mail address, skips those with only an #EXT# UPN and names them', async () => {
    entra.directory.addUser({ displayName: 'Partner', userPrincipalName: 'partner_gmail.com#EXT#@dirconn-test.onmicrosoft.com', mail: 'Partner@Gmail.com', userType: 'Guest' });
    entra.directory.addUser({ displayName: 'Ghost Guest', userPrincipalName: 'ghost_x.com#EXT#@dirconn-test.onmicrosoft.com', mail: null, userType: 'Guest' });
    entra.directory.addUser({ displayName: 'Tenant Admin', userPrincipalName: 'Admin@Example.com', mail: 'admin@dirconn-test.onmicrosoft.com' });
    const snapshot = await read(provider().p, { groups: false });
    expect(emails(snapshot)).toContain('partner@gmail.com');
    expect(emails(snapshot)).toContain('admin@example.com'); // onmicrosoft.com mail → UPN
    expect(emails(snapshot).some((e) => e.includes('#'))).toBe(false);
    expect(snapshot.warnings).toEqual([expect.objectContaining({ code: 'entra.guest-without-mail', message: expect.stringContaining('Ghost Guest') })]);
  });

  it('includeGroup with nested groups (users only, devices ignored) |excludeGroup |exclude', async () => {
    const [u1, u2, u3, u4, u5, u6] = seed.users as [string, string, string, string, string, string];
    const device = entra.directory.addDevice();
    const nested = entra.directory.addGroup({ displayName: 'Nested', members: [u5, device] });
    const all = entra.directory.addGroup({ displayName: 'All staff', members: [u1, u2, u3, nested, device] });
    const contractors = entra.directory.addGroup({ displayName: 'Contractors', members: [u2] });
    const filter = `includeGroup:${all.toUpperCase()}|excludeGroup:${contractors}|exclude:USER3@example.com`;
    const snapshot = await read(provider({ sync: { userFilter: filter } }).p, { groups: false });
    expect(emails(snapshot)).toEqual(['user1@example.com', 'user5@example.com']);
    void u4;
    void u6;
    expect(entra.requests({ path: /transitiveMembers\/microsoft.graph.user$/ }).length).toBe(2);
  });

  it('excludeGroup as primary: every user minus the group', async () => {
    const snapshot = await read(provider({ sync: { userFilter: `excludeGroup:${seed.groupA}` } }).p, { groups: false });
    expect(emails(snapshot)).toEqual(['user3@example.com', 'user5@example.com', 'user6@example.com']);
  });

  it('an unknown group id in the filter is a config error naming the setting', async () => {
    await expect(read(provider({ sync: { userFilter: 'includeGroup:00000000-0000-4000-8000-000000000001' } }).p, { groups: false })).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('sync.userFilter') });
  });

  it('administrative unit group filters', async () => {
    const unit = entra.directory.addUnit({ displayName: 'EU', members: [seed.groupB] });
    const include = await read(provider({ sync: { groupFilter: `includeAdministrativeUnit:${unit}` } }).p);
    expect(include.groups?.map((g) => g.name)).toEqual(['Integration Testing Group B']);
    const exclude = await read(provider({ sync: { groupFilter: `excludeAdministrativeUnit:${unit}` } }).p);
    expect(exclude.groups?.map((g) => g.name)).toEqual(['Integration Testing Group A']);
  });
});

describe('delta rounds', () => {
  it('an unchanged tenant: two requests, nothing returned, new links', async () => {
    const p = provider().p;
    const first = await read(p);
    entra.clearRequests();
    const second = await read(p, { since: first.cursor });
    expect(second.mode).toBe('delta');
    expect(second.users).toEqual([]);
    expect(second.groups).toEqual([]);
    expect(entra.requests({ path: /^\/v1.0\// }).map((r) => r.path)).toEqual(['/v1.0/groups/delta', '/v1.0/users/delta']);
    expect(second.cursor).not.toEqual(first.cursor);
  });

  it('a disabled and a deleted user come back as disabled and deleted; changed membership re-reads groups', async () => {
    const p = provider().p;
    const first = await read(p);
    const [u1, u2] = seed.users as [string, string];
    entra.directory.updateUser(u1, { accountEnabled: false });
    entra.directory.deleteUser(u2);
    const second = await read(p, { since: first.cursor });
    expect(second.mode).toBe('delta');
    expect(second.users).toEqual([
      expect.objectContaining({ externalId: u1, disabled: true, deleted: false }),
      expect.objectContaining({ externalId: u2, deleted: true }),
    ]);
    expect(second.groups?.find((g) => g.name === 'Integration Testing Group A')?.userMemberExternalIds).toHaveLength(2);
  });

  it('partial delta objects are read whole by id', async () => {
    const p = provider().p;
    const first = await read(p, { groups: false });
    entra.options.partialDeltaUpdates = true;
    entra.directory.updateUser(seed.users[0] as string, { accountEnabled: false });
    const second = await read(p, { since: first.cursor, groups: false });
    expect(second.users).toEqual([expect.objectContaining({ email: 'user1@example.com', disabled: true })]);
    expect(entra.requests({ path: /^\/v1.0\/users\/[0-9a-f-]+$/ })).toHaveLength(1);
  });

  it.each(['gone', 'syncStateNotFound'] as const)('an expired delta token (%s) means a full read with a warning, not an error', async (answer) => {
    const p = provider().p;
    const first = await read(p);
    entra.expireDeltaTokens(answer);
    const second = await read(p, { since: first.cursor });
    expect(second.mode).toBe('full');
    expect(second.users).toHaveLength(6);
    expect(second.warnings).toEqual([expect.objectContaining({ code: 'entra.delta-expired' })]);
    const third = await read(p, { since: second.cursor });
    expect(third.mode).toBe('delta');
  });

  it('a cursor for other settings is ignored (full read)', async () => {
    const first = await read(provider().p);
    const second = await read(provider({ sync: { userFilter: 'exclude:user1@example.com' } }).p, { since: first.cursor });
    expect(second.mode).toBe('full');
    expect(second.warnings).toEqual([expect.objectContaining({ code: 'entra.cursor-stale' })]);
  });
});

describe('fail closed and throttling', () => {
  it('a failed middle page aborts the read (never a partial list)', async () => {
    for (let i = 0; i < 1100; i++) entra.directory.addUser({ displayName: `Bulk ${i}`, userPrincipalName: `bulk${i}@example.com` });
    entra.failPage(/\/users\/delta$/, 2, 500);
    const { p } = provider();
    await expect(read(p, { groups: false })).rejects.toMatchObject({ code: 'provider.error', message: expect.stringContaining('page 2') });
  });

  it('pages of up to 999 users: 1,250 users in 2 requests', async () => {
    for (let i = 0; i < 1244; i++) entra.directory.addUser({ displayName: `Bulk ${i}`, userPrincipalName: `bulk${i}@example.com` });
    const snapshot = await read(provider().p, { groups: false });
    expect(snapshot.users).toHaveLength(1250);
    expect(entra.requests({ path: /\/users\/delta$/ })).toHaveLength(2);
  });

  it('rides out a 429 storm honouring Retry-After', async () => {
    entra.throttle(/\/users\/delta$/, 3, 2);
    const { p, clock } = provider();
    const snapshot = await read(p, { groups: false });
    expect(snapshot.users).toHaveLength(6);
    expect(clock.sleeps).toEqual([2000, 2000, 2000]);
    expect(snapshot.stats['retries']).toBe(3);
  });

  it('gives up with provider.throttled when the storm outlasts the wait budget', async () => {
    entra.throttle(/\/users\/delta$/, 100, 30);
    await expect(read(provider({ budgetMs: 60_000 }).p, { groups: false })).rejects.toMatchObject({ code: 'provider.throttled' });
  });

  it('403 Authorization_RequestDenied names the missing permission', async () => {
    entra.denyPermission(/\/groups\/delta$/);
    await expect(read(provider().p)).rejects.toMatchObject({ code: 'provider.rights', message: expect.stringContaining('GroupMember.Read.All'), hint: expect.stringContaining('Grant admin consent') });
  });

  it('refreshes an access token rejected with 401 once', async () => {
    const p = provider().p;
    await read(p, { groups: false });
    entra.expireAccessTokens();
    const again = await read(p, { groups: false, force: true });
    expect(again.users).toHaveLength(6);
  });
});

describe('check, verifyLocations and explain', () => {
  it('check signs in and reads one user and group', async () => {
    await expect(provider().p.check?.()).resolves.toBeUndefined();
    entra.denyPermission(/^\/v1.0\/users$/);
    await expect(provider().p.check?.()).rejects.toMatchObject({ code: 'provider.rights', message: expect.stringContaining('User.Read.All') });
  });

  it('verifyLocations names unknown group ids of the filter', async () => {
    const p = provider({ sync: { userFilter: `includeGroup:${seed.groupA}|excludeGroup:00000000-0000-4000-8000-000000000009` } }).p;
    expect(await p.verifyLocations?.()).toEqual([{ key: 'sync.userFilter', message: 'no group with id 00000000-0000-4000-8000-000000000009 in the tenant' }]);
  });

  it('explain: disabled, filtered out by which clause, not in a kept group', async () => {
    const p = provider({ sync: { userFilter: `includeGroup:${seed.groupA}`, groupFilter: 'include:Integration Testing Group B' } }).p;
    const user3 = await p.explain?.('USER3@example.com');
    expect(user3?.found).toBe(true);
    expect(user3?.user).toBeUndefined();
    expect(user3?.checks.find((c) => c.check === 'sync.userFilter')).toMatchObject({ passed: false, detail: expect.stringContaining('not a member (direct or nested) of includeGroup:') });
    const user4 = await p.explain?.(seed.users[3] as string);
    expect(user4?.checks.find((c) => c.check === 'account enabled')).toMatchObject({ passed: false });
    expect(user4?.checks.find((c) => c.check.startsWith('member of a synced group'))).toMatchObject({ passed: false });
    expect((await p.explain?.('nobody@example.com'))?.found).toBe(false);
    const ok = await provider().p.explain?.('user1@example.com');
    expect(ok?.user).toMatchObject({ email: 'user1@example.com', disabled: false });
  });
});
