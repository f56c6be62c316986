import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, RetryingTransport, silentLogger, type DirectorySnapshot, type HttpClient, type SyncConfig } from '@dirconn/core';
import { FakeClock } from '@dirconn/core/testing';
import { fakeOkta, oktaGeneratedSeed, oktaReferenceSeed, oktaStatusSeed, type FakeOkta, type FakeOktaOptions } from '@dirconn/test-support';
import { OKTA_DEFAULTS, type OktaConfig } from './okta.config.js';
import { oktaDefinition } from './okta.definition.js';
import type { OktaProvider } from './okta.provider.js';

const dir = mkdtempSync(join(tmpdir(), 'dirconn-okta-'));

interface Setup {
  config?: Partial<OktaConfig>;
  sync?: Partial<SyncConfig>;
  secret?: string | null;
  http?: HttpClient;
}

function world(options: FakeOktaOptions = {}): { okta: FakeOkta; clock: FakeClock } {
  const clock = new FakeClock('2026-03-01T08:00:00.000Z');
  const okta = fakeOkta({ seed: oktaReferenceSeed(), now: () => clock.now().getTime(), ...options });
  return { okta, clock };
}

function provider(okta: FakeOkta, clock: FakeClock, setup: Setup = {}): OktaProvider {
  const http = setup.http ?? okta.httpClient();
  const transport = new RetryingTransport({ http, clock, logger: silentLogger, service: 'Okta', errorCodes: { unreachable: 'provider.unreachable', throttled: 'provider.throttled', serverError: 'provider.error' }, random: () => 0.5 });
  const config: OktaConfig = { ...OKTA_DEFAULTS, orgUrl: `${okta.url}/`, ...setup.config };
  const sync: SyncConfig = { ...DEFAULT_SYNC_CONFIG, users: true, groups: true, ...setup.sync };
  const secret = setup.secret === undefined ? okta.token : setup.secret;
  return oktaDefinition.create({ config, sync, secret, logger: silentLogger, http, clock, transport }) as OktaProvider;
}

const read = (p: OktaProvider, extra: { force?: boolean; since?: unknown; users?: boolean; groups?: boolean } = {}): Promise<DirectorySnapshot> => p.read({ force: true, users: true, groups: true, ...extra });
const emails = (s: DirectorySnapshot): string[] => (s.users ?? []).map((u) => u.email ?? '').sort();
const members = (s: DirectorySnapshot, name: string, okta: FakeOkta): string[] =>
  (s.groups?.find((g) => g.name === name)?.userMemberExternalIds ?? []).map((id) => okta.state.user(id)?.profile.email ?? id).sort();

describe('OktaProvider: the reference fixture (§12.3)', () => {
  it('reads 5 users and the groups Everyone (5), Group A (2), Group B (3), Okta Administrators (0); a trailing slash in orgUrl works', async () => {
    const { okta, clock } = world();
    const s = await read(provider(okta, clock));
    expect(s.mode).toBe('full');
    expect(emails(s)).toEqual(['user1@example.com', 'user2@example.com', 'user3@example.com', 'user4@example.com', 'user5@example.com']);
    expect(s.groups?.map((g) => [g.name, g.userMemberExternalIds.length])).toEqual([['Everyone', 5], ['Group A', 2], ['Group B', 3], ['Okta Administrators', 0]]);
    expect(okta.requests.every((r) => !r.path.includes('//'))).toBe(true);
    expect(s.users?.every((u) => u.externalId.startsWith('00u') && u.referenceId === u.externalId)).toBe(true);
  });

  it('include: Group A, Group B → those 2 groups and the 4 users in them (§5.4)', async () => {
    const { okta, clock } = world();
    const s = await read(provider(okta, clock, { sync: { groupFilter: 'include:Group A,Group B' } }));
    expect(s.groups?.map((g) => g.name)).toEqual(['Group A', 'Group B']);
    expect(emails(s)).toEqual(['user1@example.com', 'user2@example.com', 'user3@example.com', 'user4@example.com']);
    expect(members(s, 'Group B', okta)).toEqual(['user2@example.com', 'user3@example.com', 'user4@example.com']);
  });

  it('rejects a bad token with a hint naming the token and the role, and posts nothing', async () => {
    const { okta, clock } = world();
    await expect(read(provider(okta, clock, { secret: 'wrong' }))).rejects.toMatchObject({ code: 'auth.directory', message: expect.stringContaining('E0000011'), hint: expect.stringContaining('read-only administrator') });
  });
});

