import { describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, RetryingTransport, silentLogger, type DirectorySnapshot, type HttpClient, type SyncConfig } from '@dirconn/core';
import { FakeClock } from '@dirconn/core/testing';
import { fakeOneLogin, oneLoginGeneratedSeed, oneLoginReferenceSeed, oneLoginStatusSeed, type FakeOneLogin, type FakeOneLoginOptions } from '@dirconn/test-support';
import { ONELOGIN_DEFAULTS, type OneLoginConfig } from './onelogin.config.js';
import { oneLoginDefinition } from './onelogin.definition.js';
import type { OneLoginProvider } from './onelogin.provider.js';

interface Setup {
  config?: Partial<OneLoginConfig>;
  sync?: Partial<SyncConfig>;
  secret?: string | null;
  http?: HttpClient;
}

function world(options: FakeOneLoginOptions = {}): { onelogin: FakeOneLogin; clock: FakeClock } {
  const clock = new FakeClock('2026-03-01T08:00:00.000Z');
  const onelogin = fakeOneLogin({ seed: oneLoginReferenceSeed(), now: () => clock.now().getTime(), ...options });
  return { onelogin, clock };
}

function provider(onelogin: FakeOneLogin, clock: FakeClock, setup: Setup = {}): OneLoginProvider {
  const http = setup.http ?? onelogin.httpClient();
  const transport = new RetryingTransport({ http, clock, logger: silentLogger, service: 'OneLogin', errorCodes: { unreachable: 'provider.unreachable', throttled: 'provider.throttled', serverError: 'provider.error' }, random: () => 0.5 });
  const config: OneLoginConfig = { ...ONELOGIN_DEFAULTS, clientId: onelogin.clientId, baseUrl: `${onelogin.url}/`, ...setup.config };
  const sync: SyncConfig = { ...DEFAULT_SYNC_CONFIG, users: true, groups: true, ...setup.sync };
  const secret = setup.secret === undefined ? onelogin.clientSecret : setup.secret;
  return oneLoginDefinition.create({ config, sync, secret, logger: silentLogger, http, clock, transport }) as OneLoginProvider;
}

const read = (p: OneLoginProvider, extra: { users?: boolean; groups?: boolean } = {}): Promise<DirectorySnapshot> => p.read({ force: true, users: true, groups: true, ...extra });
const emails = (s: DirectorySnapshot): (string | null)[] => (s.users ?? []).map((u) => u.email).sort();
const members = (s: DirectorySnapshot, name: string, onelogin: FakeOneLogin): string[] =>
  (s.groups?.find((g) => g.name === name)?.userMemberExternalIds ?? []).map((id) => onelogin.state.user(Number(id))?.email ?? id).sort();

describe('OneLoginProvider: the reference fixture (§12.3)', () => {
  it('reads users with string ids, roles as groups with their users; a suspended user is disabled', async () => {
    const { onelogin, clock } = world();
    const s = await read(provider(onelogin, clock));
    expect(s.mode).toBe('full');
    expect(s.users).toHaveLength(7);
    expect(s.users?.every((u) => /^\d+$/.test(u.externalId) && u.referenceId === u.externalId && !u.deleted)).toBe(true);
    expect(s.users?.filter((u) => u.disabled).map((u) => u.email)).toEqual(['user3@example.com']);
    expect(s.groups?.map((g) => [g.name, g.userMemberExternalIds.length])).toEqual([['Role A', 4], ['Role B', 2], ['Empty Role', 0]]);
    expect(members(s, 'Role B', onelogin)).toEqual(['user2@example.com', 'user5@example.com']);
    expect(onelogin.count('token')).toBe(1);
  });

  it('takes the email from the username when email is not an address; keeps a user with neither (email null) for core to name', async () => {
    const { onelogin, clock } = world();
    const s = await read(provider(onelogin, clock), { groups: false });
    expect(emails(s)).toEqual([null, 'user1@example.com', 'user2@example.com', 'user3@example.com', 'user4@example.com', 'user5@example.com', 'user6@example.com']);
    expect(s.users?.find((u) => u.email === null)).toMatchObject({ displayName: 'Grace Test' });
    expect(s.stats).toMatchObject({ usersWithoutEmail: 1, usersFromUsername: 1 });
    const withSuffix = await read(provider(onelogin, clock, { sync: { useEmailPrefixSuffix: true, emailSuffix: '@corp.example' } }), { groups: false });
    expect(emails(withSuffix)).toContain('user7@corp.example');
  });

  it('a groups-only sync still has role members (the reference leaves them empty)', async () => {
    const { onelogin, clock } = world();
    const s = await read(provider(onelogin, clock), { users: false });
    expect(s.users).toBeNull();
    expect(s.groups?.find((g) => g.name === 'Role A')?.userMemberExternalIds).toHaveLength(4);
  });

  it('bad credentials → auth.directory naming the client id, never the secret', async () => {
    const { onelogin, clock } = world();
    const error = await read(provider(onelogin, clock, { secret: 'wrong-secret' })).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'auth.directory', message: expect.stringContaining(onelogin.clientId), hint: expect.stringContaining('onelogin.clientId') });
    expect(JSON.stringify(error)).not.toContain('wrong-secret');
    expect(onelogin.count('users')).toBe(0);
  });

  it('a credential without a read scope → provider.rights naming "Read users"', async () => {
    const { onelogin, clock } = world();
    const credential = onelogin.addCredential('none');
    await expect(read(provider(onelogin, clock, { config: { clientId: credential.clientId }, secret: credential.clientSecret }))).rejects.toMatchObject({ code: 'provider.rights', hint: expect.stringContaining('Read users') });
  });
});

