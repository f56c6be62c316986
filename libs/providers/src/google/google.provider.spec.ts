import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { DEFAULT_SYNC_CONFIG, RetryingTransport, silentLogger, type DirectorySnapshot, type RetryPolicy, type SyncConfig } from '@dirconn/core';
import { FakeClock } from '@dirconn/core/testing';
import { googleCompanySeed, googleReferenceSeed, newServiceAccount, startFakeGoogle, type FakeGoogle, type FakeGoogleSeed } from '@dirconn/test-support';
import { GOOGLE_DEFAULTS, type GoogleConfig } from './google.config.js';
import { googleDefinition } from './google.definition.js';
import { GoogleProvider } from './google.provider.js';

const clock = new FakeClock('2026-03-01T08:00:00.000Z');
const servers: FakeGoogle[] = [];
const dir = mkdtempSync(join(tmpdir(), 'dirconn-google-'));

async function fake(seed: FakeGoogleSeed): Promise<FakeGoogle> {
  const google = await startFakeGoogle({ seed, now: () => clock.now().getTime() });
  servers.push(google);
  return google;
}

afterAll(async () => {
  for (const s of servers) await s.close();
});

interface Setup {
  config?: Partial<GoogleConfig>;
  sync?: Partial<SyncConfig>;
  secret?: string | null;
  policy?: Partial<RetryPolicy>;
}

function provider(google: FakeGoogle, setup: Setup = {}): GoogleProvider {
  const transport = new RetryingTransport({
    http: google.httpClient(),
    clock,
    logger: silentLogger,
    service: 'Google Workspace',
    errorCodes: { unreachable: 'provider.unreachable', throttled: 'provider.throttled', serverError: 'provider.error' },
    random: () => 0.5,
    ...(setup.policy ? { policy: setup.policy } : {}),
  });
  const admin = google.state.users.find((u) => u.isAdmin)?.primaryEmail ?? null;
  const config: GoogleConfig = { ...GOOGLE_DEFAULTS, customer: 'my_customer', adminUser: admin, clientEmail: google.serviceAccount.clientEmail, tokenUrl: google.tokenUrl, rootUrl: google.rootUrl, ...setup.config };
  const sync: SyncConfig = { ...DEFAULT_SYNC_CONFIG, users: true, groups: true, ...setup.sync };
  const secret = setup.secret === undefined ? google.serviceAccount.privateKeyPem : setup.secret;
  return googleDefinition.create({ config, sync, secret, logger: silentLogger, http: google.httpClient(), clock, transport }) as GoogleProvider;
}

const read = (p: GoogleProvider, flags = { users: true, groups: true }): Promise<DirectorySnapshot> => p.read({ force: true, ...flags });
const emails = (s: DirectorySnapshot): string[] => (s.users ?? []).map((u) => u.email ?? '').sort();
const byName = (s: DirectorySnapshot) => new Map((s.groups ?? []).map((g) => [g.name, g]));