describe('OktaProvider: statuses and group types (§6.4)', () => {
  it('maps DEPROVISIONED → deleted, SUSPENDED → disabled, every other status → active; reads deprovisioned users separately', async () => {
    const { okta, clock } = world({ seed: oktaStatusSeed() });
    const s = await read(provider(okta, clock), { groups: false });
    const byEmail = new Map((s.users ?? []).map((u) => [u.email, u]));
    expect(byEmail.size).toBe(8);
    for (const status of ['staged', 'provisioned', 'active', 'recovery', 'locked_out', 'password_expired']) expect(byEmail.get(`${status}@example.com`)).toMatchObject({ disabled: false, deleted: false });
    expect(byEmail.get('suspended@example.com')).toMatchObject({ disabled: true, deleted: false });
    expect(byEmail.get('deprovisioned@example.com')).toMatchObject({ disabled: false, deleted: true });
    expect(okta.requests.filter((r) => r.route === 'users').map((r) => r.query['filter'] ?? null)).toEqual([null, 'status eq "DEPROVISIONED"']);
  });

  it('syncs OKTA_GROUP, APP_GROUP and the built-in Everyone group like any group', async () => {
    const { okta, clock } = world({ seed: oktaStatusSeed() });
    const s = await read(provider(okta, clock));
    expect(s.groups?.map((g) => g.name)).toEqual(['Everyone', 'App Users']);
    expect(members(s, 'App Users', okta)).toEqual(['active@example.com']);
    expect(s.groups?.find((g) => g.name === 'Everyone')?.userMemberExternalIds).toHaveLength(7);
  });
});

describe('OktaProvider: filters (§5.2)', () => {
  it('applies include/exclude on email case-insensitively', async () => {
    const { okta, clock } = world();
    expect(emails(await read(provider(okta, clock, { sync: { userFilter: 'include: USER1@example.com ,user3@example.com' } }), { groups: false }))).toEqual(['user1@example.com', 'user3@example.com']);
    expect(emails(await read(provider(okta, clock, { sync: { userFilter: 'exclude:user1@example.com' } }), { groups: false }))).toHaveLength(4);
  });

  it('sends the native filter to Okta (one list: a filter includes deprovisioned users)', async () => {
    const { okta, clock } = world();
    okta.state.updateUser('user5@example.com', { status: 'DEPROVISIONED' });
    const s = await read(provider(okta, clock, { sync: { userFilter: 'exclude:user1@example.com|profile.lastName eq "Smith"' } }), { groups: false });
    expect(s.users?.map((u) => [u.email, u.deleted])).toEqual([['user5@example.com', true]]);
    expect(okta.requests.filter((r) => r.route === 'users').map((r) => r.query['filter'])).toEqual(['profile.lastName eq "Smith"']);
  });

  it('sends search:<expr> as Okta search, and a group type filter', async () => {
    const { okta, clock } = world();
    const s = await read(provider(okta, clock, { sync: { userFilter: '|search:profile.department eq "Sales"', groupFilter: '|type eq "OKTA_GROUP"' } }));
    expect(emails(s)).toEqual(['user5@example.com']);
    expect(s.groups?.map((g) => g.name)).toEqual(['Group A', 'Group B', 'Okta Administrators']);
    expect(okta.requests.find((r) => r.route === 'users')?.query['search']).toBe('profile.department eq "Sales"');
  });

  it('turns an Okta-rejected filter into config.invalid naming the setting', async () => {
    const { okta, clock } = world();
    await expect(read(provider(okta, clock, { sync: { userFilter: '|profile.department eq "Sales"' } }))).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('sync.userFilter') });
  });

  it.each(['include:a:b', 'only:x', 'include:'])('rejects the malformed clause %s before any request', async (filter) => {
    const { okta, clock } = world();
    await expect(read(provider(okta, clock, { sync: { userFilter: filter } }))).rejects.toMatchObject({ code: 'config.invalid' });
    expect(okta.requests).toHaveLength(0);
  });
});