describe('OneLoginProvider: statuses', () => {
  it('only status 2 (Suspended) is disabled', async () => {
    const { onelogin, clock } = world({ seed: oneLoginStatusSeed() });
    const s = await read(provider(onelogin, clock), { groups: false });
    expect(s.users?.map((u) => [u.email, u.disabled])).toEqual([0, 1, 2, 3, 4, 5, 7, 8].map((n) => [`status${n}@example.com`, n === 2]));
  });
});

describe('OneLoginProvider: filters (§5.2, §5.4)', () => {
  it('applies include/exclude on the derived email', async () => {
    const { onelogin, clock } = world();
    expect(emails(await read(provider(onelogin, clock, { sync: { userFilter: 'include: USER1@example.com ,user6@example.com' } }), { groups: false }))).toEqual(['user1@example.com', 'user6@example.com']);
    expect(emails(await read(provider(onelogin, clock, { sync: { userFilter: 'exclude:user1@example.com' } }), { groups: false }))).toHaveLength(6);
  });

  it('sends the native query as OneLogin parameters with paging parameters of its own', async () => {
    const { onelogin, clock } = world();
    const s = await read(provider(onelogin, clock, { sync: { userFilter: '|directory_id=7', groupFilter: '|name=Role*' } }));
    expect(emails(s)).toEqual(['user5@example.com']);
    expect(s.groups?.map((g) => g.name)).toEqual(['Role A', 'Role B']);
    expect(onelogin.requests.find((r) => r.route === 'users')?.query).toEqual({ directory_id: '7', limit: '1000' });
    expect(onelogin.requests.find((r) => r.route === 'roles')?.query).toEqual({ name: 'Role*', limit: '650' });
  });

  it('a role set filter keeps the roles and scopes users to their members', async () => {
    const { onelogin, clock } = world();
    const s = await read(provider(onelogin, clock, { sync: { groupFilter: 'include:Role B' } }));
    expect(s.groups?.map((g) => g.name)).toEqual(['Role B']);
    expect(emails(s)).toEqual(['user2@example.com', 'user5@example.com']);
    expect(onelogin.count('members')).toBe(1);
  });

  it('turns a OneLogin-rejected query into config.invalid naming the setting', async () => {
    const { onelogin, clock } = world();
    await expect(read(provider(onelogin, clock, { sync: { userFilter: '|department=Sales' } }))).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('sync.userFilter') });
  });

  it.each(['include:a:b', 'only:x', '|cursor=x'])('rejects the filter %s before any request', async (filter) => {
    const { onelogin, clock } = world();
    await expect(read(provider(onelogin, clock, { sync: { userFilter: filter } }))).rejects.toMatchObject({ code: 'config.invalid' });
    expect(onelogin.requests).toHaveLength(0);
  });
});