describe('GoogleProvider: the reference fixture shape (§12.3)', () => {
  let google: FakeGoogle;
  beforeAll(async () => {
    google = await fake(googleReferenceSeed());
  });

  it("user query orgUnitPath='/Integration testing' and group query name:Integration* → 5 users, groups A (1, 2) and B (2, 3)", async () => {
    const snapshot = await read(provider(google, { sync: { userFilter: "|orgUnitPath='/Integration testing'", groupFilter: '|name:Integration*' } }));
    expect(emails(snapshot)).toEqual(['testuser1@example.com', 'testuser2@example.com', 'testuser3@example.com', 'testuser4@example.com', 'testuser5@example.com']);
    expect(snapshot.users?.filter((u) => u.disabled).map((u) => u.email)).toEqual(['testuser4@example.com']);
    const id = (email: string) => google.state.user(email)?.id;
    const groups = byName(snapshot);
    expect([...groups.keys()].sort()).toEqual(['Integration Test Group A', 'Integration Test Group B']);
    expect(groups.get('Integration Test Group A')?.userMemberExternalIds).toEqual([id('testuser1@example.com'), id('testuser2@example.com')]);
    expect(groups.get('Integration Test Group B')?.userMemberExternalIds).toEqual([id('testuser2@example.com'), id('testuser3@example.com')]);
    expect(snapshot.mode).toBe('full');
  });

  it('sends the query on both user passes, the group query on the group list, and no empty parameters', async () => {
    const before = google.requests.length;
    await read(provider(google, { sync: { userFilter: "|orgUnitPath='/Integration testing'", groupFilter: '|name:Integration*' } }));
    const sent = google.requests.slice(before);
    const userLists = sent.filter((r) => r.route === 'users');
    expect(userLists.map((r) => [r.query['query'], r.query['showDeleted']])).toEqual([["orgUnitPath='/Integration testing'", undefined], ["orgUnitPath='/Integration testing'", 'true']]);
    expect(userLists.every((r) => r.query['maxResults'] === '500' && r.query['customer'] === 'my_customer' && !('domain' in r.query) && !('pageToken' in r.query))).toBe(true);
    expect(sent.filter((r) => r.route === 'groups').map((r) => [r.query['query'], r.query['maxResults']])).toEqual([['name:Integration*', '200']]);
    expect(sent.filter((r) => r.route === 'members').every((r) => r.query['maxResults'] === '200' && !('customer' in r.query))).toBe(true);
    for (const r of sent) for (const value of Object.values(r.query)) expect(value).not.toBe('');
  });

  it('include: a group keeps only its direct members (§5.4), disabled ones too when they are being removed', async () => {
    const snapshot = await read(provider(google, { sync: { groupFilter: 'include:Sales' } }));
    expect([...byName(snapshot).keys()]).toEqual(['Sales']);
    expect(emails(snapshot)).toEqual(['sales.person@example.com']);
    const removing = await read(provider(google, { sync: { groupFilter: 'include:Integration Test Group A', removeDisabled: true } }));
    expect(emails(removing)).toEqual(['testuser1@example.com', 'testuser2@example.com', 'testuser4@example.com']);
  });

  it('filters users by email with include: and exclude:, case-insensitively', async () => {
    const inc = await read(provider(google, { sync: { userFilter: 'include:TestUser1@example.com,testuser3@example.com' } }), { users: true, groups: false });
    expect(emails(inc)).toEqual(['testuser1@example.com', 'testuser3@example.com']);
    const exc = await read(provider(google, { sync: { userFilter: "exclude:admin@example.com|orgUnitPath='/'" } }), { users: true, groups: false });
    expect(emails(exc)).toHaveLength(6);
    expect(emails(exc)).not.toContain('admin@example.com');
  });
});