describe('OktaProvider: paging and failing closed', () => {
  it('follows Link rel="next" with the largest page sizes', async () => {
    const { okta, clock } = world({ seed: oktaGeneratedSeed(450, 3, 5) });
    const s = await read(provider(okta, clock));
    expect(s.users).toHaveLength(450);
    expect(new Set(s.users?.map((u) => u.externalId)).size).toBe(450);
    expect(s.stats['userPages']).toBe(4); // 3 pages of the active list (200+200+~45) + 1 deprovisioned page
    expect(okta.requests.find((r) => r.route === 'users')?.query['limit']).toBe('200');
    expect(okta.requests.find((r) => r.route === 'groups')?.query['limit']).toBe('10000');
  });

  it.each([
    ['a 500 on a middle page', { route: 'users', status: 500, page: 2, times: Infinity } as const, 'provider.error'],
    ['a page that is not JSON', { route: 'users', status: 200, page: 2, badJson: true } as const, 'provider.incomplete-read'],
    ['a failed member list', { route: 'members', status: 500, times: Infinity } as const, 'provider.error'],
    ['a 403 E0000006', { route: 'groups', status: 403, times: Infinity } as const, 'provider.rights'],
  ])('fails the whole read on %s', async (_name, fault, code) => {
    const { okta, clock } = world({ seed: oktaGeneratedSeed(450, 3, 5) });
    okta.fail(fault);
    await expect(read(provider(okta, clock))).rejects.toMatchObject({ code });
  });

  it('refuses a next link off the org origin', async () => {
    const { okta, clock } = world();
    const http: HttpClient = {
      send: async (request) => {
        const response = await okta.httpClient().send(request);
        return { ...response, headers: { ...response.headers, link: '<https://evil.example/api/v1/users?after=x>; rel="next"' } };
      },
    };
    await expect(read(provider(okta, clock, { http }), { groups: false })).rejects.toMatchObject({ code: 'provider.incomplete-read', message: expect.stringContaining('evil.example') });
  });
});

describe('OktaProvider: rate limits', () => {
  it('rides out a 429 storm, waiting until each reset', async () => {
    const { okta, clock } = world();
    okta.fail({ route: 'users', status: 429, times: 3 });
    const s = await read(provider(okta, clock));
    expect(s.users).toHaveLength(5);
    expect(s.stats['rateLimited429']).toBe(3);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(3);
    expect(clock.sleeps.every((ms) => ms <= 2000)).toBe(true);
  });

  it('paces before the bucket runs out, keeping (100 − okta.rateLimitShare) % for others', async () => {
    const { okta, clock } = world({ seed: oktaGeneratedSeed(0, 30, 0), limits: { members: 20 } });
    okta.consume('members', 5);
    const s = await read(provider(okta, clock, { config: { rateLimitShare: 50 } }), { users: false });
    expect(s.groups).toHaveLength(30);
    expect(okta.throttledCount).toBe(0);
    expect(s.stats['rateLimitPaceWaits']).toBeGreaterThan(0);
    // In each one-minute window dirconn spends at most half of the 20 (the 5 used by others count).
    const perWindow = new Map<number, number>();
    for (const r of okta.requests.filter((q) => q.route === 'members')) perWindow.set(Math.floor(r.at / 60_000), (perWindow.get(Math.floor(r.at / 60_000)) ?? 0) + 1);
    expect([...perWindow.values()].reduce((a, b) => a + b, 0)).toBe(30);
    expect([...perWindow.values()][0]).toBeLessThanOrEqual(5);
    expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(10);
  });

  it('fails as throttled when the limit never frees up within the wait budget', async () => {
    const { okta, clock } = world();
    okta.fail({ route: 'users', status: 429, times: Infinity });
    await expect(read(provider(okta, clock))).rejects.toMatchObject({ code: 'provider.throttled' });
  });
});

describe('OktaProvider: deltas', () => {
  it('reads only users changed since the cursor (deprovisioned and suspended ones included) and skips unchanged groups', async () => {
    const { okta, clock } = world();
    const p = provider(okta, clock);
    clock.advance(3_600_000); // the org was last changed an hour before the first sync
    const first = await read(p);
    clock.advance(3_600_000);
    okta.state.updateUser('user1@example.com', { status: 'DEPROVISIONED' });
    okta.state.updateUser('user2@example.com', { status: 'SUSPENDED' });
    const before = okta.requests.length;
    const delta = await read(p, { force: false, since: first.cursor });
    expect(delta.mode).toBe('delta');
    expect(delta.users?.map((u) => [u.email, u.deleted, u.disabled])).toEqual([['user1@example.com', true, false], ['user2@example.com', false, true]]);
    expect(delta.groups).toEqual([]);
    const sent = okta.requests.slice(before);
    expect(sent.find((r) => r.route === 'users')?.query['filter']).toMatch(/^lastUpdated gt "2026-03-01T08:55:00.000Z"$/);
    expect(sent.filter((r) => r.route === 'members')).toHaveLength(0);
  });

  it('re-reads every group when a membership changed, and reads everything on a forced run or a foreign cursor', async () => {
    const { okta, clock } = world();
    const p = provider(okta, clock);
    clock.advance(3_600_000);
    const first = await read(p);
    clock.advance(3_600_000);
    okta.state.removeMember('Group A', 'user1@example.com');
    const delta = await read(p, { force: false, since: first.cursor });
    expect(delta.groups?.map((g) => g.name)).toEqual(['Everyone', 'Group A', 'Group B', 'Okta Administrators']);
    expect(members(delta, 'Group A', okta)).toEqual(['user2@example.com']);
    expect((await read(p, { force: true, since: first.cursor })).mode).toBe('full');
    const foreign = await read(p, { force: false, since: { v: 1, lastSync: 'x' } });
    expect(foreign.mode).toBe('full');
    expect(foreign.warnings.map((w) => w.code)).toEqual(['okta.cursor-unknown']);
  });
});

