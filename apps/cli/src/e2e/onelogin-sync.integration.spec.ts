/**
 * The OneLogin source end to end (issue #11), with the BUILT CLI as a child process against the fake
 * OneLogin account (HTTPS with a CA made by the test, trusted through NODE_EXTRA_CA_CERTS; v2 token,
 * After-Cursor paging, X-RateLimit-* headers) and the fake Bitwarden server: configure → test → sync →
 * the organization holds the users and the roles as groups → an unchanged re-sync posts nothing → a
 * user deleted and one suspended in OneLogin are removed on the next sync; a storm of 429 is ridden
 * out; a failed middle page posts nothing and leaves the state alone.
 *
 * Secrets: DIRCONN_PLAINTEXT_SECRETS=true (no keychain needed); the client secret reaches the store
 * only through `dirconn config onelogin.secret --secretenv` (the reference's name, an alias of
 * onelogin.clientSecret) and must never be printed.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { oneLoginReferenceSeed, startFakeBitwarden, startFakeOneLogin, type FakeBitwarden, type FakeOneLogin } from '@dirconn/test-support';
import { assertCliBuilt, Cli, cleanEnv, configure, expectExit, findSecrets, groupMembership, importCount, loginEnv, makeTempDir, readData, syncedMembers, transcriptTexts } from './cli-harness.js';

interface TestJson {
  enabledUsers: { externalId: string; displayName: string }[];
  disabledUsers: { externalId: string }[];
  deletedUsers: { externalId: string }[];
  warnings: { code: string; message: string }[];
}

describe('dirconn e2e: OneLogin against the fake OneLogin account and the fake Bitwarden server', () => {
  let onelogin: FakeOneLogin;
  let bitwarden: FakeBitwarden;
  let dataDir: string;
  let cli: Cli;
  const id = (key: string): string => String(onelogin.state.user(key)?.id ?? '');

  beforeAll(async () => {
    assertCliBuilt();
    onelogin = await startFakeOneLogin({ seed: oneLoginReferenceSeed() });
    bitwarden = await startFakeBitwarden();
    dataDir = makeTempDir('onelogin');
    cli = new Cli(cleanEnv({ DIRCONN_DATA_DIR: dataDir, DIRCONN_PLAINTEXT_SECRETS: 'true', NODE_EXTRA_CA_CERTS: onelogin.tls?.caCertPath ?? '' }));
  });
  afterAll(async () => {
    await cli?.killAll();
    await onelogin?.close();
    await bitwarden?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (onelogin?.tls) rmSync(onelogin.tls.dir, { recursive: true, force: true });
  });
  afterEach(() => onelogin.clearFaults());

  it('configures, tests, syncs; re-sync posts nothing; a deleted and a suspended user are removed', async () => {
    await cli.ok(['config', 'server', bitwarden.url]);
    await cli.ok(['login'], { env: loginEnv(bitwarden) });
    await configure(cli, [
      ['directory', 'onelogin'],
      ['onelogin.clientId', onelogin.clientId],
      ['onelogin.region', 'eu'],
      ['onelogin.baseUrl', onelogin.url],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.removeDisabled', 'true'],
    ]);
    await cli.ok(['config', 'onelogin.secret', '--secretenv', 'E2E_ONELOGIN_SECRET'], { env: { E2E_ONELOGIN_SECRET: onelogin.clientSecret } });

    const test = (await cli.ok(['--json', 'test'])).json as TestJson;
    // user6's email field is not an address: its username is used; user7 has neither and is named.
    expect(test.enabledUsers.map((u) => u.displayName).sort()).toEqual(['user1@example.com', 'user2@example.com', 'user4@example.com', 'user5@example.com', 'user6@example.com']);
    expect([...test.disabledUsers, ...test.deletedUsers].map((u) => u.externalId)).toEqual([id('user3@example.com')]);
    expect(test.warnings.find((w) => w.code === 'user-no-email')?.message).toContain(`Grace Test (${id('user7')})`);
    expect(importCount(bitwarden)).toBe(0);
    const human = await cli.ok(['test']);
    expect(human.stdout + human.stderr).toContain('Grace Test');

    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(syncedMembers(bitwarden).size).toBe(5);
    const groups = groupMembership(bitwarden);
    // Role A holds user1–4; the suspended user3 is removed (sync.removeDisabled), so 3 reach the organization.
    expect(groups.get('Role A')).toEqual([id('user1@example.com'), id('user2@example.com'), id('user4@example.com')].sort());
    expect(groups.get('Role B')).toEqual([id('user2@example.com'), id('user5@example.com')].sort());
    expect(groups.has('Empty Role')).toBe(true);

    const tokensBefore = onelogin.count('token');
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(importCount(bitwarden)).toBe(1);
    expect(onelogin.count('token')).toBe(tokensBefore + 1); // one token per run, reused for every call

    const user1 = id('user1@example.com');
    onelogin.state.deleteUser('user1@example.com');
    onelogin.state.updateUser('user2@example.com', { status: 2 });
    const explain = (await cli.ok(['--json', 'explain', 'user2@example.com'])).json as { directory: { checks: { check: string; passed: boolean; detail: string }[] } };
    expect(explain.directory.checks.find((c) => c.check === 'status')).toMatchObject({ passed: false, detail: expect.stringMatching(/^Suspended \(2\)/) });
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    const left = syncedMembers(bitwarden);
    expect(left.has(user1)).toBe(false);
    expect(left.has(id('user2@example.com'))).toBe(false);
    expect(left.size).toBe(3);
    expect([...left.keys()].sort()).toEqual([id('user4@example.com'), id('user5@example.com'), id('user6@example.com')].sort());

    expect(findSecrets([...transcriptTexts(cli), { label: 'data.json', text: JSON.stringify(readData(dataDir).config) }], { secret: onelogin.clientSecret })).toEqual([]);
  });

  it('rides out a storm of 429, waiting until each reset', async () => {
    onelogin.fail({ route: 'api', status: 429, times: 4, resetSeconds: 1 });
    onelogin.state.addUser({ email: 'late@example.com' });
    const sync = await cli.ok(['--json', 'sync']);
    expect(sync.json).toMatchObject({ outcome: 'synced' });
    expect(onelogin.requests.filter((r) => r.fault === '429')).toHaveLength(4);
    expect(syncedMembers(bitwarden).has(id('late@example.com'))).toBe(true);
  });

  it('a failed middle page posts nothing and leaves the state untouched', async () => {
    for (let i = 0; i < 1200; i++) onelogin.state.addUser({ email: `bulk${i}@example.com` });
    const imports = importCount(bitwarden);
    const stateBefore = JSON.stringify(readData(dataDir).state);
    onelogin.fail({ route: 'users', page: 2, status: 500, times: Infinity });
    const failed = expectExit(await cli.run(['--json', 'sync']), 5);
    expect(failed.json).toMatchObject({ error: { code: 'provider.error', message: expect.stringMatching(/HTTP 500 after 5 attempts/) } });
    expect(onelogin.requests.filter((r) => r.route === 'users' && r.query['cursor'] === undefined).length).toBeGreaterThan(0);
    expect(importCount(bitwarden)).toBe(imports);
    expect(JSON.stringify(readData(dataDir).state)).toBe(stateBefore);
  });
});