describe('GoogleProvider: a two-domain company', () => {
  let google: FakeGoogle;
  beforeAll(async () => {
    google = await fake(googleCompanySeed());
  });
  afterEach(() => google.clearFaults());

  it('reads every domain of the account when only google.customer is set (the reference drops secondary domains)', async () => {
    const snapshot = await read(provider(google), { users: true, groups: false });
    expect(emails(snapshot)).toContain('katherine.johnson@acme-labs.test');
    expect(snapshot.users).toHaveLength(10);
    const oneDomain = await read(provider(google, { config: { customer: null, domain: 'acme.test' } }), { users: true, groups: false });
    expect(emails(oneDomain).every((e) => e.endsWith('@acme.test'))).toBe(true);
    expect(oneDomain.users).toHaveLength(8);
  });

  it('maps suspended and archived users to disabled and deleted ones to deleted', async () => {
    const gone = google.state.addUser({ primaryEmail: 'temp.worker@acme.test' });
    google.state.deleteUser(gone.primaryEmail);
    const snapshot = await read(provider(google), { users: true, groups: false });
    const users = new Map((snapshot.users ?? []).map((u) => [u.email, u]));
    expect(users.get('john.mccarthy@acme.test')).toMatchObject({ disabled: true, deleted: false });
    expect(users.get('barbara.liskov@acme.test')).toMatchObject({ disabled: true, deleted: false });
    expect(users.get('temp.worker@acme.test')).toMatchObject({ externalId: gone.id, deleted: true });
    expect(users.get('ada.lovelace@acme.test')).toMatchObject({ disabled: false, deleted: false, displayName: 'Ada Lovelace' });
  });

  it('keeps nested groups as child references, expands CUSTOMER to every user and skips external and suspended members', async () => {
    const snapshot = await read(provider(google));
    const groups = byName(snapshot);
    const id = (key: string) => google.state.user(key)?.id ?? google.state.group(key)?.id;
    expect(groups.get('Engineering')?.groupMemberReferenceIds).toEqual([id('platform@acme.test')]);
    expect(groups.get('Engineering')?.userMemberExternalIds).toEqual([id('ada.lovelace@acme.test'), id('alan.turing@acme.test')]);
    expect(groups.get('Labs')?.userMemberExternalIds).toHaveLength(2);
    const everyone = groups.get('Everyone')?.userMemberExternalIds ?? [];
    expect(new Set(everyone)).toEqual(new Set((snapshot.users ?? []).filter((u) => !u.deleted).map((u) => u.externalId)));
    expect(snapshot.warnings.map((w) => w.code)).toContain('google.customer-member');
    expect(snapshot.stats['membersSkipped']).toBe(2);
  });

  it('skips the member list of a group Google reports empty, and reports users without addresses', async () => {
    google.state.addGroup({ email: 'empty@acme.test', name: 'Empty' });
    google.state.addUser({ primaryEmail: 'no.address@acme.test', emails: [] });
    const snapshot = await read(provider(google));
    expect(byName(snapshot).get('Empty')?.userMemberExternalIds).toEqual([]);
    expect(snapshot.stats['memberListsSkipped']).toBe(1);
    expect(emails(snapshot)).not.toContain('no.address@acme.test');
    expect(snapshot.warnings.find((w) => w.code === 'google.user-without-email')?.message).toMatch(/no\.address@acme\.test/);
  });

  it('rides out a storm of 403 userRateLimitExceeded and a 429 with growing back-off', async () => {
    google.fail({ route: 'users', status: 403, reason: 'userRateLimitExceeded', times: 3 });
    google.fail({ route: 'members', status: 429, reason: 'rateLimitExceeded', times: 1 });
    const sleeps = clock.sleeps.length;
    const snapshot = await read(provider(google));
    expect(snapshot.users?.length).toBeGreaterThan(0);
    expect(clock.sleeps.slice(sleeps)).toEqual([250, 500, 1000, 250]);
  });

  it('gives up with provider.throttled once the attempts or the wait budget are used up, never a partial list', async () => {
    google.fail({ route: 'api', status: 403, reason: 'rateLimitExceeded', times: Infinity });
    await expect(read(provider(google))).rejects.toMatchObject({ code: 'provider.throttled', message: expect.stringMatching(/rate-limited the user list \(HTTP 403 after 5 attempts\)/) });
    await expect(read(provider(google, { policy: { maxTotalWaitMs: 600 } }))).rejects.toMatchObject({ code: 'provider.throttled', message: expect.stringMatching(/budget/) });
  });

  it('fails closed on a failed middle page, a 5xx after retries, and an expired page token', async () => {
    for (let i = 0; i < 1100; i++) google.state.addUser({ primaryEmail: `bulk${i}@acme.test` });
    google.fail({ route: 'users', page: 2, status: 503, reason: 'backendError', times: Infinity });
    await expect(read(provider(google))).rejects.toMatchObject({ code: 'provider.error', message: expect.stringMatching(/HTTP 503 after 5 attempts/) });
    google.clearFaults();
    const stop = google.afterRequest((r) => {
      if (r.route === 'users' && !('pageToken' in r.query)) google.expirePageTokens();
    });
    await expect(read(provider(google))).rejects.toMatchObject({ code: 'provider.incomplete-read', hint: expect.stringMatching(/run the sync again/) });
    stop();
    const whole = await read(provider(google), { users: true, groups: false });
    expect(whole.stats['userPages']).toBe(3);
    expect(whole.users?.length).toBeGreaterThan(1100);
  });

  it('fails closed when a group vanishes between the group list and its members', async () => {
    const stop = google.afterRequest((r) => {
      if (r.route === 'groups' && google.state.group('sales@acme.test')) google.state.removeGroup('sales@acme.test');
    });
    await expect(read(provider(google))).rejects.toMatchObject({ code: 'provider.incomplete-read', message: expect.stringMatching(/members of Sales/) });
    stop();
    google.state.addGroup({ email: 'sales@acme.test', name: 'Sales', members: ['frances.allen@acme.test'] });
  });

  it('names the scope or delegation on a 403 forbidden', async () => {
    google.fail({ route: 'groups', status: 403, reason: 'forbidden', message: 'Not Authorized to access this resource/api' });
    await expect(read(provider(google))).rejects.toMatchObject({ code: 'provider.rights', hint: expect.stringMatching(/admin\.directory\.group\.readonly.*it\.admin@acme\.test/) });
  });

  it('refreshes the access token once after a 401', async () => {
    const tokensBefore = google.tokens.issued;
    let revoked = false;
    const stop = google.afterRequest((r) => {
      if (!revoked && r.route === 'users' && r.status === 200) {
        revoked = true;
        google.tokens.revokeAll();
      }
    });
    const snapshot = await read(provider(google), { users: true, groups: false });
    stop();
    expect(snapshot.users?.length).toBeGreaterThan(0);
    expect(google.tokens.issued - tokensBefore).toBe(2);
  });

  it('rejects a bad Google query as a config error naming the filter', async () => {
    await expect(read(provider(google, { sync: { userFilter: '|shoeSize=42' } }))).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining('sync.userFilter') });
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(provider(google).read({ force: true, users: true, groups: true, signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('GoogleProvider: sign-in', () => {
  let google: FakeGoogle;
  beforeAll(async () => {
    google = await fake(googleReferenceSeed());
  });

  it('signs a JWT the token endpoint accepts, with the three read-only scopes, and check() passes', async () => {
    await expect(provider(google).check()).resolves.toBeUndefined();
  });

  it('explains a wrong key, an unknown admin and missing delegation', async () => {
    const other = newServiceAccount(google.serviceAccount.clientEmail);
    await expect(provider(google, { secret: other.privateKeyPem }).check()).rejects.toMatchObject({ code: 'auth.directory', message: expect.stringMatching(/Invalid JWT Signature/), hint: expect.stringMatching(/does not belong to/) });
    await expect(provider(google, { config: { adminUser: 'ghost@example.com' } }).check()).rejects.toMatchObject({ code: 'auth.directory', hint: expect.stringMatching(/ghost@example\.com.*not an existing user/) });
    const narrow = await fake({ ...googleReferenceSeed() });
    narrow.serviceAccount.delegatedScopes.splice(2, 1);
    await expect(provider(narrow).check()).rejects.toMatchObject({ code: 'auth.directory', hint: expect.stringMatching(/admin\.directory\.group\.member\.readonly/) });
  });

  it('says so when the admin user is not an administrator', async () => {
    google.state.updateUser('admin@example.com', { isAdmin: false });
    try {
      await expect(provider(google, { config: { adminUser: 'admin@example.com' } }).check()).rejects.toMatchObject({ code: 'provider.rights', hint: expect.stringMatching(/admin@example\.com\) is an administrator/) });
    } finally {
      google.state.updateUser('admin@example.com', { isAdmin: true });
    }
  });

  it('takes the client email, key and token_uri from google.keyFile', async () => {
    const file = join(dir, 'key.json');
    writeFileSync(file, google.keyFile());
    const snapshot = await read(provider(google, { config: { keyFile: file, clientEmail: null, tokenUrl: null }, secret: null }), { users: true, groups: false });
    expect(snapshot.users?.length).toBe(7);
  });

  it('accepts a whole key file as the secret and a PEM with literal \\n', async () => {
    await expect(provider(google, { secret: google.keyFile() }).check()).resolves.toBeUndefined();
    await expect(provider(google, { secret: google.serviceAccount.privateKeyPem.replace(/\n/g, '\\n') }).check()).resolves.toBeUndefined();
    await expect(provider(google, { secret: 'not a key' }).check()).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringMatching(/not a valid PEM private key/) });
  });

  it('expandSetting reads the key file: client email, token URL and the key as the secret', () => {
    const file = join(dir, 'key2.json');
    writeFileSync(file, google.keyFile('https://oauth2.googleapis.com/token'));
    const expansion = googleDefinition.expandSetting?.('google.keyFile', file);
    expect(expansion?.settings).toEqual({ 'google.keyFile': file, 'google.clientEmail': google.serviceAccount.clientEmail, 'google.tokenUrl': 'https://oauth2.googleapis.com/token' });
    expect(expansion?.secret?.reveal()).toBe(google.serviceAccount.privateKeyPem);
    expect(JSON.stringify(expansion)).not.toContain('PRIVATE KEY');
    expect(googleDefinition.expandSetting?.('google.domain', 'x')).toBeUndefined();
  });
});

describe('GoogleProvider.explain', () => {
  let google: FakeGoogle;
  beforeAll(async () => {
    google = await fake(googleReferenceSeed());
  });
  const failed = (e: { checks: { check: string; passed: boolean }[] }) => e.checks.filter((c) => !c.passed).map((c) => c.check);

  it('finds an in-scope user and maps it', async () => {
    const e = await provider(google).explain('testuser1@example.com');
    expect(e.found).toBe(true);
    expect(failed(e)).toEqual([]);
    expect(e.user?.email).toBe('testuser1@example.com');
  });

  it('names the clause that filters a user out: set clause, Google query, group filter', async () => {
    const bySet = await provider(google, { sync: { userFilter: 'exclude:testuser1@example.com' } }).explain('testuser1@example.com');
    expect(failed(bySet)).toEqual(['kept by the set clause of sync.userFilter']);
    expect(bySet.user).toBeUndefined();
    const byQuery = await provider(google, { sync: { userFilter: "|orgUnitPath='/Sales'" } }).explain('testuser1@example.com');
    expect(failed(byQuery)).toEqual(['matched by the Google query of sync.userFilter']);
    const byGroup = await provider(google, { sync: { groupFilter: 'include:Sales' } }).explain('testuser1@example.com');
    expect(failed(byGroup)).toEqual(['member of a kept group (group filter scopes users)']);
  });

  it('reports suspended and deleted users, and unknown ones', async () => {
    const suspended = await provider(google).explain('testuser4@example.com');
    expect(suspended.checks.find((c) => c.check.startsWith('active'))).toMatchObject({ passed: false, detail: expect.stringMatching(/^suspended: sync.removeDisabled is off/) });
    const gone = google.state.addUser({ primaryEmail: 'left@example.com' });
    google.state.deleteUser('left@example.com');
    const deleted = await provider(google).explain(gone.id);
    expect(deleted.checks[0]?.detail).toMatch(/was deleted/);
    expect(deleted.user?.deleted).toBe(true);
    const unknown = await provider(google).explain('nobody@example.com');
    expect(unknown.found).toBe(false);
  });
});