describe('OktaProvider: OAuth service app', () => {
  it('signs a client assertion and reads with a Bearer token', async () => {
    const { okta, clock } = world();
    const app = okta.addApp();
    const keyFile = join(dir, 'okta-key.pem');
    writeFileSync(keyFile, app.privateKeyPem);
    const s = await read(provider(okta, clock, { secret: null, config: { clientId: app.clientId, privateKeyPath: keyFile } }));
    expect(s.users).toHaveLength(5);
    expect(okta.count('token')).toBe(1);
  });

  it('names the missing scope', async () => {
    const { okta, clock } = world();
    const app = okta.addApp(['okta.users.read']);
    const keyFile = join(dir, 'okta-key2.pem');
    writeFileSync(keyFile, app.privateKeyPem);
    await expect(read(provider(okta, clock, { secret: null, config: { clientId: app.clientId, privateKeyPath: keyFile } }))).rejects.toMatchObject({ code: 'auth.directory', hint: expect.stringContaining('okta.groups.read') });
  });
});

describe('OktaProvider: check and explain', () => {
  it('check reads one user and one group', async () => {
    const { okta, clock } = world();
    await provider(okta, clock).check();
    expect(okta.requests.map((r) => r.route)).toEqual(['users', 'groups']);
    await expect(provider(okta, clock, { secret: 'nope' }).check()).rejects.toMatchObject({ code: 'auth.directory' });
  });

  it('explains status, filters and the group scope', async () => {
    const { okta, clock } = world();
    const p = provider(okta, clock, { sync: { groupFilter: 'include:Group A' } });
    const in1 = await p.explain('USER1@example.com');
    expect(in1).toMatchObject({ found: true, user: { email: 'user1@example.com' } });
    const out = await p.explain('user5@example.com');
    expect(out.user).toBeUndefined();
    expect(out.checks.find((c) => c.check.includes('§5.4'))).toMatchObject({ passed: false, detail: expect.stringContaining('Everyone') });
    const suspended = await provider(okta, clock).explain('user3@example.com');
    expect(suspended.checks.find((c) => c.check === 'status')).toMatchObject({ passed: false, detail: expect.stringContaining('SUSPENDED') });
    expect((await p.explain('nobody@example.com')).found).toBe(false);
  });
});

describe('okta definition', () => {
  it('validates the org URL, the credential and the share', () => {
    const issues = (config: Partial<OktaConfig>, secret = true) => oktaDefinition.validate({ ...OKTA_DEFAULTS, ...config }, DEFAULT_SYNC_CONFIG, secret).map((i) => i.key);
    expect(issues({ orgUrl: 'https://acme.okta.com/' })).toEqual([]);
    expect(issues({})).toEqual(['okta.orgUrl']);
    expect(issues({ orgUrl: 'http://acme.okta.com' })).toEqual(['okta.orgUrl']);
    expect(issues({ orgUrl: 'https://acme.okta.com' }, false)).toEqual(['okta.token']);
    expect(issues({ orgUrl: 'https://acme.okta.com', clientId: 'x' }, false)).toEqual(['okta.privateKeyPath']);
    expect(issues({ orgUrl: 'https://acme.okta.com', clientId: 'x', privateKeyPath: '/k.pem' }, false)).toEqual([]);
    expect(issues({ orgUrl: 'https://acme.okta.com', rateLimitShare: 0 })).toEqual(['okta.rateLimitShare']);
    expect(oktaDefinition.secret).toMatchObject({ setting: 'okta.token', account: 'secretOkta', fileContent: 'first-line' });
    expect(oktaDefinition.referenceType).toBe(3);
  });
});
