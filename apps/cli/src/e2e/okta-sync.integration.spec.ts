/**
 * The Okta source end to end (issue #11), with the BUILT CLI as a child process against the fake
 * Okta org (SSWS token, Link paging, X-Rate-Limit buckets) and the fake Bitwarden server: configure
 * → test → sync → the organization holds the users and groups → an unchanged re-sync posts nothing →
 * a user deprovisioned and one suspended in Okta are removed on the next sync; a storm of 429
 * E0000047 is ridden out; a failed middle page posts nothing and leaves the state alone.
 *
 * Secrets: DIRCONN_PLAINTEXT_SECRETS=true (no keychain needed); the token reaches the store only
 * through `dirconn config okta.token --secretenv` and must never be printed.
 */
import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { oktaReferenceSeed, startFakeBitwarden, startFakeOkta, type FakeBitwarden, type FakeOkta } from '@dirconn/test-support';
import { assertCliBuilt, Cli, cleanEnv, configure, expectExit, findSecrets, groupMembership, importCount, loginEnv, makeTempDir, readData, syncedMembers, transcriptTexts } from './cli-harness.js';

describe('dirconn e2e: Okta against the fake Okta org and the fake Bitwarden server', () => {
  let okta: FakeOkta;
  let bitwarden: FakeBitwarden;
  let dataDir: string;
  let cli: Cli;
  const id = (email: string): string => okta.state.user(email)?.id ?? '';

  beforeAll(async () => {
    assertCliBuilt();
    okta = await startFakeOkta({ seed: oktaReferenceSeed() });
    bitwarden = await startFakeBitwarden();
    dataDir = makeTempDir('okta');
    cli = new Cli(cleanEnv({ DIRCONN_DATA_DIR: dataDir, DIRCONN_PLAINTEXT_SECRETS: 'true' }));
  });
  afterAll(async () => {
    await cli?.killAll();
    await okta?.close();
    await bitwarden?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => okta.clearFaults());

  it('configures, tests, syncs; re-sync posts nothing; deprovisioned and suspended users are removed', async () => {
    await cli.ok(['config', 'server', bitwarden.url]);
    await cli.ok(['login'], { env: loginEnv(bitwarden) });
    await configure(cli, [
      ['directory', 'okta'],
      ['okta.orgUrl', `${okta.url}/`],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.removeDisabled', 'true'],
    ]);
    await cli.ok(['config', 'okta.token', '--secretenv', 'E2E_OKTA_TOKEN'], { env: { E2E_OKTA_TOKEN: okta.token } });

    const test = (await cli.ok(['--json', 'test'])).json as { enabledUsers: { externalId: string }[]; disabledUsers: { externalId: string }[]; deletedUsers: { externalId: string }[] };
    expect(test.enabledUsers.map((u) => u.externalId).sort()).toEqual(['user1', 'user2', 'user4', 'user5'].map((n) => id(`${n}@example.com`)).sort());
    expect([...test.disabledUsers, ...test.deletedUsers].map((u) => u.externalId)).toEqual([id('user3@example.com')]);
    expect(importCount(bitwarden)).toBe(0);

    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    expect(syncedMembers(bitwarden).size).toBe(4);
    const groups = groupMembership(bitwarden);
    expect(groups.get('Group A')).toEqual([id('user1@example.com'), id('user2@example.com')].sort());
    // Everyone holds all 5; the suspended user3 is removed (sync.removeDisabled), so 4 reach the organization.
    expect(groups.get('Everyone')).toHaveLength(4);

    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(importCount(bitwarden)).toBe(1);

    okta.state.updateUser('user1@example.com', { status: 'DEPROVISIONED' });
    okta.state.updateUser('user2@example.com', { status: 'SUSPENDED' });
    const explain = (await cli.ok(['--json', 'explain', 'user2@example.com'])).json as { directory: { checks: { check: string; passed: boolean; detail: string }[] } };
    expect(explain.directory.checks.find((c) => c.check === 'status')).toMatchObject({ passed: false, detail: expect.stringMatching(/^SUSPENDED/) });
    expect((await cli.ok(['--json', 'sync'])).json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    const left = syncedMembers(bitwarden);
    expect(left.has(id('user1@example.com'))).toBe(false);
    expect(left.has(id('user2@example.com'))).toBe(false);
    expect(left.size).toBe(2);

    expect(findSecrets([...transcriptTexts(cli), { label: 'data.json', text: JSON.stringify(readData(dataDir).config) }], { token: okta.token })).toEqual([]);
  });

  it('rides out a storm of 429 E0000047, waiting until each reset', async () => {
    okta.fail({ route: 'api', status: 429, times: 4 });
    okta.state.addUser('late@example.com');
    const sync = await cli.ok(['--json', 'sync', '--force']);
    expect(sync.json).toMatchObject({ outcome: 'synced' });
    expect(okta.requests.filter((r) => r.fault === '429')).toHaveLength(4);
    expect(syncedMembers(bitwarden).has(id('late@example.com'))).toBe(true);
  });

  it('a failed middle page posts nothing and leaves the state untouched', async () => {
    for (let i = 0; i < 450; i++) okta.state.addUser(`bulk${i}@example.com`);
    const imports = importCount(bitwarden);
    const stateBefore = JSON.stringify(readData(dataDir).state);
    okta.fail({ route: 'users', page: 2, status: 500, times: Infinity });
    const failed = expectExit(await cli.run(['--json', 'sync', '--force']), 5);
    expect(failed.json).toMatchObject({ error: { code: 'provider.error', message: expect.stringMatching(/HTTP 500 after 5 attempts/) } });
    expect(importCount(bitwarden)).toBe(imports);
    expect(JSON.stringify(readData(dataDir).state)).toBe(stateBefore);
  });
});