describe('OneLoginProvider: paging and failing closed', () => {
  it('follows After-Cursor through every page with the largest page sizes', async () => {
    const { onelogin, clock } = world({ seed: oneLoginGeneratedSeed(2500, 700, 3) });
    const s = await read(provider(onelogin, clock));
    expect(s.users).toHaveLength(2500);
    expect(new Set(s.users?.map((u) => u.externalId)).size).toBe(2500);
    expect(s.groups).toHaveLength(700);
    expect(s.stats).toMatchObject({ userPages: 3, rolePages: 2, memberPages: 700 });
    const userPages = onelogin.requests.filter((r) => r.route === 'users');
    expect(userPages.map((r) => r.query['cursor'] !== undefined)).toEqual([false, true, true]);
  });

  it.each([
    ['a 500 on a middle page of users', { route: 'users', status: 500, page: 2, times: Infinity } as const, 'provider.error'],
    ['a 400 on a middle page', { route: 'users', status: 400, page: 2, times: Infinity } as const, 'provider.error'],
    ['a page that is not JSON', { route: 'users', status: 200, page: 2, badJson: true } as const, 'provider.incomplete-read'],
    ['a failed role page', { route: 'roles', status: 503, page: 2, times: Infinity } as const, 'provider.error'],
    ['a failed role member list', { route: 'members', status: 500, times: Infinity } as const, 'provider.error'],
    ['a 404 role member list', { route: 'members', status: 404, times: 1 } as const, 'provider.incomplete-read'],
  ])('fails the whole read on %s', async (_name, fault, code) => {
    const { onelogin, clock } = world({ seed: oneLoginGeneratedSeed(2500, 700, 3) });
    onelogin.fail(fault);
    await expect(read(provider(onelogin, clock))).rejects.toMatchObject({ code });
  });

  it('refuses a body that is not an array and a cursor that repeats', async () => {
    const { onelogin, clock } = world();
    const objectBody: HttpClient = { send: async (request) => ({ ...(await onelogin.httpClient().send(request)), ...(request.url.includes('/api/2/users') ? { body: '{"data":[]}' } : {}) }) };
    await expect(read(provider(onelogin, clock, { http: objectBody }), { groups: false })).rejects.toMatchObject({ code: 'provider.incomplete-read', message: expect.stringContaining('not a JSON array') });
    const same = Buffer.from('o:1').toString('base64url');
    const loop: HttpClient = {
      send: async (request) => {
        const r = await onelogin.httpClient().send(request);
        return request.url.includes('/api/2/users') ? { ...r, headers: { ...r.headers, 'after-cursor': same } } : r;
      },
    };
    await expect(read(provider(onelogin, clock, { http: loop }), { groups: false })).rejects.toMatchObject({ code: 'provider.incomplete-read', message: expect.stringContaining('twice') });
  });
});

describe('OneLoginProvider: empty pages', () => {
  it('refuses empty pages that keep pointing to a next one', async () => {
    const { onelogin, clock } = world();
    let n = 0;
    const http: HttpClient = {
      send: async (request) => {
        const r = await onelogin.httpClient().send(request);
        return request.url.includes('/api/2/users') ? { ...r, body: '[]', headers: { ...r.headers, 'after-cursor': Buffer.from(`o:${++n}`).toString('base64url') } } : r;
      },
    };
    await expect(read(provider(onelogin, clock, { http }), { groups: false })).rejects.toMatchObject({ code: 'provider.incomplete-read', message: expect.stringContaining('empty pages') });
    expect(n).toBe(3);
  });
});

describe('OneLoginProvider: token', () => {
  it('reuses the token across reads and fetches a new one, once, after a 401', async () => {
    const { onelogin, clock } = world();
    const p = provider(onelogin, clock);
    await read(p);
    await read(p);
    expect(onelogin.count('token')).toBe(1);
    onelogin.revokeTokens();
    await read(p);
    expect(onelogin.count('token')).toBe(2);
    expect(onelogin.requests.filter((r) => r.status === 401)).toHaveLength(1);
  });

  it('parallel role reads share one new token when the token is revoked in the middle', async () => {
    const { onelogin, clock } = world({ seed: oneLoginGeneratedSeed(50, 40, 3) });
    let revoked = false;
    const http: HttpClient = {
      send: (request) => {
        if (!revoked && request.url.includes('/api/2/roles/')) {
          revoked = true;
          onelogin.revokeTokens();
        }
        return onelogin.httpClient().send(request);
      },
    };
    const s = await read(provider(onelogin, clock, { http }));
    expect(s.groups).toHaveLength(40);
    expect(s.groups?.every((g) => g.userMemberExternalIds.length === 3)).toBe(true);
    expect(onelogin.count('token')).toBe(2);
    expect(onelogin.requests.filter((r) => r.status === 401).length).toBeGreaterThanOrEqual(1);
  });

  it('a 401 that persists after the refresh fails as auth.directory', async () => {
    const { onelogin, clock } = world();
    onelogin.fail({ route: 'users', status: 401, times: Infinity });
    await expect(read(provider(onelogin, clock))).rejects.toMatchObject({ code: 'auth.directory' });
    expect(onelogin.count('token')).toBe(2);
  });

  it('fetches a new token when the old one expires', async () => {
    const { onelogin, clock } = world({ tokenLifetimeSeconds: 600 });
    const p = provider(onelogin, clock);
    await read(p);
    clock.advance(600_000);
    await read(p);
    expect(onelogin.count('token')).toBe(2);
    expect(onelogin.requests.filter((r) => r.status === 401)).toHaveLength(0);
  });
});

