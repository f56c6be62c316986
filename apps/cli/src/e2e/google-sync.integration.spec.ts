/**
 * The Google Workspace source end to end (issue #10), with the BUILT CLI as a child process against
 * the fake Google Workspace (JWT-bearer token check, Directory API) and the fake Bitwarden server:
 * configure with the service-account key file → test → sync → the organization holds users of both
 * domains and the flattened groups → an unchanged re-sync posts nothing → a user deleted and one
 * suspended in Google are removed on the next sync; a failed middle page posts nothing and leaves
 * the state alone; a storm of rate limits is ridden out.
 *
 * Secrets: DIRCONN_PLAINTEXT_SECRETS=true (no keychain needed); the private key reaches the store
 * only through `dirconn config google.keyFile` (expandSetting) and must never be printed.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { googleCompanySeed, startFakeBitwarden, startFakeGoogle, type FakeBitwarden, type FakeGoogle } from '@dirconn/test-support';
import {
  assertCliBuilt,
  Cli,
  cleanEnv,
  configure,
  expectExit,
  findSecrets,
  groupMembership,
  importCount,
  loginEnv,
  makeTempDir,
  readData,
  syncedMembers,
  transcriptTexts,
} from './cli-harness.js';

interface TestJson {
  enabledUsers: { externalId: string; displayName: string }[];
  disabledUsers: { externalId: string }[];
  deletedUsers: { externalId: string }[];
  groups: { displayName: string; userIds: string[] }[];
}

describe('dirconn e2e: Google Workspace against the fake Google and the fake Bitwarden server', () => {
  let google: FakeGoogle;
  let bitwarden: FakeBitwarden;
  let dataDir: string;
  let cli: Cli;
  const id = (email: string): string => google.state.user(email)?.id ?? google.state.users.find((u) => u.primaryEmail === email)?.id ?? '';

  beforeAll(async () => {
    assertCliBuilt();
    google = await startFakeGoogle({ seed: googleCompanySeed() });
    bitwarden = await startFakeBitwarden();
    dataDir = makeTempDir('google');
    cli = new Cli(cleanEnv({ DIRCONN_DATA_DIR: dataDir, DIRCONN_PLAINTEXT_SECRETS: 'true' }));
  });
  afterAll(async () => {
    await cli?.killAll();
    await google?.close();
    await bitwarden?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  afterEach(() => google.clearFaults());

  it('configures from the key file, tests, syncs both domains; re-sync posts nothing; deleted and suspended users are removed', async () => {
    const keyFile = join(dataDir, 'service-account.json');
    writeFileSync(keyFile, google.keyFile(), { mode: 0o600 });
    await cli.ok(['config', 'server', bitwarden.url]);
    await cli.ok(['login'], { env: loginEnv(bitwarden) });
    await configure(cli, [
      ['directory', 'google'],
      ['google.keyFile', keyFile],
      ['google.customer', 'my_customer'],
      ['google.adminUser', 'it.admin@acme.test'],
      ['google.rootUrl', google.rootUrl],
      ['sync.users', 'true'],
      ['sync.groups', 'true'],
      ['sync.removeDisabled', 'true'],
    ]);
    // The key file filled the client email and token URL and stored the private key as the secret.
    const shown = new Map(((await cli.ok(['--json', 'config'])).json as { settings: { key: string; value: unknown }[] }).settings.map((s) => [s.key, s.value]));
    expect(shown.get('google.clientEmail')).toBe(google.serviceAccount.clientEmail);
    expect(shown.get('google.tokenUrl')).toBe(google.tokenUrl);
    expect(shown.get('google.privateKey')).toBe('(set)');

    const test = (await cli.ok(['--json', 'test'])).json as TestJson;
    const enabled = test.enabledUsers.map((u) => u.externalId).sort();
    expect(enabled).toContain(id('katherine.johnson@acme-labs.test'));
    expect(enabled).toHaveLength(8);
    // Suspended and archived users are disabled; with sync.removeDisabled they are sent as deleted.
    expect([...test.disabledUsers, ...test.deletedUsers].map((u) => u.externalId).sort()).toEqual([id('barbara.liskov@acme.test'), id('john.mccarthy@acme.test')].sort());
    expect(importCount(bitwarden)).toBe(0);

    const sync = await cli.ok(['--json', 'sync']);
    expect(sync.json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    const members = syncedMembers(bitwarden);
    expect(members.get(id('margaret.hamilton@acme-labs.test'))).toBe('margaret.hamilton@acme-labs.test');
    expect(members.has(id('john.mccarthy@acme.test'))).toBe(false);
    expect(members.size).toBe(8);
    const groups = groupMembership(bitwarden);
    // Nested groups flattened by core: Platform's members are in Engineering.
    expect(groups.get('Engineering')).toEqual(['ada.lovelace', 'alan.turing', 'edsger.dijkstra', 'grace.hopper'].map((n) => id(`${n}@acme.test`)).sort());
    // CUSTOMER: the whole account.
    expect(groups.get('Everyone')).toHaveLength(8);
    expect(groups.get('Labs')).toHaveLength(2);

    const again = await cli.ok(['--json', 'sync']);
    expect(again.json).toMatchObject({ outcome: 'unchanged', requestsPosted: 0 });
    expect(importCount(bitwarden)).toBe(1);

    google.state.deleteUser('alan.turing@acme.test');
    google.state.updateUser('frances.allen@acme.test', { suspended: true });
    const explain = (await cli.ok(['--json', 'explain', 'frances.allen@acme.test'])).json as { directory: { checks: { check: string; passed: boolean; detail: string }[] } };
    expect(explain.directory.checks.find((c) => c.check.startsWith('active'))).toMatchObject({ passed: false, detail: expect.stringMatching(/^suspended/) });
    const after = await cli.ok(['--json', 'sync']);
    expect(after.json).toMatchObject({ outcome: 'synced', requestsPosted: 1 });
    const left = syncedMembers(bitwarden);
    expect(left.has(id('alan.turing@acme.test'))).toBe(false);
    expect(left.has(id('frances.allen@acme.test'))).toBe(false);
    expect(left.size).toBe(6);
    expect(groupMembership(bitwarden).get('Engineering')).not.toContain(id('alan.turing@acme.test'));

    expect(findSecrets([...transcriptTexts(cli), { label: 'data.json', text: JSON.stringify(readData(dataDir).config) }], { privateKey: google.serviceAccount.privateKeyPem.split('\n')[1] ?? 'x' })).toEqual([]);
  });

  it('a failed middle page posts nothing and leaves the state untouched', async () => {
    for (let i = 0; i < 600; i++) google.state.addUser({ primaryEmail: `bulk${i}@acme.test` });
    const imports = importCount(bitwarden);
    const stateBefore = JSON.stringify(readData(dataDir).state);
    google.fail({ route: 'users', page: 2, status: 503, reason: 'backendError', times: Infinity });
    const failed = expectExit(await cli.run(['--json', 'sync']), 5);
    expect(failed.json).toMatchObject({ error: { code: 'provider.error', message: expect.stringMatching(/HTTP 503 after 5 attempts/) } });
    expect(importCount(bitwarden)).toBe(imports);
    expect(JSON.stringify(readData(dataDir).state)).toBe(stateBefore);
  });

  it('rides out a storm of 403 rate limits and a 429', async () => {
    google.fail({ route: 'api', status: 403, reason: 'userRateLimitExceeded', times: 3 });
    google.fail({ route: 'members', status: 429, reason: 'rateLimitExceeded', retryAfter: 1, times: 1 });
    const faultsBefore = google.requests.filter((r) => r.fault !== undefined).length;
    const sync = await cli.ok(['--json', 'sync']);
    expect(sync.json).toMatchObject({ outcome: 'synced' });
    expect(google.requests.filter((r) => r.fault !== undefined).length - faultsBefore).toBe(4);
    expect(syncedMembers(bitwarden).has(id('bulk599@acme.test'))).toBe(true);
  });
});