describe('OneLoginProvider: rate limits', () => {
  it('rides out a 429 storm, waiting until each reset', async () => {
    const { onelogin, clock } = world();
    onelogin.fail({ route: 'api', status: 429, times: 3, resetSeconds: 2 });
    const s = await read(provider(onelogin, clock));
    expect(s.users).toHaveLength(7);
    expect(s.stats['rateLimited429']).toBe(3);
    expect(clock.sleeps.slice(0, 3)).toEqual([3000, 3000, 3000]);
    expect(s.stats['rateLimitWaitedMs']).toBe(9000);
  });

  it('waits for the window to reset when nothing remains, instead of running into 429', async () => {
    const { onelogin, clock } = world({ rateLimit: 3, windowSeconds: 60 });
    const s = await read(provider(onelogin, clock));
    expect(s.groups).toHaveLength(3);
    expect(onelogin.throttledCount).toBe(0);
    expect(s.stats['rateLimitPaceWaits']).toBeGreaterThan(0);
  });

  it('fails as throttled, naming the reset, when the hourly limit is used up for longer than dirconn waits', async () => {
    const { onelogin, clock } = world({ rateLimit: 100 });
    onelogin.consume(99);
    await expect(read(provider(onelogin, clock))).rejects.toMatchObject({ code: 'provider.throttled', message: expect.stringMatching(/resets in \d+ s/) });
    onelogin.fail({ route: 'api', status: 429, times: Infinity, resetSeconds: 1800 });
    await expect(read(provider(onelogin, clock))).rejects.toMatchObject({ code: 'provider.throttled', hint: expect.stringContaining('per account and per hour') });
  });
});

describe('OneLoginProvider: check and explain', () => {
  it('check gets a token and reads one user and one role', async () => {
    const { onelogin, clock } = world();
    await provider(onelogin, clock).check();
    expect(onelogin.requests.map((r) => r.route)).toEqual(['token', 'users', 'roles']);
    await expect(provider(onelogin, clock, { secret: 'nope' }).check()).rejects.toMatchObject({ code: 'auth.directory' });
  });

  it('explains status, the email source, filters and the role scope', async () => {
    const { onelogin, clock } = world();
    const p = provider(onelogin, clock, { sync: { groupFilter: 'include:Role B' } });
    expect(await p.explain('USER2@example.com')).toMatchObject({ found: true, user: { email: 'user2@example.com' } });
    const out = await p.explain('user1@example.com');
    expect(out.user).toBeUndefined();
    expect(out.checks.find((c) => c.check.includes('§5.4'))).toMatchObject({ passed: false });
    const suspended = await provider(onelogin, clock).explain('user3@example.com');
    expect(suspended.checks.find((c) => c.check === 'status')).toMatchObject({ passed: false, detail: expect.stringContaining('Suspended (2)') });
    const noEmail = await provider(onelogin, clock).explain('user7');
    expect(noEmail).toMatchObject({ found: true });
    expect(noEmail.user).toBeUndefined();
    expect(noEmail.checks.find((c) => c.check === 'has a usable email')).toMatchObject({ passed: false, detail: expect.stringContaining('not synced') });
    const byUsername = await provider(onelogin, clock).explain('user6@example.com');
    expect(byUsername.checks.find((c) => c.check === 'has a usable email')?.detail).toContain('from the username');
    const byId = await provider(onelogin, clock, { sync: { userFilter: '|directory_id=7' } }).explain(String(onelogin.state.user('user1@example.com')?.id));
    expect(byId.checks.find((c) => c.check.startsWith('OneLogin query'))).toMatchObject({ passed: false });
    expect((await p.explain('nobody@example.com')).found).toBe(false);
  });
});

describe('onelogin definition', () => {
  it('declares the secret with the reference alias and environment variables', () => {
    expect(oneLoginDefinition.secret).toMatchObject({ setting: 'onelogin.clientSecret', aliases: ['onelogin.secret'], account: 'secretOneLogin', variable: 'DIRCONN_ONELOGIN_SECRET', fileVariable: 'DIRCONN_ONELOGIN_SECRET_FILE', fileContent: 'first-line' });
    expect(oneLoginDefinition.referenceType).toBe(4);
    expect(oneLoginDefinition.fields.map((f) => f.key)).toEqual(['onelogin.clientId', 'onelogin.clientSecret', 'onelogin.region', 'onelogin.baseUrl']);
  });
});
